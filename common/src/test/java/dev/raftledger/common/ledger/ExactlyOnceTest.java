package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static dev.raftledger.common.ledger.Fixtures.money;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExactlyOnceTest {

    private final Ledger ledger = new Ledger();

    @Test
    void aRetriedAddIsAppliedOnceAndAnsweredWithItsFirstResult() {
        LedgerResult first = ledger.apply(1, 1, lunch("c1", 7));
        // the same write proposed again by a new leader, at a later index and term
        LedgerResult retry = ledger.apply(5, 2, lunch("c1", 7));
        assertSame(first, retry);
        assertEquals("E1", retry.id());
        assertEquals(1, ledger.size());
        assertEquals(5, ledger.appliedIndex());
        assertEquals(2, ledger.appliedTerm());
    }

    @Test
    void aRetryIsAnsweredFromTheTableEvenIfItsContentDiffers() {
        LedgerResult first = ledger.apply(1, 1, lunch("c1", 7));
        LedgerResult retry = ledger.apply(2, 1, delete("c1", 7, "E1"));
        assertEquals(first, retry);
        assertEquals(1, ledger.size());
    }

    @Test
    void aRetriedEditDoesNotUndoALaterChangeByAnotherClient() {
        ledger.apply(0, 1, lunch("c1", 1));
        LedgerResult first = ledger.apply(1, 1, edit("c1", 2, "E0", ExpenseChanges.NONE.withAmount(money("20", "EUR"))));
        ledger.apply(2, 1, edit("c2", 1, "E0", ExpenseChanges.NONE.withAmount(money("30", "EUR"))));
        LedgerResult retry = ledger.apply(3, 2, edit("c1", 2, "E0", ExpenseChanges.NONE.withAmount(money("20", "EUR"))));
        assertEquals(first, retry);
        assertEquals("20.00 EUR", retry.expense().amount().toString());
        Expense now = ledger.get("E0").orElseThrow();
        assertEquals("30.00 EUR", now.amount().toString());
        assertEquals(2, now.updatedIndex());
    }

    @Test
    void aRetriedDeleteIsNotANotFound() {
        ledger.apply(0, 1, lunch("c1", 1));
        LedgerResult first = ledger.apply(1, 1, delete("c1", 2, "E0"));
        assertTrue(first.ok());
        assertEquals(first, ledger.apply(2, 1, delete("c1", 2, "E0")));
    }

    @Test
    void errorsAreRememberedToo() {
        LedgerResult first = ledger.apply(2, 1, edit("c1", 1, "E5", ExpenseChanges.NONE.withPayer("bo")));
        assertEquals(ErrorCode.NOT_FOUND, first.error());
        ledger.apply(5, 1, lunch("c2", 1)); // now E5 exists
        LedgerResult retry = ledger.apply(6, 1, edit("c1", 1, "E5", ExpenseChanges.NONE.withPayer("bo")));
        assertEquals(first, retry);
        assertEquals("ana", ledger.get("E5").orElseThrow().payer());
    }

    @Test
    void anOlderSequenceIsSupersededAndNotApplied() {
        ledger.apply(0, 1, lunch("c1", 1));
        LedgerResult third = ledger.apply(1, 1, lunch("c1", 3)); // gaps are allowed
        assertTrue(third.ok());
        String digest = ledger.stateDigest();
        LedgerResult old = ledger.apply(2, 1, lunch("c1", 2));
        assertEquals(LedgerResult.error(ErrorCode.SUPERSEDED, null, "sequence 2 already superseded by 3 (client c1)"), old);
        LedgerResult older = ledger.apply(3, 1, lunch("c1", 1));
        assertEquals("sequence 1 already superseded by 3 (client c1)", older.message());
        assertEquals(2, ledger.size());
        assertEquals(3, ledger.session("c1").orElseThrow().seq());
        assertEquals(third, ledger.session("c1").orElseThrow().result());
        // only the applied index moved
        Ledger expected = new Ledger();
        expected.apply(0, 1, lunch("c1", 1));
        expected.apply(1, 1, lunch("c1", 3));
        expected.applyNoop(3, 1);
        assertEquals(expected.stateDigest(), ledger.stateDigest());
        assertNotEquals(digest, ledger.stateDigest());
    }

    @Test
    void clientsAreIndependent() {
        LedgerResult a = ledger.apply(0, 1, lunch("c1", 1));
        LedgerResult b = ledger.apply(1, 1, lunch("c2", 1));
        assertTrue(a.ok());
        assertTrue(b.ok());
        assertNotEquals(a.id(), b.id());
        assertEquals(2, ledger.size());
        ledger.apply(2, 1, lunch("c1", 9));
        assertTrue(ledger.apply(3, 1, lunch("c2", 2)).ok(), "c1's progress does not supersede c2");
        assertEquals(4, ledger.size());
    }

    @Test
    void theDedupTableIsPartOfTheState() {
        Ledger byC1 = new Ledger();
        Ledger byC2 = new Ledger();
        byC1.apply(0, 1, lunch("c1", 1));
        byC2.apply(0, 1, lunch("c2", 1));
        assertEquals(byC1.list(ExpenseFilter.all()), byC2.list(ExpenseFilter.all()), "same expenses");
        assertNotEquals(byC1.stateDigest(), byC2.stateDigest(), "different dedup tables");

        Ledger seq1 = new Ledger();
        Ledger seq2 = new Ledger();
        seq1.apply(0, 1, lunch("c1", 1));
        seq2.apply(0, 1, lunch("c1", 2));
        assertNotEquals(seq1.stateDigest(), seq2.stateDigest());
    }
}
