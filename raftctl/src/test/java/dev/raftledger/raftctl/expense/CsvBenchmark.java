package dev.raftledger.raftctl.expense;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints how fast {@link Csv} writes and reads export-shaped records (a benchmark program, not a
 * test): {@code java -cp ... dev.raftledger.raftctl.expense.CsvBenchmark [ROWS]} (default 200,000), five
 * rounds after two of warm-up; the best round counts. docs/benchmarks.md, "CSV", has the command
 * and what it printed.
 */
public final class CsvBenchmark {

    private CsvBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<List<String>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(List.of("e" + i, "2026-12-" + (1 + i % 28), (i % 5000) + ".25", "EUR", "groceries",
                    i % 7 == 0 ? "lunch, with \"friends\"" : "bus ticket", "payer" + (i % 9)));
        }
        long bestWrite = Long.MAX_VALUE;
        long bestRead = Long.MAX_VALUE;
        int bytes = 0;
        for (int round = 0; round < 7; round++) {
            long t0 = System.nanoTime();
            StringBuilder text = new StringBuilder();
            for (List<String> r : records) {
                text.append(Csv.line(r)).append('\n');
            }
            long t1 = System.nanoTime();
            List<Csv.Row> rows = Csv.parse(text.toString());
            long t2 = System.nanoTime();
            if (rows.size() != n || !rows.get(n - 1).fields().equals(records.get(n - 1))) {
                throw new AssertionError("read back " + rows.size() + " rows");
            }
            bytes = text.length();
            if (round >= 2) {
                bestWrite = Math.min(bestWrite, t1 - t0);
                bestRead = Math.min(bestRead, t2 - t1);
            }
        }
        System.out.printf("CSV %,d records (%,d bytes): write %.0f ms (%,.0f records/s), read %.0f ms (%,.0f records/s)%n",
                n, bytes, bestWrite / 1e6, n / (bestWrite / 1e9), bestRead / 1e6, n / (bestRead / 1e9));
    }
}
