package dev.raftledger.raftd.bench;

import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the ledger's reads cost at size, in one process, on one thread (the event loop's cost of
 * answering EXPENSES, without the network): a page of {@code list} (first, middle, last; with and
 * without a filter), {@code count} and {@code totals}, on a ledger filled by
 * {@link LedgerFiller} (real commands, as a node applies them). Each query is run
 * {@code --repeat} times after a warm-up; the median and the slowest are printed.
 * Arguments: {@code --expenses N} (default 1,000,000), {@code --repeat N} (default 20).
 */
public final class LedgerQueryBenchmark {

    private LedgerQueryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int expenses = BenchArgs.integer(args, "--expenses", 1_000_000);
        int repeat = BenchArgs.integer(args, "--repeat", 20);
        System.out.println("machine: " + Machine.describe());
        long t0 = System.nanoTime();
        Ledger ledger = new LedgerFiller(5_000).fill(expenses);
        System.out.printf(Locale.ROOT, "filled %,d expenses in %.1f s; heap after a full GC: %.1f MiB%n", ledger.size(),
                (System.nanoTime() - t0) / 1e9, usedHeapMiB());
        ExpenseFilter all = ExpenseFilter.all();
        int n = ledger.size();
        ExpenseFilter food = all.withCategory("food");
        time("list, first page of 100", repeat, () -> ledger.list(all.withPage(0, 100)));
        time("list, middle page of 100", repeat, () -> ledger.list(all.withPage(n / 2, 100)));
        time("list, last page of 100", repeat, () -> ledger.list(all.withPage(n - 100, 100)));
        time("list, category filter, first page", repeat, () -> ledger.list(food.withPage(0, 100)));
        int foods = ledger.count(food);
        time("list, category filter, middle page", repeat, () -> ledger.list(food.withPage(foods / 2, 100)));
        ExpenseFilter payerInAYear = all.withPayer("payer7").withDates(java.time.LocalDate.of(2025, 1, 1),
                java.time.LocalDate.of(2025, 12, 31));
        time("list, payer and a year, first page", repeat, () -> ledger.list(payerInAYear.withPage(0, 100)));
        time("list, text filter, first page", repeat, () -> ledger.list(all.withText("lunch").withPage(0, 100)));
        time("count, everything", repeat, () -> ledger.count(all));
        time("count, category filter", repeat, () -> ledger.count(food));
        time("count, payer and a year", repeat, () -> ledger.count(payerInAYear));
        for (GroupBy by : GroupBy.values()) {
            time("totals by " + by.wireName() + ", everything", repeat, () -> ledger.totals(by, all));
        }
        time("totals by payer, category filter", repeat, () -> ledger.totals(GroupBy.PAYER, food));
    }

    /** The heap in use after a full collection (the ledger is all that is live). */
    private static double usedHeapMiB() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (r.totalMemory() - r.freeMemory()) / (1024.0 * 1024.0);
    }

    private static void time(String what, int repeat, Supplier<Object> query) {
        for (int i = 0; i < 3; i++) {
            query.get();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            query.get();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        Percentiles p = new Percentiles(ms);
        System.out.printf(Locale.ROOT, "%-38s p50 %9.3f ms, max %9.3f ms%n", what, p.at(50), p.max());
    }
}
