package dev.raftledger.raftd.sim;

import dev.raftledger.raftd.core.HardState;
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
 */
final class SimDisk {

    private HardState hardState = HardState.INITIAL;
    private final List<Entry> written = new ArrayList<>();
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
        return written.size() - 1;
    }

    long durableIndex() {
        return durable;
    }

    int generation() {
        return generation;
    }

    void truncateFrom(long index) {
        if (index < written.size()) {
            written.subList((int) index, written.size()).clear();
        }
        durable = Math.min(durable, index - 1);
        generation++;
    }

    void append(Entry e) {
        if (e.index() != written.size()) {
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
        written.subList((int) (durable + 1), written.size()).clear();
        generation++;
    }

    /** The log a restarting node reads back. */
    List<Entry> recover() {
        return List.copyOf(written);
    }
}
