package dev.raftledger.raftd.store.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file, {@code segment-<index of its first record, 20 digits>.log}: frames back to
 * back from offset 0. The log writes only at the end ({@link #size()}), with positional writes,
 * so the channel's own position is never used and a concurrent fsync or read cannot disturb a
 * write. The name carries the first index even when the file is empty, which is what keeps an
 * empty log's first index across a restart (after a reset or a compaction too).
 */
final class Segment implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

    private final Path path;
    private final long baseIndex;
    private final FileChannel channel;
    private long size;

    private Segment(Path path, long baseIndex, FileChannel channel, long size) {
        this.path = path;
        this.baseIndex = baseIndex;
        this.channel = channel;
        this.size = size;
    }

    static String fileName(long baseIndex) {
        return String.format("segment-%020d.log", baseIndex);
    }

    /** The first index a segment file's name says it holds, or -1 if the name is not a segment's. */
    static long baseIndexOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1; // 20 digits beyond Long.MAX_VALUE: not a name this log writes
        }
    }

    /** Creates a new, empty segment; fails if the file exists (it never should). */
    static Segment create(Path dir, long baseIndex) throws IOException {
        Path path = dir.resolve(fileName(baseIndex));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(path, baseIndex, channel, 0);
    }

    static Segment open(Path path, long baseIndex) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new Segment(path, baseIndex, channel, channel.size());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long baseIndex() {
        return baseIndex;
    }

    /** Bytes in the file, as far as this log has written or truncated it. */
    long size() {
        return size;
    }

    /** Writes all of {@code src} at the end of the file. */
    void append(ByteBuffer src) throws IOException {
        long at = size;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
        size = at;
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; -1 at the end of the file. */
    int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    /** Fills {@code dst} from {@code position}; the bytes must exist. */
    void readFully(ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position);
            if (n < 0) {
                throw new EOFException(path + " ends at offset " + position);
            }
            position += n;
        }
    }

    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        size = newSize;
    }

    /**
     * fdatasync: the data and the file size (what a later read needs), not the timestamps.
     * Only {@link Fsync} calls this, so that every fsync is counted.
     */
    void force() throws IOException {
        channel.force(false);
    }

    void closeAndDelete() throws IOException {
        close();
        Files.delete(path);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
