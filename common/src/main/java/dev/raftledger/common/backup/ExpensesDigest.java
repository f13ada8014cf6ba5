package dev.raftledger.common.backup;

import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.ExpenseId;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.Codec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 (hex) of a ledger's expenses alone: each as the wire's JSON of it
 * ({@link LedgerCodec#expenseToJson}) and a newline, in the order of their ids' numbers (the
 * order they were added, as a snapshot holds them). Unlike {@link Ledger#stateDigest()} it
 * leaves out the applied index and the sessions, so a backup's expenses can be compared with
 * what a running cluster lists (EXPENSES pages) once it has applied entries of its own. Not
 * thread-safe ({@link Running}); the static methods are.
 */
public final class ExpensesDigest {

    private ExpensesDigest() {}

    public static String of(Ledger ledger) {
        return of(ledger.list(ExpenseFilter.all()));
    }

    /** The digest of {@code expenses} in any order (they are put in id order first). */
    public static String of(List<Expense> expenses) {
        List<Expense> sorted = new ArrayList<>(expenses);
        sorted.sort((a, b) -> Long.compare(number(a), number(b)));
        Running r = new Running();
        sorted.forEach(r::add);
        return r.finish();
    }

    private static long number(Expense e) {
        try {
            return ExpenseId.index(e.id());
        } catch (LedgerException x) {
            throw new IllegalArgumentException("not an expense id: " + e.id(), x);
        }
    }

    /** A digest fed one expense at a time, in id order. */
    public static final class Running {
        private final MessageDigest sha;

        public Running() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        public void add(Expense e) {
            sha.update(Codec.toBytes(LedgerCodec.expenseToJson(e)));
            sha.update((byte) '\n');
        }

        public String finish() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
