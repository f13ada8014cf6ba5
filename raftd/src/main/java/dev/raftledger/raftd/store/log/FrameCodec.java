package dev.raftledger.raftd.store.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record, big-endian:
 * <pre>
 *  offset size field
 *       0    4 marker: 'R' 'L', format version 1, a reserved zero byte (0x524C0100)
 *       4    4 payload length (0 to 1 MiB)
 *       8    4 CRC32C of the bytes from offset 12 to the end of the payload (index, term, payload)
 *      12    8 index
 *      20    8 term
 *      28    n payload
 * </pre>
 * The marker lets recovery tell a frame from zero-filled or foreign bytes at a glance, and is
 * what it searches for when deciding whether anything valid follows a damaged frame.
 * Methods read a frame in place at an absolute position of a buffer, without allocating, since
 * recovery walks millions of them.
 */
final class FrameCodec {

    static final int MARKER = 0x524C_0100;
    static final int HEADER_BYTES = 28;
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final int MAX_FRAME_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES;

    private static final int LENGTH_AT = 4;
    private static final int CRC_AT = 8;
    private static final int INDEX_AT = 12;
    private static final int TERM_AT = 20;

    private FrameCodec() {}

    static int frameBytes(int payloadLength) {
        return HEADER_BYTES + payloadLength;
    }

    /** Writes one frame at {@code dst}'s position and advances it; {@code dst} must have room. */
    static void encode(ByteBuffer dst, long index, long term, byte[] payload) {
        int at = dst.position();
        dst.putInt(MARKER).putInt(payload.length).putInt(0).putLong(index).putLong(term).put(payload);
        dst.putInt(at + CRC_AT, checksum(dst, at, payload.length));
    }

    static int marker(ByteBuffer buf, int at) {
        return buf.getInt(at);
    }

    static int payloadLength(ByteBuffer buf, int at) {
        return buf.getInt(at + LENGTH_AT);
    }

    static long index(ByteBuffer buf, int at) {
        return buf.getLong(at + INDEX_AT);
    }

    static long term(ByteBuffer buf, int at) {
        return buf.getLong(at + TERM_AT);
    }

    /** Whether the stored CRC matches; the whole frame (per its length field) must be in {@code buf}. */
    static boolean checksumMatches(ByteBuffer buf, int at) {
        return buf.getInt(at + CRC_AT) == checksum(buf, at, payloadLength(buf, at));
    }

    static byte[] payload(ByteBuffer buf, int at) {
        byte[] payload = new byte[payloadLength(buf, at)];
        buf.get(at + HEADER_BYTES, payload);
        return payload;
    }

    /**
     * Checks a frame read back from where the index says record {@code index} of {@code term}
     * with {@code payloadLength} bytes is. Returns what is wrong, or null if nothing is.
     */
    static String verify(ByteBuffer buf, int at, long index, long term, int payloadLength) {
        if (marker(buf, at) != MARKER) {
            return "no frame marker";
        }
        if (payloadLength(buf, at) != payloadLength || index(buf, at) != index || term(buf, at) != term) {
            return "frame header says index " + index(buf, at) + ", term " + term(buf, at) + ", "
                    + payloadLength(buf, at) + " bytes; expected index " + index + ", term " + term
                    + ", " + payloadLength + " bytes";
        }
        if (!checksumMatches(buf, at)) {
            return "checksum mismatch";
        }
        return null;
    }

    private static int checksum(ByteBuffer buf, int at, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(at + HEADER_BYTES + payloadLength).position(at + INDEX_AT));
        return (int) crc.getValue();
    }
}
