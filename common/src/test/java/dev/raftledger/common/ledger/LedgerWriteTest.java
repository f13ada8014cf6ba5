package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A write is decoded and validated once, when the leader accepts it ({@link LedgerCodec#accept});
 * the entry's bytes are streamed from that ({@link LedgerCodec#entryBytes}) and the leader applies
 * the kept write ({@link Ledger#apply(long, long, LedgerWrite)}) instead of decoding its entry
 * back. Each of those must be exactly what the tree path did and does on every other replica:
 * the same bytes in the log, the same write decoded from them, the same results and state.
 */
class LedgerWriteTest {

    /** Clients' commands as they arrive: some not yet normalised (spaces, short amounts, lower-case currency). */
    private static final List<String> COMMANDS = List.of(
            "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"12.5\",\"currency\":\"eur\",\"category\":\" food \","
                    + "\"description\":\"  lunch \",\"payer\":\"ana\",\"date\":\"2026-11-25\"}",
            "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":\"2\",\"amount\":\"7\",\"currency\":\"JPY\",\"category\":\"café\","
                    + "\"payer\":\"zoë\",\"date\":\"2026-01-02\"}",
            "{\"op\":\"add\",\"client_id\":\"c2\",\"seq\":1,\"amount\":\"0.10\",\"currency\":\"USD\",\"category\":\"a \\\"quoted\\\" one\","
                    + "\"description\":\"tab here, back\\\\slash, \\u00e9, \\ud83d\\ude00\",\"payer\":\"b\",\"date\":\"2026-02-28\"}",
            "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":3,\"id\":\"E0\",\"payer\":\" bo \"}",
            "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":4,\"id\":\"E0\",\"amount\":\"3\",\"currency\":\"usd\",\"date\":\"2026-12-01\","
                    + "\"description\":\"\"}",
            "{\"op\":\"edit\",\"client_id\":\"c2\",\"seq\":2,\"id\":\"E2\",\"category\":\"travel\",\"description\":null}",
            "{\"op\":\"edit\",\"client_id\":\"c2\",\"seq\":3,\"id\":\"E77\",\"category\":\"none\"}",
            "{\"date\":\"2027-01-01\",\"payer\":\"cy\",\"description\":\"all\",\"category\":\"k\",\"currency\":\"GBP\","
                    + "\"amount\":\"2\",\"id\":\"E2\",\"seq\":4,\"client_id\":\"c2\",\"op\":\"edit\"}",
            "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":5,\"id\":\"E1\"}",
            "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":5,\"id\":\"E1\"}",
            "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":4,\"id\":\"E1\"}",
            "{\"op\":\"add\",\"client_id\":\"c3\",\"seq\":9,\"amount\":\"1.25\",\"currency\":\"CHF\",\"category\":\"x\","
                    + "\"payer\":\"y\",\"date\":\"2026-03-03\"}");

    private static final List<Ledger.Stamp> STAMPS = List.of(Ledger.Stamp.NONE,
            new Ledger.Stamp(1_796_601_600_000L, 86_400_000L),
            new Ledger.Stamp(0, 0, "alice"),
            new Ledger.Stamp(1_796_601_700_000L, 60_000L, "bob.ops@example"));

    private static JsonNode tree(String json) throws Exception {
        return Codec.readTree(json);
    }

    @Test
    void theEntrysBytesAreThoseTheTreeGave() throws Exception {
        for (String command : COMMANDS) {
            for (Ledger.Stamp stamp : STAMPS) {
                LedgerWrite w = LedgerCodec.accept(tree(command), stamp);
                byte[] viaTree = Codec.toBytes(LedgerCodec.stamped(LedgerCodec.commandToJson(w.command()), stamp));
                assertArrayEquals(viaTree, LedgerCodec.entryBytes(w), () -> command + " " + stamp);
            }
        }
    }

    @Test
    void theKeptWriteIsWhatTheEntryDecodesTo() throws Exception {
        for (String command : COMMANDS) {
            for (Ledger.Stamp stamp : STAMPS) {
                LedgerWrite kept = LedgerCodec.accept(tree(command), stamp);
                LedgerWrite decoded = LedgerCodec.writeFromLog(Codec.readTree(LedgerCodec.entryBytes(kept)));
                assertEquals(kept, decoded, command);
            }
        }
    }

    @Test
    void applyingTheKeptWriteEqualsApplyingTheEntrysBytes() throws Exception {
        Ledger fromKept = new Ledger();
        Ledger fromBytes = new Ledger();
        List<LedgerResult> kept = new ArrayList<>();
        List<LedgerResult> decoded = new ArrayList<>();
        long index = 0;
        // the commands twice over, with stamps that move the clock far enough to expire sessions
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < COMMANDS.size(); i++) {
                Ledger.Stamp base = STAMPS.get(i % STAMPS.size());
                Ledger.Stamp stamp = base.hasTime()
                        ? new Ledger.Stamp(base.time() + round * 2 * 86_400_000L + i, base.sessionTtlMs(), base.by()) : base;
                LedgerWrite w = LedgerCodec.accept(tree(COMMANDS.get(i)), stamp);
                long term = 1 + index / 5;
                kept.add(fromKept.apply(index, term, w));
                decoded.add(fromBytes.apply(index, term, Codec.readTree(LedgerCodec.entryBytes(w))));
                index++;
            }
        }
        assertEquals(decoded, kept);
        assertEquals(Codec.toJson(fromBytes.toSnapshot()), Codec.toJson(fromKept.toSnapshot()));
        assertEquals(fromBytes.stateDigest(), fromKept.stateDigest());
    }

    @Test
    void aFollowerReadsEachEntryWithoutATreeAsTheTreeReadsIt() throws Exception {
        for (String command : COMMANDS) {
            for (Ledger.Stamp stamp : STAMPS) {
                byte[] entry = LedgerCodec.entryBytes(LedgerCodec.accept(tree(command), stamp));
                assertEquals(LedgerCodec.writeFromLog(Codec.readTree(entry)), LedgerCodec.fastWriteFromLog(entry), command);
            }
        }
    }

    /**
     * Entries no leader writes (fields missing, null, of another type, unknown, invalid values,
     * duplicated): the streaming reader either declines (the tree path then refuses or takes it,
     * with its own messages) or reads exactly what the tree reads; it never takes what the tree
     * refuses.
     */
    @Test
    void theStreamingReaderNeverDisagreesWithTheTree() throws Exception {
        List<byte[]> entries = new ArrayList<>();
        for (String command : COMMANDS) {
            for (Ledger.Stamp stamp : STAMPS) {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
                        Codec.readTree(LedgerCodec.entryBytes(LedgerCodec.accept(tree(command), stamp)));
                List<String> fields = new ArrayList<>();
                o.fieldNames().forEachRemaining(fields::add);
                fields.addAll(List.of("time", "session_ttl", "by", "x", "id", "amount", "currency"));
                for (String f : fields) {
                    for (JsonNode v : List.of(com.fasterxml.jackson.databind.node.NullNode.instance, tree("5"), tree("\"5\""),
                            tree("true"), tree("{\"a\":1}"), tree("\"\""), tree("\" \""), tree("\"-1\""), tree("\"ZZZ\""),
                            tree("\"2026-13-01\""), tree("\"a b\""), tree("1.5"), tree("99999999999999999999"),
                            tree("\"E3\""), tree("\"EUR\""), tree("\"edit\""), tree("\"delete\""))) {
                        com.fasterxml.jackson.databind.node.ObjectNode m = o.deepCopy();
                        m.set(f, v);
                        entries.add(Codec.toBytes(m));
                    }
                    com.fasterxml.jackson.databind.node.ObjectNode m = o.deepCopy();
                    m.remove(f);
                    entries.add(Codec.toBytes(m));
                }
            }
        }
        entries.add("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":5,\"id\":\"E1\",\"id\":\"E2\"}".getBytes());
        entries.add("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":5,\"id\":\"E1\"} {}".getBytes());
        entries.add("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":5,\"id\":\"E1\"".getBytes());
        int taken = 0;
        for (byte[] entry : entries) {
            LedgerWrite fast = LedgerCodec.fastWriteFromLog(entry);
            LedgerWrite viaTree;
            try {
                viaTree = LedgerCodec.writeFromLog(Codec.readTree(entry));
            } catch (LedgerException | dev.raftledger.common.wire.MalformedMessageException refused) {
                viaTree = null;
            }
            if (fast != null) {
                taken++;
                assertEquals(viaTree, fast, new String(entry, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(taken > entries.size() / 10, taken + " of " + entries.size());
    }

    @Test
    void aCommandIsRefusedWithTheSameErrorAsBefore() throws Exception {
        for (String bad : List.of("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":12.5,\"currency\":\"EUR\","
                        + "\"category\":\"f\",\"payer\":\"a\",\"date\":\"2026-11-25\"}",
                "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"12.5\",\"currency\":\"EUR\","
                        + "\"category\":\"f\",\"payer\":\"a\",\"date\":\"2026-11-25\",\"time\":5}",
                "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"by\":\"mallory\"}",
                "{\"op\":\"fly\"}", "[1]")) {
            LedgerException before = assertThrows(LedgerException.class, () -> LedgerCodec.commandFromJson(tree(bad)));
            LedgerException now = assertThrows(LedgerException.class, () -> LedgerCodec.accept(tree(bad), Ledger.Stamp.NONE));
            assertEquals(before.getMessage(), now.getMessage(), bad);
            assertEquals(before.code(), now.code(), bad);
        }
    }
}
