package dev.raftledger.raftd.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bucket bounds, in the shape Prometheus expects. Recording is a
 * short scan of the bounds and two {@link LongAdder} increments, with no lock, so the event loop
 * and the persister can record on their hot paths while the metrics thread reads.
 */
public final class Histogram {

    /**
     * Bounds, in seconds, for disk latencies: a write to the page cache takes tens of
     * microseconds, an fsync from a fraction of a millisecond (SSD) to tens of milliseconds
     * (spinning disk, cloud volume); anything past a second is a sick disk.
     */
    public static final double[] DISK_LATENCY_SECONDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    };

    /** What a histogram holds at one moment: cumulative counts per bound, then +Inf. */
    public record Snapshot(double[] boundsSeconds, long[] cumulativeCounts, double sumSeconds, long count) {}

    private final double[] boundsSeconds;
    private final long[] boundsNanos;
    /** One per bound, then one for +Inf; each counts only its own bucket (cumulated on read). */
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    public Histogram(double[] boundsSeconds) {
        if (boundsSeconds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket bound");
        }
        this.boundsSeconds = boundsSeconds.clone();
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) {
            if (!(boundsSeconds[i] > 0) || (i > 0 && boundsSeconds[i] <= boundsSeconds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be positive and increasing: "
                        + Arrays.toString(boundsSeconds));
            }
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        }
        this.buckets = new LongAdder[boundsSeconds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one duration (a difference of two {@link System#nanoTime} readings). */
    public void observeNanos(long nanos) {
        long n = Math.max(0, nanos); // nanoTime is monotonic, but never let a bad caller make the sum shrink
        int i = 0;
        while (i < boundsNanos.length && n > boundsNanos[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(n);
    }

    /**
     * The counts so far. The count is the sum of the buckets, so the +Inf bucket always equals
     * it; the sum is read separately and may include an observation the buckets do not yet.
     */
    public Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(boundsSeconds.clone(), cumulative, sumNanos.sum() / 1e9, running);
    }
}
