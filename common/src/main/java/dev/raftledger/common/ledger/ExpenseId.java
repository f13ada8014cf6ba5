package dev.raftledger.common.ledger;

import java.util.regex.Pattern;

/**
 * Expense ids are made from the log, never from a clock or a random source, so every replica
 * gives the same expense the same id: {@code "E"} followed by the decimal log index of the
 * entry that added it (log indices are 0-based, so the first entry's expense is {@code E0}).
 * Two adds can never share an index, and ids of deleted expenses are never reused. The ledger
 * keeps expenses ordered by that index, so sorting by id number is sorting by creation order.
 */
public final class ExpenseId {

    private static final Pattern ID = Pattern.compile("E(0|[1-9][0-9]{0,15})");

    private ExpenseId() {}

    /** The id of the expense added by the log entry at {@code index}. */
    public static String of(long index) {
        if (index < 0 || index > Validation.MAX_COUNTER) {
            throw new IllegalArgumentException("log index out of range: " + index);
        }
        return "E" + index;
    }

    /** The log index an id was made from; refuses anything {@link #of} cannot have made. */
    public static long index(String id) throws LedgerException {
        if (id == null) {
            throw LedgerException.invalid("id", "is required");
        }
        if (!ID.matcher(id).matches()) {
            throw LedgerException.invalid("id", "must be an expense id such as E42, got '" + Validation.quote(id) + "'");
        }
        long index = Long.parseLong(id, 1, id.length(), 10);
        if (index > Validation.MAX_COUNTER) {
            throw LedgerException.invalid("id", "is out of range: " + id);
        }
        return index;
    }

    public static boolean isValid(String id) {
        try {
            index(id);
            return true;
        } catch (LedgerException e) {
            return false;
        }
    }
}
