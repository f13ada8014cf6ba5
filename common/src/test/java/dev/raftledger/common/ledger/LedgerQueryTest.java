package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerQueryTest {

    private Ledger ledger;

    @BeforeEach
    void fill() {
        ledger = new Ledger();
        ledger.apply(0, 1, add("c1", 1, "12.50", "EUR", "food", "Lunch at Mario's", "ana", "2026-03-10"));    // E0
        ledger.apply(1, 1, add("c1", 2, "3.20", "EUR", "food", "coffee", "bo", "2026-03-02"));               // E1
        ledger.apply(2, 1, add("c1", 3, "800", "EUR", "rent", "March rent", "ana", "2026-03-01"));           // E2
        ledger.apply(3, 1, add("c2", 1, "25.00", "USD", "food", "dinner in NYC", "ana", "2026-04-15"));      // E3
        ledger.apply(4, 1, add("c2", 2, "4.80", "USD", "Food", "bagel", "bo", "2026-04-15"));                // E4
        ledger.apply(5, 1, add("c2", 3, "1200", "JPY", "travel", "metro ticket", "chen", "2026-05-20"));     // E5
        ledger.apply(6, 1, add("c1", 4, "99.99", "EUR", "travel", "train to Lyon", "bo", "2026-04-15"));     // E6
        ledger.apply(7, 1, add("c1", 5, "1.00", "EUR", "misc", "to be deleted", "ana", "2026-03-05"));       // E7
        ledger.apply(8, 1, delete("c1", 6, "E7"));
    }

    private static List<String> ids(List<Expense> list) {
        return list.stream().map(Expense::id).collect(Collectors.toList());
    }

    @Test
    void listIsSortedByDateThenCreation() {
        assertEquals(List.of("E2", "E1", "E0", "E3", "E4", "E6", "E5"), ids(ledger.list(ExpenseFilter.all())));
        assertEquals(7, ledger.count(ExpenseFilter.all()));
    }

    @Test
    void filtersByCategoryAndPayerExactly() {
        assertEquals(List.of("E1", "E0", "E3"), ids(ledger.list(ExpenseFilter.all().withCategory("food"))));
        assertEquals(List.of("E4"), ids(ledger.list(ExpenseFilter.all().withCategory("Food"))));
        assertEquals(List.of("E1", "E4", "E6"), ids(ledger.list(ExpenseFilter.all().withPayer("bo"))));
        assertEquals(List.of("E1"), ids(ledger.list(ExpenseFilter.all().withCategory("food").withPayer("bo"))));
        assertTrue(ledger.list(ExpenseFilter.all().withPayer("Bo")).isEmpty());
        assertTrue(ledger.list(ExpenseFilter.all().withCategory("foo")).isEmpty());
        assertEquals(List.of("E2", "E1", "E0", "E3", "E4", "E6", "E5"),
                ids(ledger.list(ExpenseFilter.all().withCategory("  ").withPayer(null))), "blank criteria match all");
    }

    @Test
    void filtersByInclusiveDateRange() {
        assertEquals(List.of("E2", "E1", "E0"),
                ids(ledger.list(ExpenseFilter.all().withDates(date("2026-03-01"), date("2026-03-31")))));
        assertEquals(List.of("E3", "E4", "E6"),
                ids(ledger.list(ExpenseFilter.all().withDates(date("2026-04-15"), date("2026-04-15")))));
        assertEquals(List.of("E3", "E4", "E6", "E5"), ids(ledger.list(ExpenseFilter.all().withDates(date("2026-04-01"), null))));
        assertEquals(List.of("E2"), ids(ledger.list(ExpenseFilter.all().withDates(null, date("2026-03-01")))));
        assertTrue(ledger.list(ExpenseFilter.all().withDates(date("2026-12-01"), date("2026-01-01"))).isEmpty());
    }

    @Test
    void filtersByTextInDescriptionOrCategoryIgnoringCase() {
        assertEquals(List.of("E0"), ids(ledger.list(ExpenseFilter.all().withText("mario"))));
        assertEquals(List.of("E3", "E6"), ids(ledger.list(ExpenseFilter.all().withText("IN"))));
        assertEquals(List.of("E6", "E5"), ids(ledger.list(ExpenseFilter.all().withText("travel"))), "matches the category");
        assertEquals(List.of("E1", "E0", "E3", "E4"), ids(ledger.list(ExpenseFilter.all().withText("FOOD"))));
        assertEquals(List.of("E4"), ids(ledger.list(ExpenseFilter.all().withText("food").withPayer("bo")
                .withDates(date("2026-04-01"), null))));
        assertTrue(ledger.list(ExpenseFilter.all().withText("deleted")).isEmpty(), "deleted expenses are gone");
    }

    @Test
    void pages() {
        ExpenseFilter all = ExpenseFilter.all();
        assertEquals(List.of("E2", "E1", "E0"), ids(ledger.list(all.withPage(0, 3))));
        assertEquals(List.of("E3", "E4", "E6"), ids(ledger.list(all.withPage(3, 3))));
        assertEquals(List.of("E5"), ids(ledger.list(all.withPage(6, 3))));
        assertTrue(ledger.list(all.withPage(7, 3)).isEmpty());
        assertTrue(ledger.list(all.withPage(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEmpty());
        assertTrue(ledger.list(all.withPage(0, 0)).isEmpty());
        assertEquals(List.of("E6", "E5"), ids(ledger.list(all.withPage(5, Integer.MAX_VALUE))));
        assertEquals(7, ledger.count(all.withPage(5, 1)), "count ignores paging");
        assertThrows(IllegalArgumentException.class, () -> all.withPage(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> all.withPage(0, -1));
    }

    @Test
    void anEditedDateMovesTheExpense() {
        ledger.apply(9, 2, edit("c3", 1, "E5", ExpenseChanges.NONE.withDate(date("2026-01-01"))));
        assertEquals("E5", ledger.list(ExpenseFilter.all()).get(0).id());
    }

    @Test
    void totalsByCategoryArePerCurrency() {
        Totals t = ledger.totals(GroupBy.CATEGORY, ExpenseFilter.all());
        assertEquals(GroupBy.CATEGORY, t.by());
        assertEquals(List.of("Food", "food", "rent", "travel"), List.copyOf(t.groups().keySet()));
        assertEquals(Map.of("EUR", new BigDecimal("15.70"), "USD", new BigDecimal("25.00")), t.groups().get("food"));
        assertEquals(new BigDecimal("15.70"), t.sum("food", "EUR"));
        assertEquals(new BigDecimal("25.00"), t.sum("food", "USD"));
        assertNull(t.sum("food", "JPY"));
        assertNull(t.sum("misc", "EUR"), "deleted expenses do not count");
        assertEquals(new BigDecimal("1200"), t.sum("travel", "JPY"));
        assertEquals(new BigDecimal("99.99"), t.sum("travel", "EUR"));
        assertEquals(Map.of("EUR", new BigDecimal("915.69"), "USD", new BigDecimal("29.80"), "JPY", new BigDecimal("1200")),
                t.overall());
        assertEquals(List.of("EUR", "JPY", "USD"), List.copyOf(t.overall().keySet()));
    }

    @Test
    void totalsByMonthAndPayer() {
        Totals months = ledger.totals(GroupBy.MONTH, ExpenseFilter.all());
        assertEquals(List.of("2026-03", "2026-04", "2026-05"), List.copyOf(months.groups().keySet()));
        assertEquals(Map.of("EUR", new BigDecimal("815.70")), months.groups().get("2026-03"));
        assertEquals(Map.of("EUR", new BigDecimal("99.99"), "USD", new BigDecimal("29.80")), months.groups().get("2026-04"));
        assertEquals(Map.of("JPY", new BigDecimal("1200")), months.groups().get("2026-05"));

        Totals payers = ledger.totals(GroupBy.PAYER, ExpenseFilter.all());
        assertEquals(List.of("ana", "bo", "chen"), List.copyOf(payers.groups().keySet()));
        assertEquals(Map.of("EUR", new BigDecimal("812.50"), "USD", new BigDecimal("25.00")), payers.groups().get("ana"));
        assertEquals(Map.of("EUR", new BigDecimal("103.19"), "USD", new BigDecimal("4.80")), payers.groups().get("bo"));
    }

    @Test
    void totalsFollowTheFilterButNotItsPaging() {
        Totals t = ledger.totals(GroupBy.PAYER, ExpenseFilter.all().withCategory("food").withPage(0, 1));
        assertEquals(Map.of("EUR", new BigDecimal("12.50"), "USD", new BigDecimal("25.00")), t.groups().get("ana"));
        assertEquals(Map.of("EUR", new BigDecimal("3.20")), t.groups().get("bo"));
    }

    @Test
    void emptyResults() {
        Ledger empty = new Ledger();
        assertTrue(empty.list(ExpenseFilter.all()).isEmpty());
        assertEquals(0, empty.count(ExpenseFilter.all()));
        for (GroupBy by : GroupBy.values()) {
            Totals t = empty.totals(by, ExpenseFilter.all());
            assertTrue(t.isEmpty());
            assertTrue(t.overall().isEmpty());
        }
        assertTrue(ledger.totals(GroupBy.MONTH, ExpenseFilter.all().withPayer("nobody")).isEmpty());
    }

    @Test
    void resultsCannotBeModified() {
        assertThrows(UnsupportedOperationException.class, () -> ledger.list(ExpenseFilter.all()).clear());
        Totals t = ledger.totals(GroupBy.CATEGORY, ExpenseFilter.all());
        assertThrows(UnsupportedOperationException.class, () -> t.groups().clear());
        assertThrows(UnsupportedOperationException.class, () -> t.groups().get("food").clear());
        assertThrows(UnsupportedOperationException.class, () -> ledger.sessions().clear());
    }

    @Test
    void groupByWireNames() throws Exception {
        for (GroupBy by : GroupBy.values()) {
            assertEquals(by, GroupBy.fromWire(by.wireName()));
        }
        assertEquals(GroupBy.MONTH, GroupBy.fromWire(" Month "));
        Fixtures.refused("by", "must be one of category, month, payer, got 'year'", () -> GroupBy.fromWire("year"));
    }
}
