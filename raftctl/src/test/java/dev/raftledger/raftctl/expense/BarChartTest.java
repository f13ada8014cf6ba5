package dev.raftledger.raftctl.expense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.raftctl.Drawing;
import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The bars themselves, for known totals: scaling per currency, eighths and their rounding, labels. */
class BarChartTest {

    private static final String B = "█";

    /** Totals by category from {group, currency, sum} triples. */
    private static Totals totals(String... triples) {
        TreeMap<String, SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            groups.computeIfAbsent(triples[i], g -> new TreeMap<>()).put(triples[i + 1], new BigDecimal(triples[i + 2]));
        }
        return new Totals(GroupBy.CATEGORY, groups);
    }

    private static String bar(String amount, String largest, int width, boolean unicode) {
        return BarChart.bar(new BigDecimal(amount), new BigDecimal(largest), width, unicode);
    }

    private static void assertFits(List<String> lines, int width) {
        for (String line : lines) {
            assertTrue(new AttributedString(line).columnLength() <= width, "wider than " + width + ": '" + line + "'");
            assertEquals(line.stripTrailing(), line, "no trailing blanks");
        }
    }

    @Test
    void everyEighthHasItsBlock() {
        // the largest, 8, fills one column of 8 eighths: k is k eighths
        List<String> bars = List.of("1", "2", "3", "4", "5", "6", "7", "8").stream()
                .map(k -> bar(k, "8", 1, true)).toList();

        assertEquals(List.of("▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"), bars);
    }

    @Test
    void eighthsAreRoundedHalfUpAndAnythingAboveZeroShows() {
        // largest 8.00 over 10 columns: 80 eighths, so an amount a is 10 * a eighths
        assertEquals(B + "▋", bar("1.25", "8.00", 10, true), "12.5 eighths round up to 13");
        assertEquals(B + "▌", bar("1.24", "8.00", 10, true), "12.4 eighths round down to 12");
        assertEquals("▏", bar("0.05", "8.00", 10, true), "half an eighth rounds up to one");
        assertEquals("▏", bar("0.01", "8.00", 10, true), "a tenth of an eighth still shows");
        assertEquals("", bar("0", "8.00", 10, true), "zero has no bar");
        assertEquals("", bar("-1.00", "8.00", 10, true), "below zero has no bar");
        assertEquals(B.repeat(10), bar("8.00", "8.00", 10, true), "the largest fills the width");
        // ASCII: whole columns, half up
        assertEquals("##", bar("1.60", "8.00", 10, false), "2.0 columns");
        assertEquals("##", bar("1.24", "8.00", 10, false), "1.55 columns round up to 2");
        assertEquals("#", bar("1.19", "8.00", 10, false), "1.49 columns round down to 1");
        assertEquals("#", bar("0.01", "8.00", 10, false), "anything above zero shows");
        assertEquals("", bar("0", "8.00", 10, false));
        assertEquals("", bar("0", "0", 10, false), "all zero: no bars, no division by zero");
    }

    @Test
    void oneCurrencyScaledToItsLargestWithAZeroAndATinyTotal() {
        Totals t = totals("rent", "EUR", "100.00", "food", "EUR", "25.50", "misc", "EUR", "0.00", "tip", "EUR", "0.01");

        List<String> lines = BarChart.lines(t, new Drawing(true, 40));

        // 40 = 2 indent + 4 label + 2 + 24 bar + 2 + 6 amount; 24 columns = 192 eighths for 100.00
        assertEquals(List.of(
                "EUR",
                "  food  " + B.repeat(6) + "▏" + " ".repeat(17) + "   25.50", // 48.96 eighths -> 49 = 6 full + 1
                "  misc  " + " ".repeat(24) + "    0.00",
                "  rent  " + B.repeat(24) + "  100.00",
                "  tip   " + "▏" + " ".repeat(23) + "    0.01"), lines);
        assertFits(lines, 40);
    }

    @Test
    void severalCurrenciesAreEachScaledToTheirOwnLargest() {
        Totals t = totals("coffee", "USD", "3.00", "food", "EUR", "25.50", "food", "JPY", "1000", "travel", "EUR", "40.00");

        List<String> unicode = BarChart.lines(t, new Drawing(true, 40));
        List<String> ascii = BarChart.lines(t, new Drawing(false, 40));

        // 40 = 2 + 6 label + 2 + 23 bar + 2 + 5 amount; EUR: 25.50 of 40.00 is 117.3 of 184 eighths
        assertEquals(List.of(
                "EUR",
                "  food    " + B.repeat(14) + "▋" + " ".repeat(8) + "  25.50",
                "  travel  " + B.repeat(23) + "  40.00",
                "JPY",
                "  food    " + B.repeat(23) + "   1000",
                "USD",
                "  coffee  " + B.repeat(23) + "   3.00"), unicode);
        // 25.50 of 40.00 is 14.66 of 23 columns
        assertEquals(List.of(
                "EUR",
                "  food    " + "#".repeat(15) + " ".repeat(8) + "  25.50",
                "  travel  " + "#".repeat(23) + "  40.00",
                "JPY",
                "  food    " + "#".repeat(23) + "   1000",
                "USD",
                "  coffee  " + "#".repeat(23) + "   3.00"), ascii);
        assertFits(unicode, 40);
        assertFits(ascii, 40);
    }

    @Test
    void aSingleGroupFillsTheWidth() {
        List<String> lines = BarChart.lines(totals("food", "EUR", "12.50"), new Drawing(true, 30));

        assertEquals(List.of("EUR", "  food  " + B.repeat(15) + "  12.50"), lines);
        assertEquals(30, lines.get(1).length());
    }

    @Test
    void longGroupsAreCutToAThirdOfTheWidth() {
        Totals t = totals("a very long category name", "EUR", "2.00", "short", "EUR", "1.00");

        List<String> unicode = BarChart.lines(t, new Drawing(true, 30));
        List<String> ascii = BarChart.lines(t, new Drawing(false, 30));

        // a third of 30 is 10 columns of label: 30 = 2 + 10 + 2 + 10 bar + 2 + 4
        assertEquals("  a very lo…  " + B.repeat(10) + "  2.00", unicode.get(1));
        assertEquals("  short       " + B.repeat(5) + " ".repeat(5) + "  1.00", unicode.get(2));
        assertEquals("  a very ...  " + "#".repeat(10) + "  2.00", ascii.get(1));
        assertFits(unicode, 30);
        assertFits(ascii, 30);
    }

    @Test
    void wideCharactersCountTwoColumns() {
        Totals t = totals("食費", "JPY", "1000", "food", "JPY", "500");

        List<String> lines = BarChart.lines(t, new Drawing(false, 30));

        // 食費 is four columns wide, as wide as "food": the bars start in one column
        assertEquals(List.of("JPY",
                "  food  " + "#".repeat(8) + " ".repeat(8) + "   500",
                "  食費  " + "#".repeat(16) + "  1000"), lines);
    }

    @Test
    void tooNarrowATerminalStillGetsTheNarrowestBar() {
        List<String> lines = BarChart.lines(totals("food", "EUR", "12.50"), new Drawing(false, 5));

        assertEquals(Drawing.MIN_WIDTH, new Drawing(false, 5).width());
        assertEquals("  food  " + "#".repeat(BarChart.MIN_BAR) + "  12.50", lines.get(1));
    }

    @Test
    void nothingToDrawForNoTotals() {
        assertEquals(List.of(), BarChart.lines(new Totals(GroupBy.MONTH, new TreeMap<>()), new Drawing(true, 80)));
    }
}
