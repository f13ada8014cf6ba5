package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's copy of the log: the entries after the latest snapshot, contiguous and 0-based as
 * on the wire. The snapshot stands for every entry up to {@link #snapshot()} (committed and
 * applied, so no leader can disagree with them); only its last index and term are kept. The
 * driver keeps the durable copy and hands the recovered entries in at start; from then on the
 * core tells the driver, through {@link Output}, what to truncate and append so both copies
 * stay equal.
 */
final class MemoryLog {

    private final ArrayList<Entry> entries = new ArrayList<>();
    /** The last entry the snapshot covers: (-1, 0) when there is none. */
    private LogPosition snapshot;
    /** The configurations the log holds, kept in step with every change below (membership). */
    private final ConfigLog configs;

    /** {@code base}: the configuration in force at the snapshot (or, without one, the initial list). */
    MemoryLog(LogPosition snapshot, ClusterConfig base, List<Entry> recovered) {
        this.snapshot = snapshot;
        this.configs = new ConfigLog(base, snapshot.index());
        for (Entry e : recovered) {
            append(e);
        }
    }

    MemoryLog(LogPosition snapshot, List<Entry> recovered) {
        this(snapshot, null, recovered);
    }

    MemoryLog(List<Entry> recovered) {
        this(LogPosition.EMPTY, recovered);
    }

    ConfigLog configs() {
        return configs;
    }

    LogPosition snapshot() {
        return snapshot;
    }

    /** The first index held as an entry (the one after the snapshot). */
    long firstIndex() {
        return snapshot.index() + 1;
    }

    long lastIndex() {
        return snapshot.index() + entries.size();
    }

    long lastTerm() {
        return entries.isEmpty() ? snapshot.term() : entries.get(entries.size() - 1).term();
    }

    LogPosition last() {
        return new LogPosition(lastIndex(), lastTerm());
    }

    /** Whether {@code index} is still held as an entry (after the snapshot, up to the last). */
    boolean holds(long index) {
        return index >= firstIndex() && index <= lastIndex();
    }

    /** The term at {@code index}: the snapshot's at its last index; 0 for -1 (before the first entry). */
    long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        return get(index).term();
    }

    Entry get(long index) {
        if (index < firstIndex() || index > lastIndex()) {
            throw new IllegalArgumentException("no entry " + index + " (held: " + firstIndex() + ".." + lastIndex()
                    + (snapshot.index() >= 0 ? ", earlier ones are in the snapshot" : "") + ")");
        }
        return entries.get((int) (index - firstIndex()));
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
        configs.appended(e);
    }

    /** Removes every entry from {@code index} on (never what the snapshot covers). */
    void truncateFrom(long index) {
        if (index < firstIndex() || index > lastIndex() + 1) {
            throw new IllegalArgumentException("cannot truncate from " + index + " (held: " + firstIndex() + ".."
                    + lastIndex() + ")");
        }
        entries.subList((int) (index - firstIndex()), entries.size()).clear();
        configs.truncatedFrom(index);
    }

    /** A snapshot now covers everything up to {@code index}: drops those entries, keeps the rest. */
    void compactThrough(long index) {
        if (index <= snapshot.index()) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("cannot compact through " + index + " (last is " + lastIndex() + ")");
        }
        LogPosition covered = new LogPosition(index, term(index));
        entries.subList(0, (int) (index - firstIndex() + 1)).clear();
        snapshot = covered;
        configs.compactedThrough(index);
    }

    /** A snapshot from the leader replaces the whole log: nothing held, the next entry follows it. */
    void resetTo(LogPosition installed) {
        resetTo(installed, configs.latest());
    }

    /** As above, with the configuration the snapshot holds. */
    void resetTo(LogPosition installed, ClusterConfig config) {
        entries.clear();
        snapshot = installed;
        configs.reset(installed.index(), config);
    }

    /**
     * Entries from {@code from} on costing at most {@code limits.maxBatchBytes()} on the wire
     * ({@link Limits#entryCost}), but always at least one.
     */
    List<Entry> slice(long from, Limits limits) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= lastIndex(); i++) {
            Entry e = get(i);
            bytes += limits.entryCost(e);
            if (!out.isEmpty() && bytes > limits.maxBatchBytes()) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * The first index of the run of entries of {@code term} that contains {@code index}, not
     * looking into the snapshot (a conflict hint only needs to be a safe place to resume).
     */
    long firstIndexOfTermAt(long index) {
        long term = term(index);
        long i = index;
        while (i > firstIndex() && term(i - 1) == term) {
            i--;
        }
        return i;
    }

    /** The last index at or below {@code upTo} whose term is {@code term}, or -1 if there is none. */
    long lastIndexOfTerm(long term, long upTo) {
        for (long i = Math.min(upTo, lastIndex()); i >= snapshot.index() && i >= 0; i--) {
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
