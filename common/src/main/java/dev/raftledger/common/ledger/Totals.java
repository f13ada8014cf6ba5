package dev.raftledger.common.ledger;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sums of expenses per group and per currency: group -> ISO currency code -> sum. Amounts of
 * different currencies are never added together; both levels are sorted (groups and codes in
 * {@link String} order) and unmodifiable.
 */
public record Totals(GroupBy by, SortedMap<String, SortedMap<String, BigDecimal>> groups) {

    public Totals {
        java.util.Objects.requireNonNull(by, "by");
        TreeMap<String, SortedMap<String, BigDecimal>> copy = new TreeMap<>();
        for (Map.Entry<String, SortedMap<String, BigDecimal>> e : groups.entrySet()) {
            copy.put(e.getKey(), Collections.unmodifiableSortedMap(new TreeMap<>(e.getValue())));
        }
        groups = Collections.unmodifiableSortedMap(copy);
    }

    /** The sum of a group in a currency, or null if the group has no expense in it. */
    public BigDecimal sum(String group, String currencyCode) {
        SortedMap<String, BigDecimal> g = groups.get(group);
        return g == null ? null : g.get(currencyCode);
    }

    /** The sums over all groups, per currency. */
    public SortedMap<String, BigDecimal> overall() {
        TreeMap<String, BigDecimal> all = new TreeMap<>();
        for (SortedMap<String, BigDecimal> g : groups.values()) {
            for (Map.Entry<String, BigDecimal> e : g.entrySet()) {
                all.merge(e.getKey(), e.getValue(), BigDecimal::add);
            }
        }
        return Collections.unmodifiableSortedMap(all);
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }
}
