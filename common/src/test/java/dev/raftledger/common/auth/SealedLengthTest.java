package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size of a sealed datagram, known before sealing: a node cuts batches, chunks and reply
 * lists to fit its datagram size with it, so it must never be below what {@link Sealer#seal}
 * really writes.
 */
class SealedLengthTest {

    @TempDir
    Path dir;

    /** Messages whose escaping differs: plain, quotes, backslashes, control characters, non-ASCII. */
    private static final List<String> MESSAGES = List.of(
            "{}",
            "{\"request\":\"LEADER_INFO\",\"sender_name\":\"Controller\",\"term\":null}",
            "{\"value\":\"a \\\"quoted\\\" \\\\ path\\\\to\\\\file\"}",
            "{\"value\":\"tab\\tnew line\\n bell\\u0007 nul\\u0000\"}",
            "{\"value\":\"caf\u00e9 \u20ac \ud83d\ude00 \u2028\"}",
            "{\"raw\":\"" + "\"".repeat(0) + "x".repeat(1000) + "\"}");

    @Test
    void escapedLengthIsWhatTheCodecWritesInsideAString() {
        for (String m : MESSAGES) {
            byte[] json = m.getBytes(StandardCharsets.UTF_8);
            int written = Codec.toBytes(TextNode.valueOf(m)).length - 2; // less the two quotes
            assertEquals(written, Codec.escapedLength(json), m);
        }
        // a raw control byte (never in our JSON, but counted at its widest escape)
        assertTrue(Codec.escapedLength(new byte[] {1}) >= Codec.toBytes(TextNode.valueOf("\u0001")).length - 2);
    }

    @Test
    void theBoundIsNeverBelowTheSealedDatagramEvenWithTheWidestClock() throws Exception {
        ClusterKey key = SealerOpenerTest.key(dir, "key", "0123456789abcdef0123456789abcdef");
        ClusterAuth auth = ClusterAuth.withKey(key);
        Sealer widest = new Sealer(key, new Random(1), () -> Long.MAX_VALUE);
        for (String m : MESSAGES) {
            byte[] json = m.getBytes(StandardCharsets.UTF_8);
            int bound = auth.sealedLengthBound(json);
            int sealed = widest.seal(json).length;
            assertTrue(sealed <= bound, m + ": sealed " + sealed + " > bound " + bound);
            // only the counter (1 digit here, up to 19) is narrower than the bound allows for
            assertTrue(bound - sealed <= 18, m + ": bound " + bound + " far above " + sealed);
            assertTrue(auth.seal(json).length <= bound, m);
        }
    }

    @Test
    void withoutAKeyTheBoundIsTheMessageItself() {
        byte[] json = MESSAGES.get(2).getBytes(StandardCharsets.UTF_8);
        assertEquals(json.length, ClusterAuth.none().sealedLengthBound(json));
        assertEquals(json.length, ClusterAuth.none().seal(json).length);
    }
}
