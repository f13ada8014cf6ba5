package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations in a node's log (Raft thesis 4.1): the base one, in force before the log's
 * first entry (the {@code --cluster} list, or the one a snapshot holds), and one per
 * configuration entry after it. A configuration takes effect as soon as its entry is in the log,
 * committed or not, so the one in force is always the latest; when a conflicting leader's
 * entries cut the log short, the configurations cut with them go too and the one before is back.
 * {@link MemoryLog} keeps it in step with every append, truncation and compaction.
 */
final class ConfigLog {

    private ClusterConfig base;
    /** The index of the entry that set the base, or of the snapshot that holds it (-1: the initial list). */
    private long baseIndex;
    private final TreeMap<Long, ClusterConfig> entries = new TreeMap<>();

    ConfigLog(ClusterConfig base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    void appended(Entry e) {
        ClusterConfig c = ClusterConfig.fromPayload(e.data());
        if (c != null) {
            entries.put(e.index(), c);
        }
    }

    /** Entries from {@code index} on are gone: so are their configurations. */
    void truncatedFrom(long index) {
        entries.tailMap(index, true).clear();
    }

    /** A snapshot now stands for everything up to {@code index}: the configuration there becomes the base. */
    void compactedThrough(long index) {
        Map.Entry<Long, ClusterConfig> last = entries.floorEntry(index);
        if (last != null) {
            base = last.getValue();
            baseIndex = last.getKey();
        }
        entries.headMap(index, true).clear();
    }

    /** The log was replaced by a snapshot through {@code index} holding {@code config}. */
    void reset(long index, ClusterConfig config) {
        entries.clear();
        base = config;
        baseIndex = index;
    }

    /** Sets the configuration a snapshot through {@code index} holds, keeping the entries after it. */
    void rebase(long index, ClusterConfig config) {
        entries.headMap(index, true).clear();
        base = config;
        baseIndex = index;
    }

    /** The configuration in force: the latest in the log. */
    ClusterConfig latest() {
        return entries.isEmpty() ? base : entries.lastEntry().getValue();
    }

    /** The index of the entry that set {@link #latest()} (see {@link #baseIndex}). */
    long latestIndex() {
        return entries.isEmpty() ? baseIndex : entries.lastKey();
    }

    /** The configuration in force once the log ends at {@code index} (never before the base). */
    ClusterConfig at(long index) {
        Map.Entry<Long, ClusterConfig> e = entries.floorEntry(index);
        return e == null ? base : e.getValue();
    }

    /** The index of the entry that set {@link #at(long) at(index)}. */
    long indexAt(long index) {
        Long k = entries.floorKey(index);
        return k == null ? baseIndex : k;
    }
}
