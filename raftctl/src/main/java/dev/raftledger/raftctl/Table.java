package dev.raftledger.raftctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An aligned text table: a heading row, then the rows; two blanks between columns, no trailing blanks. */
public final class Table {

    private Table() {}

    public static void print(PrintWriter out, List<String> headings, List<List<String>> rows) {
        print(out, headings, rows, Set.of());
    }

    /** @param rightAligned the columns (0-based) whose cells are aligned to the right, such as amounts */
    public static void print(PrintWriter out, List<String> headings, List<List<String>> rows, Set<Integer> rightAligned) {
        List<List<String>> all = new ArrayList<>();
        all.add(headings);
        all.addAll(rows);
        int[] widths = new int[headings.size()];
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = row.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                if (rightAligned.contains(i)) {
                    line.append(pad).append(cell);
                } else {
                    line.append(cell).append(pad);
                }
                if (i < widths.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A byte count for people: 512 B, 51 KiB, 3.2 MiB, 1.4 GiB. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return (n / 1024) + " KiB";
        }
        double mib = n / (1024.0 * 1024);
        return mib < 1024 ? String.format(java.util.Locale.ROOT, "%.1f MiB", mib)
                : String.format(java.util.Locale.ROOT, "%.1f GiB", mib / 1024);
    }
}
