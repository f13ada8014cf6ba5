package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.function.Executable;

/** Short builders for ledger tests. */
final class Fixtures {

    private Fixtures() {}

    static Money money(String amount, String currency) {
        try {
            return Money.parse(amount, currency);
        } catch (LedgerException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static LocalDate date(String iso) {
        return LocalDate.parse(iso);
    }

    static ExpenseDraft draft(String amount, String currency, String category, String description, String payer,
                              String date) {
        return new ExpenseDraft(money(amount, currency), category, description, payer, date(date));
    }

    static LedgerCommand.Add add(String client, long seq, String amount, String currency, String category,
                                 String description, String payer, String date) {
        return new LedgerCommand.Add(client, seq, draft(amount, currency, category, description, payer, date));
    }

    /** A valid add whose only variable parts are client and seq. */
    static LedgerCommand.Add lunch(String client, long seq) {
        return add(client, seq, "12.50", "EUR", "food", "lunch", "ana", "2026-11-25");
    }

    static LedgerCommand.Edit edit(String client, long seq, String id, ExpenseChanges changes) {
        return new LedgerCommand.Edit(client, seq, id, changes);
    }

    static LedgerCommand.Delete delete(String client, long seq, String id) {
        return new LedgerCommand.Delete(client, seq, id);
    }

    /** Asserts the call is refused as INVALID, naming the field, with a message containing {@code part}. */
    static LedgerException refused(String field, String part, Executable call) {
        LedgerException e = assertThrows(LedgerException.class, call);
        assertEquals(ErrorCode.INVALID, e.code());
        assertEquals(field, e.field(), () -> "field of: " + e.getMessage());
        if (field != null) {
            assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        }
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        return e;
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }
}
