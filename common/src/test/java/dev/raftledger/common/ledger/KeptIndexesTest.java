package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.money;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the ledger keeps as entries apply, for unfiltered reads: the running totals behind
 * {@link Ledger#totals} and {@link Ledger#count}, and the list order behind {@link Ledger#list}'s
 * pages ({@link RunningTotals}, {@link DateOrder}). Each answer always equals a fresh pass over
 * the expenses (a filter that selects everything but is not {@link ExpenseFilter#selectsAll}
 * takes the pass; so does a {@link Ledger#copy}, which keeps no list orders), for filters on a
 * category or a payer with and without dates as for none, after random adds, edits (dates,
 * categories and payers included) and deletes, in a copy, and in a ledger read back from its
 * snapshot.
 */
class KeptIndexesTest {

    /** Selects every expense, the long way (years are 1900-2999). */
    private static final ExpenseFilter PASS = ExpenseFilter.all().withDates(LocalDate.of(1900, 1, 1),
            LocalDate.of(2999, 12, 31));

    private static final String[] CATEGORIES = {"food", "travel", "rent", "misc"};
    private static final String[] PAYERS = {"ana", "bo", "cy"};
    private static final String[] CURRENCIES = {"EUR", "USD", "JPY"};

    @Test
    void keptAnswersEqualAFreshPassAfterRandomChanges() throws Exception {
        Random rnd = new Random(0x707A15L);
        Ledger ledger = new Ledger();
        List<String> ids = new ArrayList<>();
        long index = 0;
        for (int step = 0; step < 3_000; step++) {
            int what = rnd.nextInt(10);
            LedgerResult r;
            if (ids.isEmpty() || what < 5) {
                String currency = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
                String amount = currency.equals("JPY") ? String.valueOf(1 + rnd.nextInt(5_000))
                        : (1 + rnd.nextInt(500)) + "." + (10 + rnd.nextInt(90));
                r = ledger.apply(index, 1, add("c", index + 1, amount, currency, CATEGORIES[rnd.nextInt(4)], "",
                        PAYERS[rnd.nextInt(3)], "2026-" + (1 + rnd.nextInt(12) + 100 + "").substring(1) + "-"
                                + (1 + rnd.nextInt(28) + 100 + "").substring(1)));
                ids.add(r.id());
            } else if (what < 8) {
                String id = ids.get(rnd.nextInt(ids.size()));
                ExpenseChanges c = switch (rnd.nextInt(4)) {
                    case 0 -> ExpenseChanges.NONE.withCategory(CATEGORIES[rnd.nextInt(4)]);
                    case 1 -> ExpenseChanges.NONE.withPayer(PAYERS[rnd.nextInt(3)]);
                    case 2 -> ExpenseChanges.NONE.withDate(LocalDate.of(2025, 1 + rnd.nextInt(12), 3));
                    default -> ExpenseChanges.NONE.withAmount(money((1 + rnd.nextInt(90)) + ".05", "USD"));
                };
                r = ledger.apply(index, 1, edit("c", index + 1, id, c));
            } else {
                String id = ids.remove(rnd.nextInt(ids.size()));
                r = ledger.apply(index, 1, delete("c", index + 1, id));
            }
            assertTrue(r.ok(), "step " + step + ": " + r);
            index++;
            if (step % 97 == 0 || step == 2_999) {
                assertSameAsAPass(ledger, "step " + step);
            }
        }
        assertEquals(ids.size(), ledger.count(ExpenseFilter.all()));
        Ledger copy = ledger.copy();
        assertSameAsAPass(copy, "a copy");
        assertSameAsAPass(ledger, "the original");
        Ledger restored = Ledger.fromSnapshot(ledger.toSnapshot());
        assertSameAsAPass(restored, "read back from its snapshot");
        // the copy is independent: deleting everything from it leaves the original's totals alone
        for (String id : ids) {
            copy.apply(index, 1, delete("d", index, id));
            index++;
        }
        assertEquals(0, copy.totals(GroupBy.CATEGORY, ExpenseFilter.all()).groups().size(), "nothing left, no groups");
        assertSameAsAPass(ledger, "the original after its copy was emptied");
        // the reader thread's copy: no dedup table, the same answers, page() and sorted() as list and count
        Ledger forReads = ledger.copyForReads();
        assertEquals(0, forReads.sessionCount(), "reads never consult the dedup table");
        assertTrue(ledger.sessionCount() > 0);
        assertSameAsAPass(forReads, "a copy for reads");
        Random pr = new Random(7);
        for (ExpenseFilter f : filters(pr)) {
            ExpenseFilter paged = f.withPage(pr.nextInt(40), 1 + pr.nextInt(60));
            assertEquals(new Ledger.Page(ledger.count(f), ledger.list(paged)), forReads.page(paged), "page " + paged);
            assertEquals(new Ledger.Page(ledger.count(f), ledger.list(paged)), ledger.page(paged), "kept page " + paged);
            assertEquals(ledger.list(f), List.of(forReads.sorted(paged)), "sorted, paging ignored: " + f);
            assertEquals(ledger.keptOrderAnswers(f), f.text() == null && (f.category() == null || f.payer() == null));
            assertTrue(!forReads.keptOrderAnswers(f), "a copy keeps no orders");
        }
        List<Expense> before = forReads.list(ExpenseFilter.all());
        ledger.apply(index, 1, delete("c2", 1, ids.get(0)));
        assertEquals(before, forReads.list(ExpenseFilter.all()), "later writes to the original do not reach it");
        ids.remove(0);
        index++;
    }

    /** Filters a kept order answers (a category or a payer, with or without dates), and some it does not. */
    private static List<ExpenseFilter> filters(Random r) {
        LocalDate a = LocalDate.of(2025, 1 + r.nextInt(12), 1 + r.nextInt(28));
        LocalDate b = a.plusDays(r.nextInt(400));
        String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
        String payer = PAYERS[r.nextInt(PAYERS.length)];
        ExpenseFilter all = ExpenseFilter.all();
        return List.of(all.withCategory(category), all.withPayer(payer), all.withDates(a, b),
                all.withCategory(category).withDates(a, null), all.withPayer(payer).withDates(null, b),
                all.withCategory(category).withDates(b, a), all.withCategory("nobody-uses-this"),
                all.withCategory(category).withPayer(payer), all.withText("o"));
    }

    private static void assertSameAsAPass(Ledger l, String when) {
        Ledger pass = l.copy(); // a copy keeps no list orders: it answers every query with a pass
        Random r = new Random(l.size());
        for (ExpenseFilter f : filters(r)) {
            String what = when + ", filter " + f;
            assertEquals(pass.count(f), l.count(f), what + ": count");
            assertEquals(pass.list(f), l.list(f), what + ": list");
            int n = pass.count(f);
            for (int i = 0; i < 5; i++) {
                int offset = r.nextInt(n + 3);
                int limit = r.nextInt(3) == 0 ? ExpenseFilter.NO_LIMIT : r.nextInt(50);
                assertEquals(pass.list(f.withPage(offset, limit)), l.list(f.withPage(offset, limit)),
                        what + ": page " + offset + "+" + limit);
            }
            for (GroupBy by : GroupBy.values()) {
                assertEquals(pass.totals(by, f), l.totals(by, f), what + ": totals by " + by);
            }
        }
        assertEquals(l.count(PASS), l.count(ExpenseFilter.all()), when + ": count");
        int n = l.count(PASS);
        assertEquals(l.list(PASS), l.list(ExpenseFilter.all()), when + ": the whole list");
        Random pages = new Random(n);
        for (int i = 0; i < 20; i++) {
            int offset = pages.nextInt(n + 5);
            int limit = pages.nextInt(4) == 0 ? ExpenseFilter.NO_LIMIT : pages.nextInt(120);
            assertEquals(l.list(PASS.withPage(offset, limit)), l.list(ExpenseFilter.all().withPage(offset, limit)),
                    when + ": page " + offset + "+" + limit);
        }
        for (GroupBy by : GroupBy.values()) {
            assertEquals(l.totals(by, PASS), l.totals(by, ExpenseFilter.all()), when + ": totals by " + by);
        }
    }
}
