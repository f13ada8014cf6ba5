package dev.raftledger.common.ledger;

import java.time.LocalDate;
import java.util.Locale;

/**
 * Which expenses a query selects; every criterion is optional (null: any) and all given ones
 * must hold. {@code category} and {@code payer} match exactly; {@code from}/{@code to} are
 * inclusive dates; {@code text} is a case-insensitive substring of the description or the
 * category. {@code offset}/{@code limit} page through {@link Ledger#list}'s sorted result and
 * are ignored by {@link Ledger#totals}.
 */
public record ExpenseFilter(String category, String payer, LocalDate from, LocalDate to, String text,
                            int offset, int limit) {

    /** The {@code limit} that means no limit. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    private static final ExpenseFilter ALL = new ExpenseFilter(null, null, null, null, null, 0, NO_LIMIT);

    public ExpenseFilter {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        category = blankToNull(category);
        payer = blankToNull(payer);
        text = blankToNull(text);
    }

    /** Whether it selects every expense (paging aside): no category, payer, dates or text. */
    public boolean selectsAll() {
        return category == null && payer == null && from == null && to == null && text == null;
    }

    /** Every expense, no paging. */
    public static ExpenseFilter all() {
        return ALL;
    }

    public ExpenseFilter withCategory(String s) {
        return new ExpenseFilter(s, payer, from, to, text, offset, limit);
    }

    public ExpenseFilter withPayer(String s) {
        return new ExpenseFilter(category, s, from, to, text, offset, limit);
    }

    public ExpenseFilter withDates(LocalDate fromInclusive, LocalDate toInclusive) {
        return new ExpenseFilter(category, payer, fromInclusive, toInclusive, text, offset, limit);
    }

    public ExpenseFilter withText(String s) {
        return new ExpenseFilter(category, payer, from, to, s, offset, limit);
    }

    public ExpenseFilter withPage(int newOffset, int newLimit) {
        return new ExpenseFilter(category, payer, from, to, text, newOffset, newLimit);
    }

    public boolean matches(Expense e) {
        if (category != null && !category.equals(e.category())) {
            return false;
        }
        if (payer != null && !payer.equals(e.payer())) {
            return false;
        }
        if (from != null && e.date().isBefore(from)) {
            return false;
        }
        if (to != null && e.date().isAfter(to)) {
            return false;
        }
        if (text != null) {
            String needle = text.toLowerCase(Locale.ROOT);
            return e.description().toLowerCase(Locale.ROOT).contains(needle)
                    || e.category().toLowerCase(Locale.ROOT).contains(needle);
        }
        return true;
    }

    private static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
