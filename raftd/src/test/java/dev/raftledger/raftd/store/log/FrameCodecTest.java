package dev.raftledger.raftd.store.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame layout, and that the checksum covers index, term and payload. */
class FrameCodecTest {

    private static ByteBuffer frame(long index, long term, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(5 + FrameCodec.frameBytes(bytes.length));
        buf.position(5); // frames are read in place at any offset
        FrameCodec.encode(buf, index, term, bytes);
        return buf;
    }

    @Test
    void aFrameReadsBackAsWritten() {
        ByteBuffer buf = frame(42, 7, "hello");
        assertEquals(5 + 28 + 5, buf.position());
        assertEquals(0x524C0100, buf.getInt(5), "marker 'R' 'L', version 1");
        assertEquals(5, FrameCodec.payloadLength(buf, 5));
        assertEquals(42, FrameCodec.index(buf, 5));
        assertEquals(7, FrameCodec.term(buf, 5));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), FrameCodec.payload(buf, 5));
        assertTrue(FrameCodec.checksumMatches(buf, 5));
        assertNull(FrameCodec.verify(buf, 5, 42, 7, 5));
    }

    @Test
    void everyCoveredByteIsChecked() {
        for (int at = 5 + 12; at < 5 + 28 + 5; at++) { // index, term, payload
            ByteBuffer buf = frame(42, 7, "hello");
            buf.put(at, (byte) (buf.get(at) ^ 1));
            assertEquals(false, FrameCodec.checksumMatches(buf, 5), "flip at " + at);
        }
    }

    @Test
    void verifyNamesTheMismatch() {
        ByteBuffer buf = frame(42, 7, "hello");
        assertTrue(FrameCodec.verify(buf, 5, 43, 7, 5).contains("expected index 43"));
        buf.put(5 + 30, (byte) 'X');
        assertEquals("checksum mismatch", FrameCodec.verify(buf, 5, 42, 7, 5));
        buf.putInt(5, 0);
        assertEquals("no frame marker", FrameCodec.verify(buf, 5, 42, 7, 5));
    }
}
