package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.HostileJsonGenerator.Base;
import dev.raftledger.common.wire.HostileJsonGenerator.Kind;
import dev.raftledger.common.wire.HostileJsonGenerator.Sample;
import dev.raftledger.common.wire.HostileJsonGenerator.TruncationClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 hostile datagrams from {@link HostileJsonGenerator} through every decoder a node runs
 * on what arrives: {@link Codec#decodePeer}, {@link Codec#decodeController}, and
 * {@link LedgerCodec#commandFromJson} on a controller request's value (what an EXPENSE carries)
 * and on the raw bytes. A decoder either accepts or refuses with its own exception
 * ({@link MalformedMessageException}, {@link LedgerException}); nothing else may come out, and
 * the test's timeout bounds the time any input may take. Whatever is accepted encodes back into
 * something that decodes to the same value. Failures name the seed, the sample's number, what
 * was done to it and its bytes, so they replay exactly.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileCodecFuzzTest {

    private static final long SEED = 0x4057_11E5_2026L;
    private static final int SAMPLES = 100_000;

    /** What the decoders made of the samples of one kind. */
    private static final class Tally {
        int samples;
        int peerAccepted;
        int controllerAccepted;
        int commandsAccepted;
    }

    @Test
    void decodersOnlyAcceptOrRefuseAndWhatTheyAcceptSurvivesARoundTrip() {
        HostileJsonGenerator generator = new HostileJsonGenerator(SEED);
        expanded = 0;
        largestExpansion = 0;
        tolerateKnownBug = true;
        knownBugHits = 0;
        Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
        long slowestNanos = 0;
        String slowest = null;
        long bytes = 0;
        int oversized = 0;
        for (int i = 0; i < SAMPLES; i++) {
            Sample s = generator.next();
            Tally t = tallies.computeIfAbsent(s.kind(), k -> new Tally());
            t.samples++;
            bytes += s.bytes().length;
            long started = System.nanoTime();
            boolean peer = peer(s, i);
            boolean controller = controller(s, i, t);
            rawCommand(s, i);
            long took = System.nanoTime() - started;
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = s.kind() + " " + s.base() + " " + abbreviate(s.detail()) + " (" + s.bytes().length + " bytes)";
            }
            t.peerAccepted += peer ? 1 : 0;
            t.controllerAccepted += controller ? 1 : 0;
            if (s.bytes().length > HostileJsonGenerator.LIMIT) {
                oversized++;
                assertFalse(peer || controller, describe(s, i) + ": a datagram over 64,000 bytes was accepted");
            }
            if (s.bytes().length == 0) {
                assertFalse(peer || controller, describe(s, i) + ": an empty datagram was accepted");
            }
        }
        StringBuilder report = new StringBuilder("hostile codec fuzz, seed " + SEED + ": " + SAMPLES + " samples, "
                + bytes / 1024 + " KiB, " + oversized + " over 64,000 bytes; slowest " + slowestNanos / 1_000 + " us: "
                + slowest + "\n  kind              samples  peer-ok  ctl-ok  cmd-ok\n");
        int peerAccepted = 0;
        int controllerAccepted = 0;
        int commandsAccepted = 0;
        for (Map.Entry<Kind, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            report.append(String.format("  %-16s %8d %8d %7d %7d%n", e.getKey(), t.samples, t.peerAccepted,
                    t.controllerAccepted, t.commandsAccepted));
            peerAccepted += t.peerAccepted;
            controllerAccepted += t.controllerAccepted;
            commandsAccepted += t.commandsAccepted;
        }
        report.append("  NumberFormatException let through (known bug, see the disabled test): ").append(knownBugHits)
                .append('\n');
        report.append("  accepted messages whose re-encoding exceeds 64,000 bytes: ").append(expanded)
                .append(" (largest ").append(largestExpansion).append(" bytes)\n");
        System.out.print(report);
        assertEquals(EnumSet.allOf(Kind.class), tallies.keySet(), "every kind of attack was made");
        // the attacks are not all so violent that nothing decodes: the accepting paths ran too
        assertTrue(peerAccepted > 2_000, "peer messages accepted: " + peerAccepted + "\n" + report);
        assertTrue(controllerAccepted > 10_000, "controller messages accepted: " + controllerAccepted + "\n" + report);
        assertTrue(commandsAccepted > 100, "ledger commands accepted: " + commandsAccepted + "\n" + report);
        assertTrue(oversized > 100, "oversized datagrams: " + oversized);
    }

    /**
     * Whether {@code t} is the known bug of {@link #exponentsBeyondTheRangeOfAnIntAreRefusedAsMalformed}
     * (and it is tolerated): Jackson's NumberFormatException for a number it cannot make a
     * BigDecimal of, let through by the codec. Byte flips make such numbers out of long integers
     * ({@code 9223372036854775807} with one digit turned into an {@code E}), so the main run meets
     * it now and then; it is counted and reported there, and fails the disabled test.
     */
    private static boolean knownExponentBug(Throwable t) {
        if (tolerateKnownBug && t instanceof NumberFormatException
                && String.valueOf(t.getMessage()).contains("java.math.BigDecimal")) {
            knownBugHits++;
            return true;
        }
        return false;
    }

    private static boolean tolerateKnownBug = true;
    private static int knownBugHits;

    /** Whether decodePeer accepted; fails on anything but acceptance or MalformedMessageException. */
    private static boolean peer(Sample s, int i) {
        PeerMessage m;
        try {
            m = Codec.decodePeer(s.bytes(), 0, s.bytes().length);
        } catch (MalformedMessageException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty(), describe(s, i));
            return false;
        } catch (Throwable t) {
            if (knownExponentBug(t)) {
                return false;
            }
            throw new AssertionError(describe(s, i) + ": decodePeer threw " + t, t);
        }
        if (m == null) {
            fail(describe(s, i) + ": decodePeer returned null");
        }
        try {
            byte[] again = Codec.encode(m);
            if (expandedBeyondTheLimit(again, s, i)) {
                return true;
            }
            assertEquals(m, Codec.decodePeer(again, 0, again.length), describe(s, i) + ": re-decoded");
        } catch (MalformedMessageException e) {
            fail(describe(s, i) + ": accepted " + m + " but its encoding is malformed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError(describe(s, i) + ": accepted " + m + " but re-encoding threw " + e, e);
        }
        return true;
    }

    /**
     * Whether decodeController accepted; fails on anything but acceptance or
     * MalformedMessageException. An accepted request's value goes on to the ledger's decoder.
     */
    private static boolean controller(Sample s, int i, Tally t) {
        ControllerMessage m;
        try {
            m = Codec.decodeController(s.bytes(), 0, s.bytes().length);
        } catch (MalformedMessageException expected) {
            return false;
        } catch (Throwable e) {
            if (knownExponentBug(e)) {
                return false;
            }
            throw new AssertionError(describe(s, i) + ": decodeController threw " + e, e);
        }
        if (m == null || m.request() == null || m.request().isEmpty()) {
            fail(describe(s, i) + ": decodeController returned " + m);
        }
        try {
            byte[] again = Codec.encode(m);
            if (expandedBeyondTheLimit(again, s, i)) {
                return true;
            }
            ControllerMessage back = Codec.decodeController(again, 0, again.length);
            assertTrue(sameController(m, back), describe(s, i) + ": re-decoded " + back + ", not " + m);
        } catch (MalformedMessageException e) {
            fail(describe(s, i) + ": accepted " + m + " but its encoding is malformed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError(describe(s, i) + ": accepted " + m + " but re-encoding threw " + e, e);
        }
        if (m.value() != null) {
            t.commandsAccepted += command(m.value(), s, i) ? 1 : 0;
        }
        return true;
    }

    /**
     * Whether the re-encoding of an accepted message is larger than a datagram may be. The
     * codec writes every character outside the Basic Multilingual Plane as two escapes (12 bytes
     * for the 4 of its UTF-8), so a message near the limit that is full of them encodes to up to
     * three times its size. Such an encoding is still valid JSON (checked here) but no node would
     * accept it as a datagram; these are counted and reported, not failed.
     */
    private static boolean expandedBeyondTheLimit(byte[] again, Sample s, int i) throws MalformedMessageException {
        if (again.length <= HostileJsonGenerator.LIMIT) {
            return false;
        }
        assertTrue(Codec.readTree(again).isObject(), describe(s, i) + ": its re-encoding is not an object");
        expanded++;
        largestExpansion = Math.max(largestExpansion, again.length);
        return true;
    }

    private static int expanded;
    private static int largestExpansion;

    /**
     * Equal, numbers compared by value: the codec writes a decimal with no fraction left
     * ({@code 3e0}, {@code 1.0E+2}) as the plain number it is ({@code 3}, {@code 100}), which reads
     * back as an integer node. JSON has one number type, so that is the same value.
     */
    static boolean sameController(ControllerMessage a, ControllerMessage b) {
        return Objects.equals(a.senderName(), b.senderName()) && a.request().equals(b.request())
                && Objects.equals(a.term(), b.term()) && sameTree(a.key(), b.key()) && sameTree(a.value(), b.value());
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    };

    private static boolean sameTree(JsonNode x, JsonNode y) {
        return x == null ? y == null : y != null && x.equals(NUMBERS_BY_VALUE, y);
    }

    /** What a node does with an EXPENSE's value: decode and validate it as a ledger command. */
    private static boolean command(JsonNode value, Sample s, int i) {
        LedgerCommand c;
        try {
            c = LedgerCodec.commandFromJson(value);
        } catch (LedgerException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty(), describe(s, i));
            return false;
        } catch (Throwable e) {
            throw new AssertionError(describe(s, i) + ": commandFromJson(value) threw " + e, e);
        }
        try {
            assertEquals(c, LedgerCodec.commandFromJson(LedgerCodec.commandToJson(c)), describe(s, i) + ": command round trip");
            byte[] stored = Codec.toBytes(LedgerCodec.commandToJson(c));
            assertEquals(c, LedgerCodec.commandFromJson(stored), describe(s, i) + ": command as stored in the log");
        } catch (LedgerException e) {
            fail(describe(s, i) + ": accepted " + c + " but its encoding is refused: " + e.getMessage());
        }
        return true;
    }

    /** The ledger's decoder on the raw bytes: accepts or throws LedgerException, nothing else. */
    private static void rawCommand(Sample s, int i) {
        try {
            LedgerCodec.commandFromJson(s.bytes());
        } catch (LedgerException expected) {
            // refused: fine
        } catch (Throwable e) {
            if (knownExponentBug(e)) {
                return;
            }
            throw new AssertionError(describe(s, i) + ": commandFromJson(bytes) threw " + e, e);
        }
    }

    @Test
    void theSameSeedGivesTheSameDatagramsAndAnotherSeedOthers() {
        HostileJsonGenerator a = new HostileJsonGenerator(SEED);
        HostileJsonGenerator b = new HostileJsonGenerator(SEED);
        HostileJsonGenerator c = new HostileJsonGenerator(SEED + 1);
        int differ = 0;
        for (int i = 0; i < 5_000; i++) {
            Sample x = a.next();
            Sample y = b.next();
            assertArrayEquals(x.bytes(), y.bytes(), "sample " + i);
            assertEquals(x.detail(), y.detail(), "sample " + i);
            differ += java.util.Arrays.equals(x.bytes(), c.get()) ? 0 : 1;
        }
        assertTrue(differ > 4_000, "another seed, other datagrams: only " + differ + " of 5000 differ");
    }

    @Test
    void coversEveryKindBaseTruncationClassAndSizeEdge() {
        HostileJsonGenerator g = new HostileJsonGenerator(SEED);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Set<Base> bases = EnumSet.noneOf(Base.class);
        Set<TruncationClass> cuts = EnumSet.noneOf(TruncationClass.class);
        boolean atLimit = false;
        boolean justOver = false;
        boolean udpMax = false;
        boolean deep = false;
        boolean duplicateByEscape = false;
        boolean stranger = false;
        boolean absurdTerm = false;
        List<String> encodings = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            Sample s = g.next();
            kinds.add(s.kind());
            bases.add(s.base());
            int n = s.bytes().length;
            assertTrue(n <= HostileJsonGenerator.UDP_MAX_PAYLOAD, "fits in a UDP datagram: " + n);
            atLimit |= n == HostileJsonGenerator.LIMIT;
            justOver |= n == HostileJsonGenerator.LIMIT + 1;
            udpMax |= n == HostileJsonGenerator.UDP_MAX_PAYLOAD;
            if (s.kind() == Kind.TRUNCATED) {
                cuts.add(TruncationClass.valueOf(s.detail().split(" ")[1]));
            }
            deep |= s.kind() == Kind.DEEP_NESTING && s.detail().contains("depth 20000");
            duplicateByEscape |= s.kind() == Kind.DUPLICATE_KEY && s.detail().contains("\\u00");
            stranger |= s.kind() == Kind.STRANGER && s.detail().contains("sender_name='Mallory'");
            absurdTerm |= s.detail().contains("term=" + HostileJsonGenerator.MAX_COUNTER);
            if (s.kind() == Kind.BAD_UTF8 && s.detail().contains(" as ")) {
                encodings.add(s.detail().substring(s.detail().indexOf(" as ") + 4));
            }
        }
        assertEquals(EnumSet.allOf(Kind.class), kinds);
        assertEquals(EnumSet.allOf(Base.class), bases);
        assertEquals(EnumSet.allOf(TruncationClass.class), cuts, "a cut at every class of position");
        assertTrue(atLimit && justOver && udpMax, "exactly 64,000, 64,001 and 65,507 bytes");
        assertTrue(deep, "nesting 20,000 deep");
        assertTrue(duplicateByEscape, "a key duplicated through an escape");
        assertTrue(stranger, "a stranger's message");
        assertTrue(absurdTerm, "a term of 2^53-1");
        assertTrue(encodings.contains("UTF-16LE") && encodings.contains("UTF-32BE"), "other encodings: " + encodings);
    }

    @Test
    void theTruncationScannerNamesThePositionsOfAKnownMessage() {
        byte[] json = "{\"a\":\"x\\u00e9\u00e9\",\"b\":[12,{\"c\":true}]}".getBytes(StandardCharsets.UTF_8);
        Map<TruncationClass, List<Integer>> at = HostileJsonGenerator.truncationPoints(json);
        // {"a":"x\u00e9é","b":[12,{"c":true}]}: a cut at i keeps bytes 0..i-1
        assertEquals(List.of(0), at.get(TruncationClass.EMPTY));
        assertEquals(List.of(1), at.get(TruncationClass.AFTER_OPEN));
        assertEquals(List.of(2, 3, 18, 19, 27, 28), at.get(TruncationClass.IN_KEY));
        assertEquals(List.of(4, 20), at.get(TruncationClass.AFTER_KEY));
        assertEquals(List.of(5, 21), at.get(TruncationClass.AFTER_COLON));
        assertEquals(List.of(6, 7, 13, 15), at.get(TruncationClass.IN_STRING));
        assertEquals(List.of(8, 9, 10, 11, 12), at.get(TruncationClass.MID_ESCAPE));
        assertEquals(List.of(14), at.get(TruncationClass.MID_UTF8));
        assertEquals(List.of(16), at.get(TruncationClass.AFTER_VALUE));
        assertEquals(List.of(17), at.get(TruncationClass.AFTER_COMMA));
        assertEquals(List.of(23), at.get(TruncationClass.IN_NUMBER));
        assertEquals(List.of(31, 32, 33), at.get(TruncationClass.IN_LITERAL));
        assertEquals(List.of(json.length - 1), at.get(TruncationClass.BEFORE_LAST));
        assertTrue(at.get(TruncationClass.NESTED).containsAll(List.of(22, 24, 25, 26, 29, 30, 34, 35)), at.toString());
    }

    /**
     * A number whose exponent is beyond an int's range ({@code 1e9999999999}: 12 bytes) makes
     * Jackson throw a NumberFormatException while building the tree; {@code Codec.readTree}
     * catches only Jackson's processing exceptions, so the RuntimeException leaves the decoders.
     * In raftd the listener thread that received the datagram dies of it (it catches only
     * MalformedMessageException), and the node stays deaf on that port: see HostileInputIT.
     */
    @Test
    void exponentsBeyondTheRangeOfAnIntAreRefusedAsMalformed() {
        tolerateKnownBug = false;
        List<byte[]> inputs = new ArrayList<>();
        for (String n : HostileJsonGenerator.OVERFLOWING_EXPONENTS) {
            inputs.add(("{\"request\":\"X\",\"value\":" + n + "}").getBytes(StandardCharsets.UTF_8));
            inputs.add(("{\"term\":" + n + ",\"candidateId\":\"Node2\",\"last_log_index\":-1,\"last_log_term\":0,"
                    + "\"sender_name\":\"Node2\",\"request\":\"VOTE_REQUEST\"}").getBytes(StandardCharsets.UTF_8));
            inputs.add(("{\"op\":\"add\",\"seq\":" + n + "}").getBytes(StandardCharsets.UTF_8));
        }
        HostileJsonGenerator g = new HostileJsonGenerator(SEED, HostileJsonGenerator.DEFAULT_MEMBERS,
                HostileJsonGenerator.DEFAULT_STRANGERS, true);
        for (int i = 0; i < 20_000; i++) {
            inputs.add(g.next(Kind.BAD_NUMBER).bytes());
        }
        for (int i = 0; i < inputs.size(); i++) {
            Sample s = new Sample(Kind.BAD_NUMBER, Base.CONTROLLER, "overflowing exponent", inputs.get(i));
            peer(s, i);
            controller(s, i, new Tally());
            rawCommand(s, i);
        }
    }

    private static String describe(Sample s, int i) {
        byte[] b = s.bytes();
        String hex = HexFormat.of().formatHex(b, 0, Math.min(b.length, 600)) + (b.length > 600 ? "..." : "");
        return "seed " + SEED + " sample " + i + " " + s.kind() + " of " + s.base() + " (" + abbreviate(s.detail())
                + "), " + b.length + " bytes: " + hex;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
