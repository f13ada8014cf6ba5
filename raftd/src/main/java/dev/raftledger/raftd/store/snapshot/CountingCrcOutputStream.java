package dev.raftledger.raftd.store.snapshot;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * The stream a {@link PayloadWriter} writes into: counts and checksums the bytes on their way
 * to the file, so the meta is known the moment the writer returns, without reading the file
 * back. {@link #close} only flushes: the store closes the file itself, after the header.
 */
final class CountingCrcOutputStream extends FilterOutputStream {

    private final CRC32C crc = new CRC32C();
    private long count;

    CountingCrcOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream would write byte by byte
        crc.update(b, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    long count() {
        return count;
    }

    long crc() {
        return crc.getValue();
    }
}
