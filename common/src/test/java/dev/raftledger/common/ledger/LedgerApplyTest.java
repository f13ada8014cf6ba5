package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static dev.raftledger.common.ledger.Fixtures.money;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerApplyTest {

    private final Ledger ledger = new Ledger();

    @Test
    void emptyLedger() {
        assertEquals(-1, ledger.appliedIndex());
        assertEquals(0, ledger.appliedTerm());
        assertEquals(0, ledger.size());
        assertTrue(ledger.list(ExpenseFilter.all()).isEmpty());
    }

    @Test
    void addStoresTheExpenseUnderAnIdMadeFromTheLogIndex() {
        LedgerResult r = ledger.apply(4, 2, add("c1", 1, "12.5", "EUR", " food ", "lunch", "ana", "2026-11-25"));
        Expense expected = new Expense("E4", money("12.50", "EUR"), "food", "lunch", "ana", date("2026-11-25"), 2, 4, 2, 4);
        assertEquals(LedgerResult.ok("E4", expected), r);
        assertEquals(expected, ledger.get("E4").orElseThrow());
        assertEquals(4, ledger.appliedIndex());
        assertEquals(2, ledger.appliedTerm());
        assertEquals(1, ledger.size());
    }

    @Test
    void idsAreTheSameOnEveryReplicaAndNeverReused() {
        Ledger other = new Ledger();
        for (Ledger l : List.of(ledger, other)) {
            assertEquals("E0", l.apply(0, 1, lunch("c1", 1)).id());
            l.applyNoop(1, 1);
            assertEquals("E2", l.apply(2, 1, lunch("c2", 1)).id());
            assertTrue(l.apply(3, 1, delete("c1", 2, "E2")).ok());
            assertEquals("E4", l.apply(4, 2, lunch("c1", 3)).id());
        }
        assertEquals(ledger.list(ExpenseFilter.all()), other.list(ExpenseFilter.all()));
        assertFalse(ledger.get("E2").isPresent());
    }

    @Test
    void editChangesOnlyTheGivenFieldsAndTheUpdatePosition() {
        ledger.apply(0, 1, add("c1", 1, "12.50", "EUR", "food", "lunch", "ana", "2026-11-25"));
        LedgerResult r = ledger.apply(5, 3, edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer(" bo ")));
        Expense after = new Expense("E0", money("12.50", "EUR"), "food", "lunch", "bo", date("2026-11-25"), 1, 0, 3, 5);
        assertEquals(LedgerResult.ok("E0", after), r);
        assertEquals(after, ledger.get("E0").orElseThrow());

        ledger.apply(6, 3, edit("c1", 3, "E0", ExpenseChanges.NONE.withDescription("")
                .withAmount(money("20", "USD")).withDate(date("2026-12-01"))));
        assertEquals(new Expense("E0", money("20.00", "USD"), "food", "", "bo", date("2026-12-01"), 1, 0, 3, 6),
                ledger.get("E0").orElseThrow());

        ledger.apply(7, 4, edit("c1", 4, "E0", ExpenseChanges.NONE.withCategory("travel")));
        Expense last = ledger.get("E0").orElseThrow();
        assertEquals("travel", last.category());
        assertEquals("bo", last.payer());
        assertEquals(1, last.createdTerm());
        assertEquals(0, last.createdIndex());
        assertEquals(4, last.updatedTerm());
        assertEquals(7, last.updatedIndex());
    }

    @Test
    void deleteRemovesAndLaterWritesToTheIdAreNotFound() {
        ledger.apply(0, 1, lunch("c1", 1));
        LedgerResult r = ledger.apply(1, 1, delete("c1", 2, "E0"));
        assertEquals(LedgerResult.ok("E0", null), r);
        assertEquals(0, ledger.size());
        LedgerResult again = ledger.apply(2, 1, delete("c1", 3, "E0"));
        assertEquals(LedgerResult.error(ErrorCode.NOT_FOUND, "E0", "no expense E0 (it never existed or was deleted)"), again);
        assertEquals(ErrorCode.NOT_FOUND, ledger.apply(3, 1, edit("c1", 4, "E0", ExpenseChanges.NONE.withPayer("x"))).error());
    }

    @Test
    void unknownIdsAreNotFound() {
        LedgerResult r = ledger.apply(0, 1, delete("c1", 1, "E77"));
        assertFalse(r.ok());
        assertEquals(ErrorCode.NOT_FOUND, r.error());
        assertEquals("E77", r.id());
        assertNull(r.expense());
        assertEquals(ErrorCode.NOT_FOUND, ledger.apply(1, 1, edit("c1", 2, "E5", ExpenseChanges.NONE.withPayer("x"))).error());
        assertEquals(0, ledger.size());
    }

    @Test
    void invalidCommandsInTheLogAreErrorResultsAndStoreNothing() {
        LedgerResult empty = ledger.apply(0, 1, new LedgerCommand.Add("c1", 1,
                new ExpenseDraft(money("1", "EUR"), "", "", "ana", date("2026-01-01"))));
        assertEquals(LedgerResult.error(ErrorCode.INVALID, null, "category: must not be empty"), empty);
        LedgerResult noDraft = ledger.apply(1, 1, new LedgerCommand.Add("c1", 2, null));
        assertEquals(ErrorCode.INVALID, noDraft.error());
        LedgerResult oldDate = ledger.apply(2, 1, new LedgerCommand.Add("c1", 3,
                new ExpenseDraft(money("1", "EUR"), "f", "", "ana", date("1850-01-01"))));
        assertEquals("date: year must be between 1900 and 2999, got 1850-01-01", oldDate.message());
        LedgerResult nothing = ledger.apply(3, 1, edit("c1", 4, "E0", ExpenseChanges.NONE));
        assertTrue(nothing.message().startsWith("nothing to change"), nothing.message());
        LedgerResult badId = ledger.apply(4, 1, delete("c1", 5, "0"));
        assertTrue(badId.message().startsWith("id: must be an expense id"), badId.message());
        LedgerResult badClient = ledger.apply(5, 1, lunch("bad client", 1));
        assertEquals("client_id: may contain only letters, digits and . _ : -, got 'bad client'", badClient.message());
        LedgerResult badSeq = ledger.apply(6, 1, lunch("c2", 0));
        assertEquals(ErrorCode.INVALID, badSeq.error());
        assertEquals(ErrorCode.INVALID, ledger.apply(7, 1, (LedgerCommand) null).error());
        assertEquals(0, ledger.size());
        assertEquals(7, ledger.appliedIndex());
        // refused writes with a valid client and seq are remembered; the others cannot be
        assertEquals(5, ledger.session("c1").orElseThrow().seq());
        assertEquals(badId, ledger.session("c1").orElseThrow().result());
        assertFalse(ledger.session("c2").isPresent());
        assertFalse(ledger.session("bad client").isPresent());
    }

    @Test
    void entriesAsJsonApplyLikeCommands() throws Exception {
        Ledger objects = new Ledger();
        LedgerCommand cmd = lunch("c1", 1);
        assertEquals(objects.apply(0, 1, cmd), ledger.apply(0, 1, LedgerCodec.commandToJson(cmd)));
        assertEquals(objects.stateDigest(), ledger.stateDigest());
        // an entry that does not decode: an error result, remembered under its client and seq
        LedgerResult bad = ledger.apply(1, 1, Codec.readTree("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":2,\"amount\":5}"));
        assertEquals(ErrorCode.INVALID, bad.error());
        assertTrue(bad.message().contains("not as a JSON number"), bad.message());
        assertEquals(2, ledger.session("c1").orElseThrow().seq());
        // its retry gets the same answer, an older seq is superseded
        assertEquals(bad, ledger.apply(2, 1, Codec.readTree("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":2}")));
        assertEquals(ErrorCode.SUPERSEDED, ledger.apply(3, 1, Codec.readTree("{\"op\":\"nope\",\"client_id\":\"c1\",\"seq\":1}")).error());
        // without a readable client and seq it is refused and not remembered
        LedgerResult junk = ledger.apply(4, 1, Codec.readTree("[1,2]"));
        assertEquals(ErrorCode.INVALID, junk.error());
        assertEquals(1, ledger.sessions().size());
        assertEquals(4, ledger.appliedIndex());
        assertEquals(1, ledger.size());
    }

    @Test
    void appliedIndexOnlyMovesForward() {
        ledger.apply(3, 1, lunch("c1", 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.apply(3, 1, lunch("c1", 2)));
        assertThrows(IllegalArgumentException.class, () -> ledger.apply(2, 1, lunch("c1", 2)));
        assertThrows(IllegalArgumentException.class, () -> ledger.applyNoop(3, 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.apply(4, -1, lunch("c1", 2)));
        assertEquals(3, ledger.appliedIndex());
        assertEquals(1, ledger.size());
        ledger.applyNoop(10, 2);
        assertEquals(10, ledger.appliedIndex());
        assertEquals(2, ledger.appliedTerm());
    }

    @Test
    void getRefusesMalformedIdsQuietly() {
        ledger.apply(0, 1, lunch("c1", 1));
        assertTrue(ledger.get("E0").isPresent());
        assertFalse(ledger.get("e0").isPresent());
        assertFalse(ledger.get(null).isPresent());
        assertFalse(ledger.get("E1").isPresent());
    }
}
