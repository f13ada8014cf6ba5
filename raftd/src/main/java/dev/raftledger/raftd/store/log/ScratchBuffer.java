package dev.raftledger.raftd.store.log;

import java.nio.ByteBuffer;

/**
 * A reusable direct buffer for one thread's file I/O, grown on demand up to the largest frame.
 * The JDK copies a heap buffer through a hidden direct buffer on every channel call (and keeps
 * that one cached at its largest size per thread), so doing it ourselves saves a copy and
 * bounds the memory.
 */
final class ScratchBuffer {

    /** The most one buffer holds: callers split larger work (a batch, a read) into pieces. */
    static final int MAX_BYTES = FrameCodec.MAX_FRAME_BYTES;

    private static final int INITIAL_BYTES = 64 * 1024;

    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BYTES);

    /** The buffer, cleared, with room for at least {@code bytes} (at most {@link #MAX_BYTES}). */
    ByteBuffer clear(int bytes) {
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("scratch buffers hold at most one maximal frame: " + bytes);
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, Math.min(2 * buffer.capacity(), MAX_BYTES)));
        }
        return buffer.clear();
    }
}
