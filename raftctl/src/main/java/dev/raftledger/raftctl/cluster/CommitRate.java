package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.NodeStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The commit rate {@code watch} shows: log entries committed per second over the last minute,
 * from the commit indices of the STATUS rounds it already polls, as a number and as a
 * sparkline. Each round gives one sample, the highest {@code commit_index} any node answered
 * with (never lower than the sample before: a node that knew more may have gone down); a round
 * nobody answered gives none. Between samples the index is taken to rise evenly.
 *
 * <p>The minute is cut into slots of one second, or of one interval when rounds are further
 * apart (as many as fit in a minute); each slot's rate is the rise of the index across it. A
 * slot before the first sample is unknown (a blank in the sparkline), so a watch younger than
 * a minute shows a shorter line.
 *
 * <p>Pure and not thread-safe: the watch loop owns it and hands it the round's monotonic time
 * ({@link System#nanoTime()}).
 */
final class CommitRate {

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Sparkline levels, lowest (no commits) to highest (the minute's highest rate). */
    static final String UNICODE_LEVELS = "▁▂▃▄▅▆▇█";
    static final String ASCII_LEVELS = "_.-~=+*#";

    /**
     * The rate as of the last sample.
     *
     * @param perSecond entries per second from the oldest sample in the window to the newest;
     *                  null before two samples
     * @param seconds   how many seconds that rate spans (at most the window)
     * @param slots     each slot's rate, oldest first; null for a slot the samples do not reach
     */
    record Reading(Double perSecond, double seconds, List<Double> slots) {
        Reading {
            slots = Collections.unmodifiableList(new ArrayList<>(slots));
        }
    }

    private final long slotNanos;
    private final int slotCount;
    private final List<long[]> samples = new ArrayList<>(); // {nanos, commit index}, oldest first

    /** @param intervalMs the time between rounds: slots are one second, or one interval if that is longer */
    CommitRate(long intervalMs) {
        this.slotNanos = Math.max(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(intervalMs));
        this.slotCount = (int) Math.max(1, WINDOW_NANOS / slotNanos);
    }

    /** A round's sample at {@code nanos}: the highest commit index any node answered with; none if nobody did. */
    void add(long nanos, ClusterStatus status) {
        Long highest = null;
        for (NodeStatus n : status.nodes()) {
            if (n.commitIndex() != null && (highest == null || n.commitIndex() > highest)) {
                highest = n.commitIndex();
            }
        }
        if (highest != null) {
            add(nanos, highest);
        }
    }

    /** A sample; a time not after the last sample's is ignored, an index below it is taken as equal. */
    void add(long nanos, long commitIndex) {
        if (!samples.isEmpty()) {
            long[] last = samples.get(samples.size() - 1);
            if (nanos - last[0] <= 0) {
                return;
            }
            commitIndex = Math.max(commitIndex, last[1]);
        }
        samples.add(new long[] {nanos, commitIndex});
        long from = nanos - span();
        // keep the last sample at or before the window's start, to interpolate from
        while (samples.size() >= 2 && samples.get(1)[0] - from <= 0) {
            samples.remove(0);
        }
    }

    /** How many samples are kept: those of the last minute and one before it. */
    int sampleCount() {
        return samples.size();
    }

    Reading reading() {
        List<Double> slots = new ArrayList<>();
        if (samples.size() < 2) {
            for (int i = 0; i < slotCount; i++) {
                slots.add(null);
            }
            return new Reading(null, 0, slots);
        }
        long first = samples.get(0)[0];
        long last = samples.get(samples.size() - 1)[0];
        for (int k = 0; k < slotCount; k++) {
            long start = last - (slotCount - k) * slotNanos;
            slots.add(start - first < 0 ? null : perSecond(start, start + slotNanos));
        }
        long windowStart = last - span();
        long from = windowStart - first > 0 ? windowStart : first; // not Math.max: nanoTime may wrap
        return new Reading(perSecond(from, last), (last - from) / 1e9, slots);
    }

    private long span() {
        return slotCount * slotNanos;
    }

    private double perSecond(long from, long to) {
        return (indexAt(to) - indexAt(from)) * 1e9 / (to - from);
    }

    /** The commit index at {@code nanos}, between the first and the last sample, rising evenly between samples. */
    private double indexAt(long nanos) {
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (nanos - b[0] <= 0) {
                double share = (double) (nanos - a[0]) / (b[0] - a[0]);
                return a[1] + share * (b[1] - a[1]);
            }
        }
        return samples.get(samples.size() - 1)[1];
    }

    /**
     * One character per slot: the lowest level for no commits, the highest for the highest rate
     * of the slots, the others in proportion (rounded; any rate above zero at least the second
     * level), a blank for an unknown slot.
     */
    static String sparkline(List<Double> slots, boolean unicode) {
        String levels = unicode ? UNICODE_LEVELS : ASCII_LEVELS;
        int top = levels.length() - 1;
        double max = 0;
        for (Double r : slots) {
            if (r != null) {
                max = Math.max(max, r);
            }
        }
        StringBuilder b = new StringBuilder();
        for (Double r : slots) {
            if (r == null) {
                b.append(' ');
            } else if (r <= 0 || max <= 0) {
                b.append(levels.charAt(0));
            } else {
                b.append(levels.charAt((int) Math.max(1, Math.min(top, Math.round(r / max * top)))));
            }
        }
        return b.toString();
    }

    /**
     * "commits: 12.5/s over 60 s  ▁▂▃▅▇█" in at most {@code width} columns: the sparkline's
     * oldest slots are left out when it does not fit; "commits: -" before two samples.
     */
    static String line(Reading reading, boolean unicode, int width) {
        if (reading.perSecond() == null) {
            return "commits: -";
        }
        String text = String.format(Locale.ROOT, "commits: %.1f/s over %d s", reading.perSecond(),
                Math.round(reading.seconds()));
        String spark = sparkline(reading.slots(), unicode).stripLeading();
        int room = width - text.length() - 2;
        if (room <= 0 || spark.isEmpty()) {
            return text;
        }
        return text + "  " + spark.substring(Math.max(0, spark.length() - room));
    }
}
