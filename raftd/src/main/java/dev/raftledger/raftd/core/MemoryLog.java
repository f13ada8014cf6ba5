package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's copy of the log, 0-based and contiguous. The driver keeps the durable copy and
 * hands the recovered entries in at start; from then on the core tells the driver, through
 * {@link Output}, what to truncate and append so both copies stay equal.
 */
final class MemoryLog {

    private final ArrayList<Entry> entries = new ArrayList<>();

    MemoryLog(List<Entry> recovered) {
        for (Entry e : recovered) {
            append(e);
        }
    }

    long lastIndex() {
        return entries.size() - 1;
    }

    long lastTerm() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).term();
    }

    LogPosition last() {
        return new LogPosition(lastIndex(), lastTerm());
    }

    /** The term at {@code index}; 0 for index -1 (before the first entry). */
    long term(long index) {
        if (index == -1) {
            return 0;
        }
        return get(index).term();
    }

    Entry get(long index) {
        if (index < 0 || index > lastIndex()) {
            throw new IllegalArgumentException("no entry " + index + " (last is " + lastIndex() + ")");
        }
        return entries.get((int) index);
    }

    void append(Entry e) {
        if (e.index() != lastIndex() + 1) {
            throw new IllegalArgumentException("entry " + e.index() + " does not follow " + lastIndex());
        }
        if (e.term() < lastTerm()) {
            throw new IllegalArgumentException("entry " + e.index() + " of term " + e.term()
                    + " follows term " + lastTerm());
        }
        entries.add(e);
    }

    /** Removes every entry from {@code index} on. */
    void truncateFrom(long index) {
        if (index < 0 || index > lastIndex() + 1) {
            throw new IllegalArgumentException("cannot truncate from " + index + " (last is " + lastIndex() + ")");
        }
        entries.subList((int) index, entries.size()).clear();
    }

    /** Entries from {@code from} on, at most {@code maxBytes} of payload but always at least one. */
    List<Entry> slice(long from, int maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= lastIndex(); i++) {
            Entry e = get(i);
            bytes += e.data().size() + ENTRY_OVERHEAD;
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** JSON framing per entry on the wire ({"term":N,"data":...}), counted against batch limits. */
    static final int ENTRY_OVERHEAD = 32;

    /** The first index of the run of entries of {@code term} that contains {@code index}. */
    long firstIndexOfTermAt(long index) {
        long term = term(index);
        long i = index;
        while (i > 0 && term(i - 1) == term) {
            i--;
        }
        return i;
    }

    /** The last index at or below {@code upTo} whose term is {@code term}, or -1 if there is none. */
    long lastIndexOfTerm(long term, long upTo) {
        for (long i = Math.min(upTo, lastIndex()); i >= 0; i--) {
            long t = term(i);
            if (t == term) {
                return i;
            }
            if (t < term) {
                return -1; // terms only grow along the log
            }
        }
        return -1;
    }
}
