package dev.raftledger.raftd.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks the frames of one segment file from offset 0, in big sequential reads, and stops at the
 * end of the file or at the first frame that is incomplete or damaged, saying why. It checks
 * frames only (marker, length, checksum); whether their indices and terms follow on is
 * {@link LogRecovery}'s business, since that spans segments.
 */
final class SegmentScanner {

    private final Segment segment;
    private final ByteBuffer buf;
    /** File offset of {@code buf}'s byte 0; the buffer holds file bytes [bufStart, bufStart + limit). */
    private long bufStart;
    private long position;
    private long frameOffset = -1;
    private String problem;

    /** {@code buf} must hold at least one maximal frame; its content is replaced. */
    SegmentScanner(Segment segment, ByteBuffer buf) {
        this.segment = segment;
        this.buf = buf.clear().limit(0);
    }

    /**
     * Moves to the next frame. True if there is a good one (see {@link #offset()} and the
     * getters); false at the clean end of the file, or at a bad frame ({@link #problem()}).
     */
    boolean next() throws IOException {
        if (problem != null || position == segment.size()) {
            return false;
        }
        frameOffset = position;
        if (!load(position, FrameCodec.HEADER_BYTES)) {
            problem = "incomplete frame header: the file ends " + (segment.size() - position) + " bytes after it starts";
            return false;
        }
        int at = at(position);
        int marker = FrameCodec.marker(buf, at);
        if (marker != FrameCodec.MARKER) {
            problem = marker == 0 ? "zero bytes where a frame should start" : String.format("no frame marker (found %08x)", marker);
            return false;
        }
        int length = FrameCodec.payloadLength(buf, at);
        if (length < 0 || length > FrameCodec.MAX_PAYLOAD_BYTES) {
            problem = "impossible payload length " + Integer.toUnsignedString(length);
            return false;
        }
        int frame = FrameCodec.frameBytes(length);
        if (!load(position, frame)) {
            problem = "incomplete frame: it needs " + frame + " bytes, the file ends " + (segment.size() - position) + " bytes after it starts";
            return false;
        }
        at = at(position);
        if (!FrameCodec.checksumMatches(buf, at)) {
            problem = "checksum mismatch";
            return false;
        }
        position += frame;
        return true;
    }

    /** Offset of the current frame: the last good one, or the bad one after {@code next()} said false. */
    long offset() {
        return frameOffset;
    }

    long index() {
        return FrameCodec.index(buf, at(frameOffset));
    }

    long term() {
        return FrameCodec.term(buf, at(frameOffset));
    }

    /** Why scanning stopped before the end of the file, or null if it did not. */
    String problem() {
        return problem;
    }

    /**
     * Looks at every byte offset from {@code from} on for a frame with a good checksum and an
     * index of at least {@code minIndex}, and returns its offset (-1 if there is none). Used after
     * a bad frame: if something valid follows, the damage is in the middle of the log, not a torn
     * tail, and cutting there would drop records. Slow (byte by byte) but only runs on damage.
     */
    long findValidFrame(long from, long minIndex) throws IOException {
        for (long p = from; p + FrameCodec.HEADER_BYTES <= segment.size(); p++) {
            load(p, FrameCodec.HEADER_BYTES);
            int at = at(p);
            if (FrameCodec.marker(buf, at) != FrameCodec.MARKER) {
                continue;
            }
            int length = FrameCodec.payloadLength(buf, at);
            if (length < 0 || length > FrameCodec.MAX_PAYLOAD_BYTES || !load(p, FrameCodec.frameBytes(length))) {
                continue;
            }
            at = at(p);
            if (FrameCodec.checksumMatches(buf, at) && FrameCodec.index(buf, at) >= minIndex) {
                return p;
            }
        }
        return -1;
    }

    private int at(long filePosition) {
        return (int) (filePosition - bufStart);
    }

    /**
     * Makes file bytes [pos, pos + n) available in the buffer, reading ahead as far as the
     * buffer allows; false if the file ends first. Bytes already buffered from {@code pos} on
     * are kept, so a sequential walk reads each byte once.
     */
    private boolean load(long pos, int n) throws IOException {
        long end = bufStart + buf.limit();
        if (pos >= bufStart && pos + n <= end) {
            return true;
        }
        if (pos + n > segment.size()) {
            return false;
        }
        if (pos >= bufStart && pos < end) {
            buf.position(at(pos)).compact();
        } else {
            buf.clear();
        }
        bufStart = pos;
        long filePos = pos + buf.position();
        while (buf.hasRemaining() && filePos < segment.size()) {
            int read = segment.read(buf, filePos);
            if (read < 0) {
                break;
            }
            filePos += read;
        }
        buf.flip();
        return buf.limit() >= n;
    }
}
