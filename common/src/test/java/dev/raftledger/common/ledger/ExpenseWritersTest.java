package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.backup.ExpensesDigest;
import dev.raftledger.common.wire.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Each write records who made it: the leader stamps the name of the identity whose key sealed
 * the request ({@code by}) into the log entry, an add records it as the expense's created_by and
 * updated_by, an edit as its updated_by; snapshots and JSON keep it; a client cannot set it; and
 * a ledger without any keeps the bytes (JSON, snapshots, digests) it had before writers existed.
 */
class ExpenseWritersTest {

    /** 2026-12-07T00:00:00Z. */
    private static final long T0 = 1_796_601_600_000L;

    private static Ledger.Stamp by(String name) {
        return Ledger.Stamp.NONE.by(name);
    }

    /** A command's log entry as the leader writes it: the command's JSON and the stamp. */
    private static JsonNode entry(LedgerCommand cmd, Ledger.Stamp stamp) throws Exception {
        return Codec.readTree(Codec.toBytes(LedgerCodec.stamped(LedgerCodec.commandToJson(cmd), stamp)));
    }

    @Test
    void anAddRecordsItsWriterAndAnEditItsOwn() throws Exception {
        Ledger l = new Ledger();
        LedgerResult added = l.apply(0, 1, entry(lunch("c", 1), by("alice")));
        assertTrue(added.ok(), added.toString());
        Expense e = l.get("E0").orElseThrow();
        assertEquals("alice", e.createdBy());
        assertEquals("alice", e.updatedBy());
        assertEquals(e, added.expense(), "the reply carries the writer too");

        LedgerResult edited = l.apply(1, 1, entry(edit("c", 2, "E0", ExpenseChanges.NONE.withCategory("travel")),
                new Ledger.Stamp(T0, 3_600_000, "bob")));
        assertTrue(edited.ok(), edited.toString());
        e = l.get("E0").orElseThrow();
        assertEquals("alice", e.createdBy(), "an edit keeps who created it");
        assertEquals("bob", e.updatedBy());
        assertEquals("travel", e.category());
        assertEquals(T0, l.clock(), "a writer alongside a time: the clock moves as before");

        // an edit of unknown origin (no key) says so rather than keep the last writer
        l.apply(2, 1, edit("c", 3, "E0", ExpenseChanges.NONE.withDescription("dinner")));
        assertEquals("alice", l.get("E0").orElseThrow().createdBy());
        assertNull(l.get("E0").orElseThrow().updatedBy());

        // through the in-memory path as well
        l.apply(3, 1, by("carol"), lunch("c", 4));
        assertEquals("carol", l.get("E3").orElseThrow().createdBy());
        assertTrue(l.apply(4, 1, by("dave"), delete("c", 5, "E3")).ok());
        assertFalse(l.get("E3").isPresent(), "a deletion removes the expense; the log keeps who asked");
    }

    /** The names cost a ledger one shared pair per pair of writers, not two strings an expense. */
    @Test
    void writersAreSharedAndAbsentWhenUnknown() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, entry(lunch("a", 1), by(new String("alice"))));
        l.apply(1, 1, entry(lunch("b", 1), by(new String("alice"))));
        l.apply(2, 1, entry(lunch("c", 1), Ledger.Stamp.NONE));
        assertTrue(l.get("E0").orElseThrow().writers() == l.get("E1").orElseThrow().writers(), "one pair for both");
        assertNull(l.get("E2").orElseThrow().writers(), "no writers, no object");
        Ledger back = Ledger.fromSnapshot(l.toSnapshot());
        assertTrue(back.get("E0").orElseThrow().writers() == l.get("E0").orElseThrow().writers(),
                "a snapshot read shares them too");
    }

    @Test
    void aWriterAloneLeavesTheClockAndTheSnapshotFormatAsTheyAre() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, entry(lunch("c", 1), by("alice")));
        assertEquals(0, l.clock());
        assertEquals(0, l.sessionTtlMs());
        assertEquals(1, l.format(), "no time stamped: no clock, format 1");
    }

    @Test
    void snapshotsKeepTheWritersTreeAndStream() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, entry(lunch("a", 1), by("alice")));
        l.apply(1, 1, entry(lunch("b", 1), Ledger.Stamp.NONE)); // a write of unknown origin
        l.apply(2, 2, entry(edit("a", 2, "E0", ExpenseChanges.NONE.withPayer("bo")), by("bob")));
        ObjectNode snapshot = l.toSnapshot();
        JsonNode first = snapshot.get("expenses").get(0);
        assertEquals("alice", first.get("created_by").textValue());
        assertEquals("bob", first.get("updated_by").textValue());
        assertFalse(snapshot.get("expenses").get(1).has("created_by"), "unknown: no field, not null");
        assertFalse(snapshot.get("expenses").get(1).has("updated_by"));
        // the session's stored result holds the expense as it was when written
        assertEquals("alice", snapshot.get("sessions").get(0).get("result").get("expense").get("created_by").textValue());

        Ledger tree = Ledger.fromSnapshot(snapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.writeSnapshot(out);
        assertEquals(Codec.toJson(snapshot), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                "the streamed snapshot is the tree's bytes");
        Ledger stream = Ledger.readSnapshot(new ByteArrayInputStream(out.toByteArray()));
        for (Ledger back : new Ledger[] {tree, stream}) {
            assertEquals(l.stateDigest(), back.stateDigest());
            assertEquals("alice", back.get("E0").orElseThrow().createdBy());
            assertEquals("bob", back.get("E0").orElseThrow().updatedBy());
            assertNull(back.get("E1").orElseThrow().createdBy());
            assertEquals(l.session("a"), back.session("a"));
        }

        String text = Codec.toJson(snapshot);
        LedgerException badName = assertThrows(LedgerException.class,
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace("\"created_by\":\"alice\"", "\"created_by\":\"a b\""))));
        assertEquals("snapshot expenses[0]: created_by: must be an identity's name: 1-64 letters, digits and . _ @ -,"
                + " starting with a letter or digit, got 'a b'", badName.getMessage());
        LedgerException notText = assertThrows(LedgerException.class,
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace("\"updated_by\":\"bob\"", "\"updated_by\":7"))));
        assertEquals("updated_by", notText.field());
        assertTrue(notText.getMessage().contains("must be a JSON string"), notText.getMessage());
    }

    @Test
    void aClientCannotSayWhoWrote() throws Exception {
        ObjectNode cmd = LedgerCodec.commandToJson(lunch("x", 1));
        cmd.put("by", "admin");
        LedgerException e = Fixtures.refused("by", "a client may not set it",
                () -> LedgerCodec.commandFromJson(Codec.toBytes(cmd)));
        assertEquals(ErrorCode.INVALID, e.code());
        ObjectNode nullBy = LedgerCodec.commandToJson(edit("x", 2, "E0", ExpenseChanges.NONE.withPayer("p")));
        nullBy.putNull("by");
        Fixtures.refused("by", "a client may not set it", () -> LedgerCodec.commandFromJson(Codec.toBytes(nullBy)));
        ObjectNode del = LedgerCodec.commandToJson(delete("x", 3, "E0"));
        del.put("by", "node");
        Fixtures.refused("by", "a client may not set it", () -> LedgerCodec.commandFromJson(Codec.toBytes(del)));
    }

    @Test
    void aBadWriterInTheLogIsARefusedCommandAndChangesNothing() throws Exception {
        Ledger l = new Ledger();
        ObjectNode bad = LedgerCodec.commandToJson(lunch("c", 1));
        bad.put("time", T0);
        bad.put("session_ttl", 3_600_000);
        bad.put("by", "not a name");
        LedgerResult r = l.apply(0, 1, Codec.readTree(Codec.toBytes(bad)));
        assertEquals(ErrorCode.INVALID, r.error());
        assertTrue(r.message().startsWith("by: must be an identity's name"), r.message());
        assertEquals(0, l.size());
        assertEquals(0, l.clock(), "a bad stamp moves nothing");
        assertThrows(IllegalArgumentException.class, () -> Ledger.Stamp.NONE.by(""));
        assertThrows(IllegalArgumentException.class, () -> Ledger.Stamp.NONE.by("x".repeat(65)));
    }

    @Test
    void withoutWritersTheBytesAreThoseOfBefore() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, entry(lunch("c", 1), Ledger.Stamp.NONE));
        JsonNode stored = LedgerCodec.commandToJson(lunch("c", 1));
        assertEquals(Codec.toJson(stored), Codec.toJson(LedgerCodec.stamped(LedgerCodec.commandToJson(lunch("c", 1)),
                Ledger.Stamp.NONE)), "no stamp adds nothing to the entry");
        assertEquals("{\"id\":\"E0\",\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"food\",\"description\":"
                + "\"lunch\",\"payer\":\"ana\",\"date\":\"2026-11-25\",\"created_term\":1,\"created_index\":0,"
                + "\"updated_term\":1,\"updated_index\":0}", Codec.toJson(LedgerCodec.expenseToJson(l.get("E0").orElseThrow())));

        // a snapshot written before writers existed: its state and expenses digests are unchanged,
        // so backups taken before verify after (the digests pinned from the code before)
        Ledger old;
        try (InputStream in = getClass().getResourceAsStream("snapshot-format1.json")) {
            old = Ledger.readSnapshot(in);
        }
        assertEquals("2f09e17aea7f37990609a5ac2c1ef0017cc20de1e9c8ba5832f749c5cf08bcf0", old.stateDigest());
        assertEquals("dfbfd92710aff9d6c7d7c08e396c06b0d4d988e86b6e17c5b47fafcb65cce2f5", ExpensesDigest.of(old));
    }

    @Test
    void theExpensesDigestCoversTheWriters() throws Exception {
        Ledger a = new Ledger();
        Ledger b = new Ledger();
        a.apply(0, 1, entry(lunch("c", 1), by("alice")));
        b.apply(0, 1, entry(lunch("c", 1), by("mallory")));
        assertFalse(ExpensesDigest.of(a).equals(ExpensesDigest.of(b)), "who wrote is part of what a backup verifies");
        assertFalse(a.stateDigest().equals(b.stateDigest()));
    }
}
