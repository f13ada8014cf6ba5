package dev.raftledger.raftd.sim;

import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.common.wire.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's stable storage, which outlives its crashes. The hard state is written durably at
 * once (the real store fsyncs it before the driver goes on). The log is two things: what was
 * written, and how far that is durable. Appends become durable only by group commit, an fsync
 * that covers everything written before it began and completes later; a crash loses whatever
 * was written but not yet durable. A truncation is durable at once (the real log fsyncs it)
 * and voids any fsync in progress, which may have covered entries that no longer exist.
 *
 * <p>A snapshot is saved durably at once (the real store writes a temporary file, fsyncs it and
 * renames it). Compaction drops the log's entries up to an index; a reset (a snapshot installed
 * from the leader that the log does not match) drops them all and starts after the snapshot.
 */
final class SimDisk {

    private HardState hardState = HardState.INITIAL;
    private final List<Entry> written = new ArrayList<>();
    /** The index of {@code written.get(0)}: everything before was compacted away. */
    private long first;
    private LogPosition snapshot = LogPosition.EMPTY;
    private byte[] snapshotData = new byte[0];
    /** The configuration in force at the snapshot (ClusterConfig text), "" if none. */
    private String snapshotConfig = "";
    private long durable = -1;
    /** Bumped by truncations and crashes: an fsync begun before proves nothing about the log now. */
    private int generation;
    private boolean syncInFlight;

    HardState hardState() {
        return hardState;
    }

    void saveHardState(HardState state) {
        hardState = state;
    }

    long lastWritten() {
        return first + written.size() - 1;
    }

    LogPosition snapshot() {
        return snapshot;
    }

    byte[] snapshotData() {
        return snapshotData;
    }

    void saveSnapshot(LogPosition at, byte[] data) {
        snapshot = at;
        snapshotData = data;
    }

    /** As above, with the configuration in force at the snapshot's last entry. */
    void saveSnapshot(LogPosition at, byte[] data, String config) {
        saveSnapshot(at, data);
        snapshotConfig = config;
    }

    String snapshotConfig() {
        return snapshotConfig;
    }

    /** Whether the log holds the entry at {@code at}'s index with its term. */
    boolean holds(LogPosition at) {
        return at.index() >= first && at.index() <= lastWritten() && written.get((int) (at.index() - first)).term() == at.term();
    }

    /** Drops the entries up to {@code index} (a snapshot covers them). */
    void compactThrough(long index) {
        long upTo = Math.min(index, lastWritten());
        if (upTo >= first) {
            written.subList(0, (int) (upTo - first + 1)).clear();
            first = upTo + 1;
        }
    }

    /** Drops every entry: the next one follows {@code snapshot}, which is durable. */
    void resetTo(LogPosition installed) {
        written.clear();
        first = installed.index() + 1;
        durable = installed.index();
        generation++;
    }

    long durableIndex() {
        return durable;
    }

    int generation() {
        return generation;
    }

    void truncateFrom(long index) {
        if (index < first) {
            throw new IllegalStateException("truncation from " + index + " into the compacted part (first " + first + ")");
        }
        if (index <= lastWritten()) {
            written.subList((int) (index - first), written.size()).clear();
        }
        durable = Math.min(durable, index - 1);
        generation++;
    }

    void append(Entry e) {
        if (e.index() != lastWritten() + 1) {
            throw new IllegalStateException("append of entry " + e.index() + " after " + lastWritten());
        }
        written.add(e);
    }

    /** Whether an fsync should start now: something is written but not durable, and none is running. */
    boolean needsSync() {
        return !syncInFlight && lastWritten() > durable;
    }

    /** Starts an fsync; returns the last index it covers. */
    long beginSync() {
        syncInFlight = true;
        return lastWritten();
    }

    /** An fsync begun in {@code gen} covering up to {@code upTo} completed; true if more is durable now. */
    boolean completeSync(long upTo, int gen) {
        syncInFlight = false;
        if (gen != generation) {
            return false;
        }
        long d = Math.min(upTo, lastWritten());
        if (d <= durable) {
            return false;
        }
        durable = d;
        return true;
    }

    /** Power loss: the un-fsynced tail of the log is gone. */
    void crash() {
        long keepTo = Math.max(durable, first - 1);
        written.subList((int) (keepTo - first + 1), written.size()).clear();
        generation++;
    }

    /**
     * The log a restarting node reads back, after its snapshot: the entries that follow the
     * snapshot if the log holds the snapshot's last entry with its term or starts right after it
     * (a local snapshot, or an installed one), else none: the log is then reset to start after the
     * snapshot (it ended before the snapshot's end, its tail lost in a crash, or it held entries
     * of a log the snapshot replaced), as raftd's start-up does.
     */
    List<Entry> recover() {
        if (snapshot.index() < 0) {
            return List.copyOf(written);
        }
        if (!holds(snapshot) && first != snapshot.index() + 1) {
            resetTo(snapshot);
            return List.of();
        }
        List<Entry> after = new ArrayList<>();
        for (Entry e : written) {
            if (e.index() > snapshot.index()) {
                after.add(e);
            }
        }
        return after;
    }
}
