package dev.raftledger.common.backup;

import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.wire.Codec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 (hex) of a ledger's expenses alone, each as the wire's JSON of it
 * ({@link LedgerCodec#expenseToJson}) followed by a newline, in id order. Unlike
 * {@link Ledger#stateDigest()} it leaves out the applied index and the sessions, so a backup's
 * expenses can be compared with what a running cluster lists (EXPENSES pages) after its leader
 * has applied entries of its own. Pure functions; any thread.
 */
public final class ExpensesDigest {

    private ExpensesDigest() {}

    public static String of(Ledger ledger) {
        return of(ledger.list(ExpenseFilter.all()));
    }

    /** The digest of {@code expenses} in any order (they are sorted by id first). */
    public static String of(List<Expense> expenses) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        expenses.stream().sorted(Comparator.comparing(Expense::id)).forEach(e -> {
            sha.update(Codec.toBytes(LedgerCodec.expenseToJson(e)));
            sha.update((byte) '\n');
        });
        return HexFormat.of().formatHex(sha.digest());
    }
}
