package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link ExpenseTable} behaves as a sorted map (a TreeMap is the model) through appends,
 * inserts anywhere (chunk splits), replacements, deletes (chunk merges) and copies, and a copy
 * never changes after it was taken, whatever either table does next.
 */
class ExpenseTableTest {

    private static final Expense[] VALUES = new Expense[8];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = new Expense("E" + i, Fixtures.money(i + 1 + ".00", "EUR"), "c", "d", "p",
                    LocalDate.of(2026, 1, 1), 1, i, 1, i);
        }
    }

    private static void assertSameContent(TreeMap<Long, Expense> model, ExpenseTable table, String when) {
        assertEquals(model.size(), table.size(), when);
        List<Expense> expected = new ArrayList<>(model.values());
        List<Expense> actual = new ArrayList<>();
        table.forEach(actual::add);
        assertEquals(expected.size(), actual.size(), when);
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), actual.get(i), when + ", position " + i);
        }
        for (Map.Entry<Long, Expense> e : model.entrySet()) {
            assertSame(e.getValue(), table.get(e.getKey()), when + ", key " + e.getKey());
        }
    }

    @Test
    void anEmptyTable() {
        ExpenseTable t = new ExpenseTable();
        assertEquals(0, t.size());
        assertNull(t.get(0));
        assertNull(t.remove(0));
        assertFalse(t.iterator().hasNext());
        assertThrows(NoSuchElementException.class, () -> t.iterator().next());
        assertEquals(0, t.copy().size());
    }

    @Test
    void appendsInLogOrderFillWholeChunksAndReadBack() {
        ExpenseTable t = new ExpenseTable();
        TreeMap<Long, Expense> model = new TreeMap<>();
        for (long k = 0; k < 5 * ExpenseTable.CHUNK + 3; k++) {
            Expense v = VALUES[(int) (k % VALUES.length)];
            assertNull(t.put(k * 2, v));
            model.put(k * 2, v);
        }
        assertSameContent(model, t, "after appends");
        assertNull(t.get(1), "a key between two keys");
        assertNull(t.get(-1));
        assertNull(t.get(Long.MAX_VALUE));
    }

    /** Random operations on a table and its copies, each checked against a TreeMap of what it should hold. */
    @Test
    void behavesAsASortedMapThroughRandomOperationsAndCopies() {
        for (long seed = 1; seed <= 6; seed++) {
            Random r = new Random(seed);
            ExpenseTable table = new ExpenseTable();
            TreeMap<Long, Expense> model = new TreeMap<>();
            List<ExpenseTable> copies = new ArrayList<>();
            List<TreeMap<Long, Expense>> copyModels = new ArrayList<>();
            long next = 0;
            // mostly appends, as the log does; inserts below the top split chunks; deletes merge them
            int keyRange = 3 * ExpenseTable.CHUNK;
            for (int step = 0; step < 12_000; step++) {
                String when = "seed " + seed + ", step " + step;
                int op = r.nextInt(100);
                Expense v = VALUES[r.nextInt(VALUES.length)];
                if (op < 40) {
                    long k = keyRange + next++;
                    assertEquals(model.put(k, v), table.put(k, v), when);
                } else if (op < 60) {
                    long k = r.nextInt(keyRange + (int) next);
                    assertSame(model.put(k, v), table.put(k, v), when);
                } else if (op < 90) {
                    long k = r.nextInt(keyRange + (int) next + 1);
                    assertSame(model.remove(k), table.remove(k), when);
                } else if (op < 93) {
                    // a copy; then either the original or the copy goes on being changed, and the
                    // other must keep what the table held at this step
                    ExpenseTable copy = table.copy();
                    if (r.nextBoolean()) {
                        copies.add(copy);
                    } else {
                        copies.add(table);
                        table = copy;
                    }
                    copyModels.add(new TreeMap<>(model));
                } else {
                    long k = r.nextInt(keyRange + (int) next + 1);
                    assertSame(model.get(k), table.get(k), when);
                }
                if (step % 500 == 0) {
                    assertSameContent(model, table, when);
                }
            }
            assertSameContent(model, table, "seed " + seed + " at the end");
            for (int i = 0; i < copies.size(); i++) {
                assertSameContent(copyModels.get(i), copies.get(i), "seed " + seed + ", copy " + i);
            }
        }
    }

    @Test
    void deletesMergeSmallChunksAndKeepTheRest() {
        Random r = new Random(42);
        ExpenseTable t = new ExpenseTable();
        TreeMap<Long, Expense> model = new TreeMap<>();
        int n = 8 * ExpenseTable.CHUNK;
        List<Long> keys = new ArrayList<>();
        for (long k = 0; k < n; k++) {
            t.put(k, VALUES[(int) (k % VALUES.length)]);
            model.put(k, VALUES[(int) (k % VALUES.length)]);
            keys.add(k);
        }
        assertEquals(8, t.chunkCount(), "appends fill whole chunks");
        java.util.Collections.shuffle(keys, r);
        ExpenseTable before = t.copy(); // deletes in shared chunks too
        for (int i = 0; i < n * 9 / 10; i++) {
            long k = keys.get(i);
            assertSame(model.remove(k), t.remove(k));
            if (i % 97 == 0) {
                assertSameContent(model, t, "after " + (i + 1) + " deletes");
            }
        }
        assertSameContent(model, t, "after the deletes");
        // 10 % of 8 full chunks remain, about 410 entries: merged into a few chunks, not 8 sparse ones
        assertTrue(t.chunkCount() <= 4, "chunks left: " + t.chunkCount());
        assertEquals(n, before.size());
        for (long k : keys.subList(n * 9 / 10, n)) {
            assertSame(t.remove(k), model.remove(k));
        }
        assertEquals(0, t.size());
        assertEquals(0, t.chunkCount());
    }

    @Test
    void aCopyIsUnchangedByEveryKindOfChangeToEitherTable() {
        ExpenseTable original = new ExpenseTable();
        TreeMap<Long, Expense> model = new TreeMap<>();
        for (long k = 0; k < 3 * ExpenseTable.CHUNK; k += 2) {
            original.put(k, VALUES[0]);
            model.put(k, VALUES[0]);
        }
        ExpenseTable copy = original.copy();
        TreeMap<Long, Expense> atCopy = new TreeMap<>(model);
        original.put(10, VALUES[1]); // replace in a shared chunk
        original.put(11, VALUES[2]); // insert into a shared full chunk: split
        original.remove(0); // delete in a shared chunk
        original.put(1_000_000, VALUES[3]); // append
        for (long k = 2 * ExpenseTable.CHUNK; k < 3 * ExpenseTable.CHUNK; k += 2) {
            original.remove(k); // empties and merges shared chunks
        }
        assertSameContent(atCopy, copy, "the copy");
        copy.put(5, VALUES[4]);
        copy.remove(2);
        assertSame(VALUES[1], original.get(10));
        assertNull(original.get(5), "the copy's changes do not reach the original");
        assertSame(VALUES[0], original.get(2));
    }

    @Test
    void iterationStopsAtTheEnd() {
        ExpenseTable t = new ExpenseTable();
        t.put(3, VALUES[3]);
        t.put(1, VALUES[1]);
        Iterator<Expense> it = t.iterator();
        assertSame(VALUES[1], it.next());
        assertSame(VALUES[3], it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }
}
