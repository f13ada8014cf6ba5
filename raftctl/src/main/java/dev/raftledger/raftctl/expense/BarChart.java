package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.Totals;
import dev.raftledger.raftctl.Drawing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jline.utils.AttributedString;

/**
 * The totals of {@code expense report --chart} as horizontal bars: per currency (in code
 * order) a heading line with its code, then one line per group that has expenses in it, the
 * group, its bar and its total. Bars are scaled per currency (amounts of different currencies
 * are never compared): the largest total of a currency fills the bar column, the others are as
 * long as their share of it, rounded half up to the nearest eighth of a column with Unicode
 * block elements ({@code ▏▎▍▌▋▊▉█}) or to the nearest column with {@code #} in ASCII. A total
 * above zero always shows at least the smallest mark; zero (and below zero, which the ledger
 * never holds: amounts are positive) shows no bar.
 *
 * <p>Every line is at most {@link Drawing#width()} columns wide, unless the width is too small
 * for a bar of {@value #MIN_BAR} columns; groups longer than a third of the width are cut with
 * an ellipsis. Pure: no I/O.
 */
final class BarChart {

    /** The partial blocks, one to seven eighths; index k - 1 for k eighths. */
    static final String EIGHTHS = "▏▎▍▌▋▊▉";
    static final char FULL = '█';
    static final char ASCII_MARK = '#';
    /** The narrowest bar column. */
    static final int MIN_BAR = 10;
    private static final String INDENT = "  ";
    private static final String GAP = "  ";

    private BarChart() {}

    /** The chart's lines; no lines for empty totals. */
    static List<String> lines(Totals totals, Drawing drawing) {
        SortedMap<String, BigDecimal> overall = totals.overall();
        int amountWidth = 0;
        int labelWidth = 0;
        int maxLabel = Math.max(8, drawing.width() / 3);
        for (Map.Entry<String, SortedMap<String, BigDecimal>> g : totals.groups().entrySet()) {
            labelWidth = Math.max(labelWidth, Math.min(maxLabel, columns(g.getKey())));
            for (BigDecimal sum : g.getValue().values()) {
                amountWidth = Math.max(amountWidth, sum.toPlainString().length());
            }
        }
        int barWidth = Math.max(MIN_BAR, drawing.width() - INDENT.length() - labelWidth - GAP.length()
                - GAP.length() - amountWidth);
        List<String> lines = new ArrayList<>();
        for (String currency : overall.keySet()) {
            BigDecimal largest = BigDecimal.ZERO;
            for (SortedMap<String, BigDecimal> sums : totals.groups().values()) {
                BigDecimal sum = sums.get(currency);
                if (sum != null && sum.compareTo(largest) > 0) {
                    largest = sum;
                }
            }
            lines.add(currency);
            for (Map.Entry<String, SortedMap<String, BigDecimal>> g : totals.groups().entrySet()) {
                BigDecimal sum = g.getValue().get(currency);
                if (sum == null) {
                    continue;
                }
                String amount = sum.toPlainString();
                lines.add(INDENT + pad(label(g.getKey(), labelWidth, drawing.unicode()), labelWidth) + GAP
                        + pad(bar(sum, largest, barWidth, drawing.unicode()), barWidth) + GAP
                        + " ".repeat(amountWidth - amount.length()) + amount);
            }
        }
        return lines;
    }

    /**
     * A bar of {@code amount} where {@code largest} fills {@code width} columns: full blocks and
     * one partial block (Unicode), or {@code #} per column (ASCII).
     */
    static String bar(BigDecimal amount, BigDecimal largest, int width, boolean unicode) {
        if (amount.signum() <= 0 || largest.signum() <= 0) {
            return "";
        }
        int steps = unicode ? 8 : 1;
        int units = amount.multiply(BigDecimal.valueOf((long) width * steps))
                .divide(largest, 0, RoundingMode.HALF_UP).intValueExact();
        units = Math.max(1, Math.min(units, width * steps));
        if (!unicode) {
            return String.valueOf(ASCII_MARK).repeat(units);
        }
        StringBuilder b = new StringBuilder(String.valueOf(FULL).repeat(units / 8));
        if (units % 8 > 0) {
            b.append(EIGHTHS.charAt(units % 8 - 1));
        }
        return b.toString();
    }

    /** The group, cut with an ellipsis to {@code width} columns. */
    private static String label(String group, int width, boolean unicode) {
        if (columns(group) <= width) {
            return group;
        }
        String ellipsis = unicode ? "…" : "...";
        AttributedString s = new AttributedString(group);
        return s.columnSubSequence(0, width - ellipsis.length()).toString() + ellipsis;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - columns(s)));
    }

    /** Terminal columns, wide characters (CJK) counting two. */
    private static int columns(String s) {
        return new AttributedString(s).columnLength();
    }
}
