package dev.raftledger.raftd.driver.control;

import dev.raftledger.common.ledger.Expense;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The open export cursors of a node (docs/protocol.md, "Exports from one point"): each a frozen
 * view of the expenses an export selects, in list order, as the ledger was at one applied index,
 * sorted once when it opened; later pages are cut from it in O(page), whatever writes apply
 * meanwhile. At most {@link #MAX_OPEN} are open; one unread for {@link #IDLE_MS} expires. A view
 * holds an array of references to the ledger's immutable expenses (4 or 8 bytes each), so 8 open
 * exports of a million expenses cost the heap about 32-64 MiB beyond the expenses themselves,
 * and that only for those edited or deleted since.
 *
 * <p>Threads: owned by the reader thread ({@link ReadWorker}); not thread-safe. Errors: none
 * thrown; a full table is {@code null} from {@link #open}, an unknown or expired id null from
 * {@link #get}.
 */
final class ExportCursors {

    /** How many exports may be open on a node at once. */
    static final int MAX_OPEN = 8;
    /** How long a cursor lives without a page read, ms. */
    static final long IDLE_MS = 60_000;

    /** One open export: its id, its rows in list order, whether any records a writer, what its replies say of the node. */
    static final class View {
        private final String id;
        private final Expense[] rows;
        private final boolean writers;
        private final ExpenseReads.Header header;
        private long lastUsed;
        private boolean finished;

        private View(String id, Expense[] rows, ExpenseReads.Header header, long now) {
            this.id = id;
            this.rows = rows;
            this.header = header;
            this.lastUsed = now;
            boolean any = false;
            for (Expense e : rows) {
                if (e.createdBy() != null || e.updatedBy() != null) {
                    any = true;
                    break;
                }
            }
            this.writers = any;
        }

        String id() {
            return id;
        }

        Expense[] rows() {
            return rows;
        }

        boolean writers() {
            return writers;
        }

        ExpenseReads.Header header() {
            return header;
        }

        /** Its last page was served: a new export may take its slot (it stays readable until then). */
        void finished() {
            finished = true;
        }
    }

    private final LongSupplier clockMs;
    private final Supplier<String> ids;
    /** In order of last use, least recent first. */
    private final LinkedHashMap<String, View> open = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param clockMs monotonic ms (the reader thread's clock; a test's own)
     * @param ids     new cursor ids, never repeated within a process
     */
    ExportCursors(LongSupplier clockMs, Supplier<String> ids) {
        this.clockMs = clockMs;
        this.ids = ids;
    }

    /**
     * With the system's monotonic clock and random 64-bit ids. Not secret (a cursor shows only
     * what EXPENSES shows its caller anyway): random so that a cursor of an earlier process, or
     * of another node, is not taken for one of this node's.
     */
    static ExportCursors system() {
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        return new ExportCursors(() -> System.nanoTime() / 1_000_000,
                () -> String.format("%016x", random.nextLong()));
    }

    /**
     * A new cursor over {@code rows}; null if {@link #MAX_OPEN} unfinished exports are open. A
     * finished one (its last page served) gives its slot up, least recently used first.
     */
    View open(Expense[] rows, ExpenseReads.Header header) {
        long now = clockMs.getAsLong();
        expire(now);
        if (open.size() >= MAX_OPEN) {
            Iterator<View> it = open.values().iterator();
            while (it.hasNext()) {
                if (it.next().finished) {
                    it.remove();
                    break;
                }
            }
        }
        if (open.size() >= MAX_OPEN) {
            return null;
        }
        String id = ids.get();
        while (open.containsKey(id)) {
            id = ids.get();
        }
        View v = new View(id, rows, header, now);
        open.put(id, v);
        return v;
    }

    /** The cursor {@code id}, its idle time restarted; null if unknown or expired. */
    View get(String id) {
        long now = clockMs.getAsLong();
        expire(now);
        View v = open.get(id);
        if (v != null) {
            v.lastUsed = now;
        }
        return v;
    }

    /** How many are open (expired ones dropped first). */
    int size() {
        expire(clockMs.getAsLong());
        return open.size();
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<String, View>> it = open.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().lastUsed > IDLE_MS) {
                it.remove();
            }
        }
    }
}
