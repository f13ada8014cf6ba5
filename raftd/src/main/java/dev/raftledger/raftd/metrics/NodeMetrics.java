package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.core.CoreEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the driver records for the metrics endpoint beyond the core's own counters: disk
 * latencies and leader changes. Always recorded (a nanoTime pair and an increment), whether or
 * not a metrics port is open, so the hot paths carry no branch for it.
 */
public final class NodeMetrics {

    /** Time the event loop spends writing one batch of entries to the log (before the fsync). */
    private final Histogram logAppend = new Histogram(Histogram.DISK_LATENCY_SECONDS);
    /** Time of each fsync of the log by the persister (one may cover many appends). */
    private final Histogram logFsync = new Histogram(Histogram.DISK_LATENCY_SECONDS);
    private final LongAdder leaderChanges = new LongAdder();
    /** The term of the last leadership counted; only the event loop thread touches it. */
    private long lastLeaderTerm = -1;

    Histogram logAppend() {
        return logAppend;
    }

    Histogram logFsync() {
        return logFsync;
    }

    /** Records one log append batch's duration, a difference of two {@link System#nanoTime} readings. */
    public void logAppendNanos(long nanos) {
        logAppend.observeNanos(nanos);
    }

    /** Records one fsync's duration, a difference of two {@link System#nanoTime} readings. */
    public void logFsyncNanos(long nanos) {
        logFsync.observeNanos(nanos);
    }

    /**
     * Counts a leader change when this node first learns of a leader in a newer term, as a
     * follower (LeaderKnown) or by winning (LeaderElected). A term has at most one leader, so
     * this counts each leadership this node saw once, the same node re-elected included.
     * Called by the event loop thread only.
     */
    public void onEvent(CoreEvent event) {
        long term;
        if (event instanceof CoreEvent.LeaderKnown k) {
            term = k.term();
        } else if (event instanceof CoreEvent.LeaderElected e) {
            term = e.term();
        } else {
            return;
        }
        if (term > lastLeaderTerm) {
            lastLeaderTerm = term;
            leaderChanges.increment();
        }
    }

    public long leaderChanges() {
        return leaderChanges.sum();
    }
}
