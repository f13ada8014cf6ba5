package dev.raftledger.raftd.store.snapshot;

import dev.raftledger.raftd.store.StoreException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads one snapshot's payload: in chunks at any offset ({@link #read}, for InstallSnapshot) or
 * as a stream ({@link #payloadStream}, to load it). Never holds more than one chunk in memory.
 *
 * <p>The payload checksum is checked on the way: while chunks are read in order from offset 0
 * (chunks read again, as after a resend, are fine; a jump forward suspends the check until the
 * next read at 0), the reader checksums them, and the read that reaches the end fails if the
 * checksum is wrong, so a file damaged since it was written is not sent on (the receiver would
 * refuse it anyway). The stream checks the same way.
 *
 * <p>Safe to use from several threads (positional reads; the check's state is synchronized).
 */
public final class SnapshotReader implements AutoCloseable {

    private final Path file;
    private final SnapshotMeta meta;
    private final FileChannel channel;
    private final long payloadStart;
    // the running check over chunks read in order: covers payload bytes [0, checkedUpTo)
    private final CRC32C running = new CRC32C();
    private long checkedUpTo;
    private boolean checking = true;

    private SnapshotReader(Path file, SnapshotMeta meta, FileChannel channel, long payloadStart) {
        this.file = file;
        this.meta = meta;
        this.channel = channel;
        this.payloadStart = payloadStart;
    }

    static SnapshotReader open(Path file, SnapshotMeta meta) throws IOException, StoreException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            SnapshotMeta found = SnapshotFormat.readHeader(channel);
            if (!found.equals(meta)) {
                throw new StoreException(file + " holds the " + found.describe() + ", not the " + meta.describe());
            }
            SnapshotFormat.checkNameAndLength(file, channel, found);
            return new SnapshotReader(file, meta, channel, SnapshotFormat.headerBytes(meta.configuration()));
        } catch (SnapshotFormat.BadSnapshotException e) {
            channel.close();
            throw new StoreException("the snapshot " + file + " is damaged: " + e.getMessage());
        } catch (IOException | StoreException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public SnapshotMeta meta() {
        return meta;
    }

    /**
     * Payload bytes from {@code offset}: {@code min(maxBytes, payloadSize - offset)} of them,
     * none at the end.
     *
     * @throws IllegalArgumentException if {@code offset} is outside [0, payloadSize] or {@code maxBytes < 1}
     * @throws StoreException if reading fails, or this read completes an in-order pass and the
     *                        payload does not match its checksum (the file is damaged)
     */
    public byte[] read(long offset, int maxBytes) throws StoreException {
        if (offset < 0 || offset > meta.payloadSize()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the payload of " + meta.payloadSize() + " bytes");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a chunk must be allowed at least one byte: " + maxBytes);
        }
        int n = (int) Math.min(maxBytes, meta.payloadSize() - offset);
        ByteBuffer buf = ByteBuffer.allocate(n);
        try {
            long at = payloadStart + offset;
            while (buf.hasRemaining()) {
                int read = channel.read(buf, at);
                if (read < 0) {
                    throw new StoreException(file + " ends at offset " + at + ", before the end of its payload");
                }
                at += read;
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the snapshot " + file + " at payload offset " + offset + ": " + e, e);
        }
        check(offset, buf.array());
        return buf.array();
    }

    /** Bytes of the whole snapshot file, header included: what a backup copies. */
    public long fileSize() {
        return payloadStart + meta.payloadSize();
    }

    /**
     * Bytes of the whole file (header, then payload) from {@code offset}: {@code min(maxBytes,
     * fileSize - offset)} of them, none at the end. Not checked against the payload's checksum
     * (the copy is checked whole by whoever receives it: raftctl's backup).
     *
     * @throws IllegalArgumentException if {@code offset} is outside [0, fileSize] or {@code maxBytes < 1}
     * @throws StoreException if reading fails
     */
    public byte[] readFile(long offset, int maxBytes) throws StoreException {
        if (offset < 0 || offset > fileSize()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the file of " + fileSize() + " bytes");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a chunk must be allowed at least one byte: " + maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(maxBytes, fileSize() - offset));
        try {
            long at = offset;
            while (buf.hasRemaining()) {
                int read = channel.read(buf, at);
                if (read < 0) {
                    throw new StoreException(file + " ends at offset " + at + ", before its size");
                }
                at += read;
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the snapshot " + file + " at offset " + offset + ": " + e, e);
        }
        return buf.array();
    }

    private synchronized void check(long offset, byte[] chunk) throws StoreException {
        if (offset == 0) {
            running.reset();
            checkedUpTo = 0;
            checking = true;
        }
        if (!checking) {
            return;
        }
        long end = offset + chunk.length;
        if (offset > checkedUpTo) {
            checking = false; // a gap: this pass cannot be checked
            return;
        }
        if (end > checkedUpTo) {
            running.update(chunk, (int) (checkedUpTo - offset), (int) (end - checkedUpTo));
            checkedUpTo = end;
            if (checkedUpTo == meta.payloadSize() && running.getValue() != meta.payloadCrc()) {
                checking = false;
                throw new StoreException(String.format("the snapshot %s is damaged: its payload's checksum is %08x,"
                        + " its header says %08x", file, running.getValue(), meta.payloadCrc()));
            }
        }
    }

    /**
     * A buffered stream of the whole payload from its start, independent of {@link #read}.
     * The read that reaches the end throws an {@link IOException} if the checksum is wrong.
     * Closing it does not close this reader.
     */
    public InputStream payloadStream() {
        return new BufferedInputStream(new PayloadStream(), 256 * 1024);
    }

    @Override
    public void close() throws StoreException {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StoreException("cannot close the snapshot " + file + ": " + e, e);
        }
    }

    /** Sequential reads through positional reads, so it never moves the channel's position. */
    private final class PayloadStream extends InputStream {
        private final CRC32C crc = new CRC32C();
        private long position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long left = meta.payloadSize() - position;
            if (left == 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), payloadStart + position);
            if (n < 0) {
                throw new IOException(file + " ends before the end of its payload");
            }
            crc.update(b, off, n);
            position += n;
            if (position == meta.payloadSize() && crc.getValue() != meta.payloadCrc()) {
                throw new IOException(String.format("the snapshot %s is damaged: its payload's checksum is %08x,"
                        + " its header says %08x", file, crc.getValue(), meta.payloadCrc()));
            }
            return n;
        }
    }
}
