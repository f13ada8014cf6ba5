package dev.raftledger.common.ledger;

/**
 * A write to the ledger, as it travels through the Raft log. Every write names its client and
 * a sequence number that the client increases for each new write (and repeats unchanged when it
 * retries one), which is what lets {@link Ledger#apply} execute each write exactly once.
 *
 * <p>The records accept anything, nulls included, so that a command from an untrusted source
 * can be represented and then refused: {@link Validation#command} checks and normalises one,
 * and the ledger does so before executing it.
 */
public sealed interface LedgerCommand permits LedgerCommand.Add, LedgerCommand.Edit, LedgerCommand.Delete {

    String clientId();

    long seq();

    /** The wire name of the operation: "add", "edit" or "delete". */
    String op();

    /** Adds an expense; its id will be {@link ExpenseId#of ExpenseId.of(index of this entry)}. */
    record Add(String clientId, long seq, ExpenseDraft expense) implements LedgerCommand {
        public static final String OP = "add";

        @Override
        public String op() {
            return OP;
        }
    }

    /** Corrects an expense: only the fields given in {@code changes} change. */
    record Edit(String clientId, long seq, String id, ExpenseChanges changes) implements LedgerCommand {
        public static final String OP = "edit";

        @Override
        public String op() {
            return OP;
        }
    }

    /** Deletes an expense; its id is never used again. */
    record Delete(String clientId, long seq, String id) implements LedgerCommand {
        public static final String OP = "delete";

        @Override
        public String op() {
            return OP;
        }
    }
}
