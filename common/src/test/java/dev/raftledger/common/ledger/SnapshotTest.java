package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static dev.raftledger.common.ledger.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static Ledger sample() {
        Ledger l = new Ledger();
        l.apply(0, 1, lunch("c1", 1));
        l.apply(1, 1, add("c2", 4, "3", "USD", "coffee", "", "bo", "2026-01-03"));
        l.apply(2, 2, edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer("chen")));
        l.apply(3, 2, delete("c2", 5, "E9"));
        l.apply(4, 2, add("c3", 1, "1000", "JPY", "travel", "bus", "ana", "2026-02-01"));
        l.apply(5, 2, delete("c3", 2, "E4"));
        l.applyNoop(7, 3);
        return l;
    }

    @Test
    void anEmptyLedgerHasADocumentedSnapshot() throws Exception {
        ObjectNode s = new Ledger().toSnapshot();
        assertEquals("{\"format\":1,\"applied_index\":-1,\"applied_term\":0,\"expenses\":[],\"sessions\":[]}", Codec.toJson(s));
        Ledger back = Ledger.fromSnapshot(s);
        assertEquals(-1, back.appliedIndex());
        assertEquals(new Ledger().stateDigest(), back.stateDigest());
    }

    @Test
    void theSnapshotShape() {
        ObjectNode s = sample().toSnapshot();
        assertEquals(7, s.get("applied_index").longValue());
        assertEquals(3, s.get("applied_term").longValue());
        assertEquals(2, s.get("expenses").size());
        assertEquals("E0", s.get("expenses").get(0).get("id").textValue());
        assertEquals("chen", s.get("expenses").get(0).get("payer").textValue());
        assertEquals("E1", s.get("expenses").get(1).get("id").textValue());
        ArrayNode sessions = (ArrayNode) s.get("sessions");
        assertEquals(3, sessions.size());
        assertEquals("{\"client_id\":\"c2\",\"seq\":5,\"result\":{\"ok\":false,\"id\":\"E9\",\"expense\":null,"
                + "\"error\":\"NOT_FOUND\",\"message\":\"no expense E9 (it never existed or was deleted)\"}}",
                Codec.toJson(sessions.get(1)));
        assertEquals("c3", sessions.get(2).get("client_id").textValue());
    }

    @Test
    void aSnapshotRestoresTheWholeState() throws Exception {
        Ledger original = sample();
        byte[] bytes = Codec.toBytes(original.toSnapshot());
        Ledger restored = Ledger.fromSnapshot(Codec.readTree(bytes));
        assertEquals(original.stateDigest(), restored.stateDigest());
        assertEquals(original.appliedIndex(), restored.appliedIndex());
        assertEquals(original.appliedTerm(), restored.appliedTerm());
        assertEquals(original.list(ExpenseFilter.all()), restored.list(ExpenseFilter.all()));
        assertEquals(original.sessions(), restored.sessions());
        assertEquals(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), Codec.toJson(restored.toSnapshot()));
    }

    @Test
    void aRestoredLedgerGoesOnExactlyAsTheOriginal() throws Exception {
        Ledger original = sample();
        Ledger restored = Ledger.fromSnapshot(Codec.readTree(Codec.toBytes(original.toSnapshot())));
        // the dedup table survived: a retry is answered with its first result, an old seq is superseded
        LedgerResult first = original.session("c1").orElseThrow().result();
        assertEquals(first, restored.apply(8, 3, edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer("chen"))));
        assertEquals(ErrorCode.SUPERSEDED, restored.apply(9, 3, lunch("c2", 4)).error());
        assertSame(original.apply(8, 3, edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer("chen"))),
                original.session("c1").orElseThrow().result());
        original.apply(9, 3, lunch("c2", 4));
        LedgerCommand next = lunch("c4", 1);
        assertEquals(original.apply(10, 3, next), restored.apply(10, 3, next));
        assertEquals("E10", restored.get("E10").orElseThrow().id());
        assertEquals(original.stateDigest(), restored.stateDigest());
    }

    /** Errors inside a snapshot keep the field and code of the rule broken, and say where. */
    private static LedgerException refusedSnapshot(String part, org.junit.jupiter.api.function.Executable call) {
        LedgerException e = org.junit.jupiter.api.Assertions.assertThrows(LedgerException.class, call);
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        return e;
    }

    @Test
    void inconsistentOrMalformedSnapshotsAreRefused() throws Exception {
        String good = Codec.toJson(sample().toSnapshot());
        refused(null, "a snapshot must be a JSON object", () -> Ledger.fromSnapshot(Codec.readTree("[]")));
        refused(null, "got nothing", () -> Ledger.fromSnapshot(null));
        refused("format", "unsupported snapshot format 3", () -> Ledger.fromSnapshot(Codec.readTree(good.replace("\"format\":1", "\"format\":3"))));
        refused("format", "is required", () -> Ledger.fromSnapshot(Codec.readTree(good.replace("\"format\":1,", ""))));
        refused("applied_index", "got -2", () -> Ledger.fromSnapshot(Codec.readTree(good.replace("\"applied_index\":7", "\"applied_index\":-2"))));
        refused("expenses", "E0 changed at index 2, after the applied index 1",
                () -> Ledger.fromSnapshot(Codec.readTree(good.replace("\"applied_index\":7", "\"applied_index\":1"))));
        refused("expenses", "must be a JSON array",
                () -> Ledger.fromSnapshot(Codec.readTree(good.replace("\"expenses\":[", "\"expenses\":{\"x\":[").replace("],\"sessions\"", "]},\"sessions\""))));

        ObjectNode dup = sample().toSnapshot();
        ((ArrayNode) dup.get("expenses")).add(dup.get("expenses").get(0).deepCopy());
        refused("expenses", "expense E0 appears twice", () -> Ledger.fromSnapshot(dup));

        ObjectNode badId = sample().toSnapshot();
        ((ObjectNode) badId.get("expenses").get(1)).put("id", "E0");
        LedgerException e = refusedSnapshot("snapshot expenses[1]: id: must be E1", () -> Ledger.fromSnapshot(badId));
        assertEquals("id", e.field());

        ObjectNode badAmount = sample().toSnapshot();
        ((ObjectNode) badAmount.get("expenses").get(0)).put("amount", "-1");
        refusedSnapshot("snapshot expenses[0]: amount: must be greater than 0", () -> Ledger.fromSnapshot(badAmount));

        ObjectNode dupClient = sample().toSnapshot();
        ((ArrayNode) dupClient.get("sessions")).add(dupClient.get("sessions").get(0).deepCopy());
        refusedSnapshot("snapshot sessions[3]: client_id: client c1 appears twice", () -> Ledger.fromSnapshot(dupClient));

        ObjectNode badSeq = sample().toSnapshot();
        ((ObjectNode) badSeq.get("sessions").get(0)).put("seq", 0);
        refusedSnapshot("snapshot sessions[0]: seq: must be between 1", () -> Ledger.fromSnapshot(badSeq));

        ObjectNode noResult = sample().toSnapshot();
        ((ObjectNode) noResult.get("sessions").get(2)).remove("result");
        refusedSnapshot("snapshot sessions[2]: a result must be a JSON object", () -> Ledger.fromSnapshot(noResult));
        assertTrue(Ledger.fromSnapshot(Codec.readTree(good)).size() == 2);
    }
}
