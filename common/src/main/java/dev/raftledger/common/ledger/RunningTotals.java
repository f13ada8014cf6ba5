package dev.raftledger.common.ledger;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sums of every expense in the ledger, per group (by category, by month, by payer) and per
 * currency, kept up to date as expenses are added, edited and deleted, so that an unfiltered
 * {@link Ledger#totals} costs what the groups cost, not a pass over every expense (issue 15:
 * at a million expenses such a pass took tens of milliseconds on the event loop).
 *
 * <p>Each (group, currency) also counts its expenses, so a group whose last expense goes away
 * disappears, exactly as a fresh pass would leave it out. Sums are exact ({@link BigDecimal}),
 * and a currency's amounts all have its scale, so adding and subtracting in any order gives the
 * same value, scale included, as summing afresh; {@code RunningTotalsTest} checks it against the
 * pass after random adds, edits and deletes.
 *
 * <p>Not thread-safe, like the ledger that owns it; {@link #copy} gives an independent one.
 */
final class RunningTotals {

    /** One (group, currency): how many expenses, and their sum. */
    private static final class Sum {
        long count;
        BigDecimal amount = BigDecimal.ZERO;
    }

    private final EnumMap<GroupBy, TreeMap<String, TreeMap<String, Sum>>> byGroup = new EnumMap<>(GroupBy.class);

    RunningTotals() {
        for (GroupBy g : GroupBy.values()) {
            byGroup.put(g, new TreeMap<>());
        }
    }

    /** The totals of every expense in {@code expenses}: one pass, for a ledger just read or made. */
    static RunningTotals of(Iterable<Expense> expenses) {
        RunningTotals t = new RunningTotals();
        for (Expense e : expenses) {
            t.add(e);
        }
        return t;
    }

    void add(Expense e) {
        change(e, 1);
    }

    void remove(Expense e) {
        change(e, -1);
    }

    private void change(Expense e, int sign) {
        String currency = e.amount().currencyCode();
        BigDecimal amount = sign > 0 ? e.amount().amount() : e.amount().amount().negate();
        for (Map.Entry<GroupBy, TreeMap<String, TreeMap<String, Sum>>> g : byGroup.entrySet()) {
            String key = g.getKey().key(e);
            TreeMap<String, Sum> currencies = g.getValue().computeIfAbsent(key, k -> new TreeMap<>());
            Sum s = currencies.computeIfAbsent(currency, c -> new Sum());
            s.count += sign;
            s.amount = s.amount.add(amount);
            if (s.count == 0) {
                currencies.remove(currency);
                if (currencies.isEmpty()) {
                    g.getValue().remove(key);
                }
            }
        }
    }

    /** The totals grouped by {@code by}, as {@link Ledger#totals} gives them: a copy, O(groups). */
    Totals totals(GroupBy by) {
        TreeMap<String, SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        byGroup.get(by).forEach((key, currencies) -> {
            TreeMap<String, BigDecimal> sums = new TreeMap<>();
            currencies.forEach((c, s) -> sums.put(c, s.amount));
            groups.put(key, sums);
        });
        return new Totals(by, groups);
    }

    /** An independent copy: O(groups x currencies). */
    RunningTotals copy() {
        RunningTotals t = new RunningTotals();
        byGroup.forEach((g, groups) -> groups.forEach((key, currencies) -> {
            TreeMap<String, Sum> into = new TreeMap<>();
            currencies.forEach((c, s) -> {
                Sum copy = new Sum();
                copy.count = s.count;
                copy.amount = s.amount;
                into.put(c, copy);
            });
            t.byGroup.get(g).put(key, into);
        }));
        return t;
    }
}
