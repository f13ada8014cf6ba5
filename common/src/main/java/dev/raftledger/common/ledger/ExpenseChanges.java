package dev.raftledger.common.ledger;

import java.time.LocalDate;

/**
 * What an edit changes: each non-null field replaces the expense's, each null field is left
 * as it is. An empty description ("") is a change (it clears the description); an amount is
 * always given with its currency (a {@link Money}). At least one field must be non-null.
 */
public record ExpenseChanges(Money amount, String category, String description, String payer, LocalDate date) {

    /** No change at all. */
    public static final ExpenseChanges NONE = new ExpenseChanges(null, null, null, null, null);

    public boolean isEmpty() {
        return amount == null && category == null && description == null && payer == null && date == null;
    }

    public ExpenseChanges withAmount(Money m) {
        return new ExpenseChanges(m, category, description, payer, date);
    }

    public ExpenseChanges withCategory(String s) {
        return new ExpenseChanges(amount, s, description, payer, date);
    }

    public ExpenseChanges withDescription(String s) {
        return new ExpenseChanges(amount, category, s, payer, date);
    }

    public ExpenseChanges withPayer(String s) {
        return new ExpenseChanges(amount, category, description, s, date);
    }

    public ExpenseChanges withDate(LocalDate d) {
        return new ExpenseChanges(amount, category, description, payer, d);
    }
}
