package dev.raftledger.common.ledger;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One stored expense. {@code createdTerm}/{@code createdIndex} locate the log entry that added
 * it (its id is {@link ExpenseId#of ExpenseId.of(createdIndex)}), {@code updatedTerm}/
 * {@code updatedIndex} the entry that last changed it (equal to the created ones until an edit).
 * {@code createdBy}/{@code updatedBy} name the identity (operator, or "node" for a node key)
 * that made those entries, as the leader stamped it from the key the request was sealed with;
 * null where that is unknown (no cluster key, or an entry written before writes were stamped).
 * Instances come out of the {@link Ledger} or out of {@link LedgerCodec} decoding, both of which
 * validate every field ({@link Validation#expense}); the constructor only refuses nulls where a
 * value is required.
 */
public record Expense(String id, Money amount, String category, String description, String payer,
                      LocalDate date, long createdTerm, long createdIndex, long updatedTerm, long updatedIndex,
                      String createdBy, String updatedBy) {

    public Expense {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(date, "date");
    }

    /** An expense whose writers are unknown (both null). */
    public Expense(String id, Money amount, String category, String description, String payer,
                   LocalDate date, long createdTerm, long createdIndex, long updatedTerm, long updatedIndex) {
        this(id, amount, category, description, payer, date, createdTerm, createdIndex, updatedTerm, updatedIndex,
                null, null);
    }

    /**
     * This expense with the given changes applied, marked as updated by the entry at term/index,
     * made by {@code by} (null: unknown).
     */
    public Expense with(ExpenseChanges c, long term, long index, String by) {
        return new Expense(id,
                c.amount() != null ? c.amount() : amount,
                c.category() != null ? c.category() : category,
                c.description() != null ? c.description() : description,
                c.payer() != null ? c.payer() : payer,
                c.date() != null ? c.date() : date,
                createdTerm, createdIndex, term, index, createdBy, by);
    }

    /** {@link #with(ExpenseChanges, long, long, String)} by an unknown identity. */
    public Expense with(ExpenseChanges c, long term, long index) {
        return with(c, term, index, null);
    }
}
