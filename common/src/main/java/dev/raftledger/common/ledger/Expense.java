package dev.raftledger.common.ledger;

import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One stored expense. {@code createdTerm}/{@code createdIndex} locate the log entry that added
 * it (its id is {@link ExpenseId#of ExpenseId.of(createdIndex)}), {@code updatedTerm}/
 * {@code updatedIndex} the entry that last changed it (equal to the created ones until an edit).
 * {@link #createdBy()}/{@link #updatedBy()} name the identity (an operator, or "node" for a node
 * key) that made those entries, as the leader stamped it from the key the request was sealed
 * with; null where that is unknown (no cluster key, or an entry written before writes were
 * stamped). They are kept together in {@code writers} (null when both are unknown): one field
 * fits the record's padding, so a ledger without writers costs not a byte more.
 * Instances come out of the {@link Ledger} or out of {@link LedgerCodec} decoding, both of which
 * validate every field ({@link Validation#expense}); the constructor only refuses nulls where a
 * value is required.
 */
public record Expense(String id, Money amount, String category, String description, String payer,
                      LocalDate date, long createdTerm, long createdIndex, long updatedTerm, long updatedIndex,
                      Writers writers) {

    /**
     * Who added an expense and who last changed it (either null: unknown). Immutable; equal
     * pairs are shared ({@link #of}), as a ledger repeats a few operators a million times.
     */
    public record Writers(String createdBy, String updatedBy) {

        /** Pairs shared so far; bounded, past which new pairs are simply not shared. */
        private static final ConcurrentHashMap<Writers, Writers> SHARED = new ConcurrentHashMap<>();
        private static final int MAX_SHARED = 4096;

        /** The pair, shared where possible; null when both are unknown. */
        public static Writers of(String createdBy, String updatedBy) {
            if (createdBy == null && updatedBy == null) {
                return null;
            }
            Writers w = new Writers(createdBy, updatedBy);
            Writers shared = SHARED.get(w);
            if (shared != null) {
                return shared;
            }
            if (SHARED.size() >= MAX_SHARED) {
                return w;
            }
            Writers first = SHARED.putIfAbsent(w, w);
            return first == null ? w : first;
        }
    }

    public Expense {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(date, "date");
        if (writers != null && writers.createdBy() == null && writers.updatedBy() == null) {
            writers = null;
        }
    }

    /** An expense with its writers' names (either null: unknown). */
    public Expense(String id, Money amount, String category, String description, String payer,
                   LocalDate date, long createdTerm, long createdIndex, long updatedTerm, long updatedIndex,
                   String createdBy, String updatedBy) {
        this(id, amount, category, description, payer, date, createdTerm, createdIndex, updatedTerm, updatedIndex,
                Writers.of(createdBy, updatedBy));
    }

    /** An expense whose writers are unknown. */
    public Expense(String id, Money amount, String category, String description, String payer,
                   LocalDate date, long createdTerm, long createdIndex, long updatedTerm, long updatedIndex) {
        this(id, amount, category, description, payer, date, createdTerm, createdIndex, updatedTerm, updatedIndex,
                (Writers) null);
    }

    /** The identity that added it; null: unknown. */
    public String createdBy() {
        return writers == null ? null : writers.createdBy();
    }

    /** The identity that last changed it (the adder until an edit); null: unknown. */
    public String updatedBy() {
        return writers == null ? null : writers.updatedBy();
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
                createdTerm, createdIndex, term, index, createdBy(), by);
    }

    /** {@link #with(ExpenseChanges, long, long, String)} by an unknown identity. */
    public Expense with(ExpenseChanges c, long term, long index) {
        return with(c, term, index, null);
    }
}
