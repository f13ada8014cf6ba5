package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.core.CoreEvent;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the driver records for the metrics endpoint beyond the core's own counters: disk
 * latencies and leader changes. Always recorded (a nanoTime pair and a few atomic increments),
 * whether or not a metrics port is open, so the hot paths carry no branch for it. The latency
 * histograms are the Prometheus client's, with fixed (classic) buckets only and no exemplars:
 * recording takes no lock, except for the moment a scrape collects that histogram, during which
 * observations are buffered.
 */
public final class NodeMetrics {

    /**
     * Bounds, in seconds, for disk latencies: a write to the page cache takes tens of
     * microseconds, an fsync from a fraction of a millisecond (SSD) to tens of milliseconds
     * (spinning disk, cloud volume); anything past a second is a sick disk.
     */
    public static final double[] DISK_LATENCY_SECONDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    };

    /** Time the event loop spends writing one batch of entries to the log (before the fsync). */
    private final Histogram logAppend = diskLatency("raftd_log_append_seconds",
            "Time to write one batch of entries to the log, before the fsync.");
    /** Time of each fsync of the log by the persister (one may cover many appends). */
    private final Histogram logFsync = diskLatency("raftd_log_fsync_seconds",
            "Time of one fsync of the log (one fsync may cover many appends).");
    /**
     * How long each peer message waited in the event loop's queue before the loop took it: a
     * follower's acknowledgements that wait behind other work reach check-quorum late, and a
     * leader whose loop is this busy steps down although every follower answered in time.
     */
    private final Histogram peerWait = diskLatency("raftd_peer_message_wait_seconds",
            "Time a peer message waited in the event loop's queue before the loop handled it.");
    private final LongAdder leaderChanges = new LongAdder();
    /** The term of the last leadership counted; only the event loop thread touches it. */
    private long lastLeaderTerm = -1;

    private static Histogram diskLatency(String name, String help) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(DISK_LATENCY_SECONDS)
                .withoutExemplars().build();
    }

    Histogram logAppend() {
        return logAppend;
    }

    Histogram logFsync() {
        return logFsync;
    }

    Histogram peerWait() {
        return peerWait;
    }

    /** Records how long one peer message waited in the loop's queue (a difference of nanoTime readings). */
    public void peerWaitNanos(long nanos) {
        peerWait.observe(seconds(nanos));
    }

    /** Records one log append batch's duration, a difference of two {@link System#nanoTime} readings. */
    public void logAppendNanos(long nanos) {
        logAppend.observe(seconds(nanos));
    }

    /** Records one fsync's duration, a difference of two {@link System#nanoTime} readings. */
    public void logFsyncNanos(long nanos) {
        logFsync.observe(seconds(nanos));
    }

    /** nanoTime is monotonic, but never let a bad caller make a sum shrink. */
    private static double seconds(long nanos) {
        return Unit.nanosToSeconds(Math.max(0, nanos));
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
