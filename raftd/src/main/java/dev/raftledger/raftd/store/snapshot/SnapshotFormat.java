package dev.raftledger.raftd.store.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The snapshot file: a header, then the payload. Big-endian:
 * <pre>
 *  offset size field
 *       0    4 magic 'R' 'L' 'S' 'N' (0x524C534E)
 *       4    4 format version, 1
 *       8    8 last included index
 *      16    8 last included term
 *      24    8 payload size
 *      32    4 payload CRC32C
 *      36    4 configuration length n (0 to 1 MiB)
 *      40    n configuration, UTF-8
 *    40+n    4 CRC32C of header bytes [0, 40+n)
 *    44+n      payload (payload size bytes; the file ends there)
 * </pre>
 * File name {@code snapshot-<last included index, 20 digits>-<term>.snap}, which must agree with
 * the header. The header has its own checksum so that a damaged header is told apart from a
 * damaged payload, and so that a bad length is never trusted before it is checked.
 */
final class SnapshotFormat {

    static final int MAGIC = 0x524C_534E;
    static final int VERSION = 1;
    static final int FIXED_BYTES = 40;
    static final String SUFFIX = ".snap";
    static final String TEMP_SUFFIX = ".tmp";
    static final String CORRUPT_SUFFIX = ".corrupt";

    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{1,19})\\.snap");
    private static final Pattern TEMP = Pattern.compile("snapshot-.*\\.tmp");

    /** A header that cannot be used, and why. */
    static final class BadSnapshotException extends Exception {
        BadSnapshotException(String message) {
            super(message);
        }
    }

    /** A file name's snapshot point. */
    record Point(long index, long term) {}

    private SnapshotFormat() {}

    static String fileName(long index, long term) {
        return String.format("snapshot-%020d-%d%s", index, term, SUFFIX);
    }

    static String fileName(SnapshotMeta meta) {
        return fileName(meta.lastIncludedIndex(), meta.lastIncludedTerm());
    }

    /** The point a snapshot file's name says it holds, or null if the name is not a snapshot's. */
    static Point pointOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        try {
            return new Point(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            return null; // digits beyond Long.MAX_VALUE: not a name this store writes
        }
    }

    static boolean isTemp(Path file) {
        return TEMP.matcher(file.getFileName().toString()).matches();
    }

    static int headerBytes(String configuration) {
        return FIXED_BYTES + configuration.getBytes(StandardCharsets.UTF_8).length + 4;
    }

    static ByteBuffer encodeHeader(SnapshotMeta meta) {
        byte[] config = meta.configuration().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES + config.length + 4);
        buf.putInt(MAGIC).putInt(VERSION).putLong(meta.lastIncludedIndex()).putLong(meta.lastIncludedTerm())
                .putLong(meta.payloadSize()).putInt((int) meta.payloadCrc()).putInt(config.length).put(config);
        buf.putInt(crc(buf.array(), FIXED_BYTES + config.length));
        return buf.flip();
    }

    /** Writes the whole header at offset 0 of {@code channel}. */
    static void writeHeader(FileChannel channel, SnapshotMeta meta) throws IOException {
        ByteBuffer header = encodeHeader(meta);
        long at = 0;
        while (header.hasRemaining()) {
            at += channel.write(header, at);
        }
    }

    /** Reads and checks the header at offset 0; the payload starts right after it. */
    static SnapshotMeta readHeader(FileChannel channel) throws IOException, BadSnapshotException {
        long size = channel.size();
        if (size < FIXED_BYTES + 4) {
            throw new BadSnapshotException("the file has " + size + " bytes, fewer than a header");
        }
        ByteBuffer fixed = readAt(channel, 0, FIXED_BYTES);
        int magic = fixed.getInt(0);
        if (magic != MAGIC) {
            throw new BadSnapshotException(String.format("not a snapshot file (magic %08x)", magic));
        }
        int version = fixed.getInt(4);
        if (version != VERSION) {
            throw new BadSnapshotException("snapshot format version " + version + ", this raftd reads version " + VERSION);
        }
        int configLength = fixed.getInt(36);
        if (configLength < 0 || configLength > SnapshotMeta.MAX_CONFIGURATION_BYTES
                || FIXED_BYTES + configLength + 4L > size) {
            throw new BadSnapshotException("impossible configuration length " + Integer.toUnsignedString(configLength)
                    + " in a file of " + size + " bytes");
        }
        byte[] header = new byte[FIXED_BYTES + configLength + 4];
        fixed.get(0, header, 0, FIXED_BYTES);
        readAt(channel, FIXED_BYTES, configLength + 4).get(header, FIXED_BYTES, configLength + 4);
        ByteBuffer h = ByteBuffer.wrap(header);
        if (h.getInt(FIXED_BYTES + configLength) != crc(header, FIXED_BYTES + configLength)) {
            throw new BadSnapshotException("header checksum mismatch");
        }
        String configuration = new String(header, FIXED_BYTES, configLength, StandardCharsets.UTF_8);
        try {
            return new SnapshotMeta(h.getLong(8), h.getLong(16), configuration, h.getLong(24),
                    Integer.toUnsignedLong(h.getInt(32)));
        } catch (IllegalArgumentException e) {
            throw new BadSnapshotException("the header holds impossible values: " + e.getMessage());
        }
    }

    /**
     * Checks everything about a snapshot file (header, name, length, payload checksum) and
     * returns its meta. Reads the whole file.
     */
    static SnapshotMeta verify(Path file) throws IOException, BadSnapshotException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SnapshotMeta meta = readHeader(channel);
            checkNameAndLength(file, channel, meta);
            long crc = payloadCrc(channel, headerBytes(meta.configuration()), meta.payloadSize());
            if (crc != meta.payloadCrc()) {
                throw new BadSnapshotException(String.format("payload checksum mismatch (header %08x, payload %08x)",
                        meta.payloadCrc(), crc));
            }
            return meta;
        }
    }

    /** The cheap checks: the name agrees with the header and the file is exactly header plus payload long. */
    static void checkNameAndLength(Path file, FileChannel channel, SnapshotMeta meta) throws IOException, BadSnapshotException {
        Point point = pointOf(file);
        if (point != null && (point.index() != meta.lastIncludedIndex() || point.term() != meta.lastIncludedTerm())) {
            throw new BadSnapshotException("the name says index " + point.index() + ", term " + point.term()
                    + " but the header says index " + meta.lastIncludedIndex() + ", term " + meta.lastIncludedTerm());
        }
        long expected = headerBytes(meta.configuration()) + meta.payloadSize();
        long size = channel.size();
        if (size != expected) {
            throw new BadSnapshotException("the file has " + size + " bytes; its header says " + expected
                    + (size < expected ? " (torn)" : ""));
        }
    }

    private static long payloadCrc(FileChannel channel, long from, long bytes) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long at = from;
        long end = from + bytes;
        while (at < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - at));
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IOException("the file ended at offset " + at + " while its size said " + end);
            }
            at += n;
            crc.update(buf.flip());
        }
        return crc.getValue();
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IOException("the file ended at offset " + at);
            }
            at += n;
        }
        return buf.flip();
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
