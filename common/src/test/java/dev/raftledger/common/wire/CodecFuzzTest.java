package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutation of valid datagrams: whatever arrives, the decoders either return a
 * message or throw {@link MalformedMessageException}, never anything else. Failures name the
 * seed, the iteration and the input, so they can be replayed exactly.
 */
class CodecFuzzTest {

    private static final long SEED = 0x5EED_2025L;
    private static final int ITERATIONS = 20_000;

    /** Valid encodings of every message type, plus a few lenient seed shapes, to mutate. */
    private static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (Message m : List.of(WireSamples.REQUEST_VOTE, WireSamples.ACK_GRANTED, WireSamples.ACK_DENIED,
                WireSamples.APPEND_ENTRY, WireSamples.LEADER_INFO,
                new ControllerMessage("Node3", "STATUS", 5L, WireSamples.json("\"STATUS\""),
                        WireSamples.json("{\"state\":\"leader\",\"counters\":{\"a\":1,\"b\":[1,2,{\"c\":null}]}}")))) {
            corpus.add(Codec.encode(m));
        }
        corpus.add(WireSamples.utf8("{\"term\": \"3\", \"candidateId\": \"Node2\", \"last_log_index\": \"-1\","
                + " \"last_log_term\": \"0\", \"sender_name\": \"Node2\", \"request\": \"VOTE_REQUEST\"}"));
        corpus.add(WireSamples.utf8("{\"vote\": true, \"from\": \"Node4\", \"to\": \"Node2\", \"request\": \"VOTE_ACK\", \"term\": \" 3 \"}"));
        return corpus;
    }

    /** Interesting bytes for insertion: JSON structure, quotes, escapes, digits, bad UTF-8. */
    private static final byte[] SPICE = WireSamples.utf8("{}[]\":,\\-+.eE0123456789 nultrfa\u00e9");

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            int kind = r.nextInt(7);
            if (b.length == 0) {
                kind = 3;
            }
            switch (kind) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); // flip a bit
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256); // random byte
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
                case 3 -> { // insert a random or structural byte
                    int at = r.nextInt(b.length + 1);
                    byte ins = r.nextBoolean() ? (byte) r.nextInt(256) : SPICE[r.nextInt(SPICE.length)];
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = ins;
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                case 4 -> { // delete a range
                    int from = r.nextInt(b.length);
                    int to = Math.min(b.length, from + 1 + r.nextInt(8));
                    byte[] n = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, n, 0, from);
                    System.arraycopy(b, to, n, from, b.length - to);
                    b = n;
                }
                case 5 -> { // duplicate a range (repeated fields, doubled brackets)
                    int from = r.nextInt(b.length);
                    int to = Math.min(b.length, from + 1 + r.nextInt(16));
                    byte[] n = new byte[b.length + (to - from)];
                    System.arraycopy(b, 0, n, 0, to);
                    System.arraycopy(b, from, n, to, b.length - from);
                    b = n;
                }
                default -> { // swap two bytes
                    int x = r.nextInt(b.length);
                    int y = r.nextInt(b.length);
                    byte t = b[x];
                    b[x] = b[y];
                    b[y] = t;
                }
            }
        }
        return b;
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        if (b.length > 0 && r.nextBoolean()) {
            b[0] = '{';
        }
        return b;
    }

    @Test
    void decodersOnlyReturnAMessageOrThrowMalformed() {
        Random r = new Random(SEED);
        List<byte[]> corpus = corpus();
        int decodedPeer = 0;
        int decodedController = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = i % 10 == 9 ? randomBytes(r) : mutate(corpus.get(r.nextInt(corpus.size())), r);
            decodedPeer += decodesPeerOrMalformed(input, i);
            decodedController += decodesControllerOrMalformed(input, i);
        }
        // the mutations are not so violent that nothing survives: both paths were exercised
        assertTrue(decodedPeer > 100, "only " + decodedPeer + " mutated peer datagrams decoded");
        assertTrue(decodedController > 100, "only " + decodedController + " mutated controller datagrams decoded");
    }

    private static int decodesPeerOrMalformed(byte[] input, int iteration) {
        PeerMessage m;
        try {
            m = Codec.decodePeer(input, 0, input.length);
        } catch (MalformedMessageException expected) {
            return 0;
        } catch (Throwable t) {
            throw new AssertionError(describe("decodePeer", iteration, input) + " threw " + t, t);
        }
        if (m == null) {
            fail(describe("decodePeer", iteration, input) + " returned null");
        }
        // whatever was accepted encodes back into something that decodes to the same message
        try {
            byte[] again = Codec.encode(m);
            assertEquals(m, Codec.decodePeer(again, 0, again.length), describe("re-decode", iteration, input));
        } catch (MalformedMessageException e) {
            fail(describe("re-decode", iteration, input) + ": accepted " + m + " but its encoding is malformed: " + e.getMessage());
        }
        return 1;
    }

    private static int decodesControllerOrMalformed(byte[] input, int iteration) {
        try {
            ControllerMessage m = Codec.decodeController(input, 0, input.length);
            if (m == null || m.request() == null) {
                fail(describe("decodeController", iteration, input) + " returned " + m);
            }
            return 1;
        } catch (MalformedMessageException expected) {
            return 0;
        } catch (Throwable t) {
            throw new AssertionError(describe("decodeController", iteration, input) + " threw " + t, t);
        }
    }

    private static String describe(String what, int iteration, byte[] input) {
        return what + " (seed " + SEED + ", iteration " + iteration + ", input hex "
                + HexFormat.of().formatHex(input) + ")";
    }
}
