package dev.raftledger.raftd.driver;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The longest interval between two AppendEntry (heartbeats or entries) a leader handed to its
 * sender for the same follower, since the node started: what a follower's election timer sees
 * of the loop's delays (a read, a snapshot copy, a long GC pause held up behind a busy loop).
 * Measured when the loop hands the message on, so the sender's own queue is not in it. Gaps are
 * taken within one leadership: a role change forgets the last sends. Published in STATUS as
 * {@code max_heartbeat_gap_ms} and in the metrics.
 *
 * <p>Threads: the event loop calls {@link #sent} and {@link #reset}; the maximum is an
 * {@link AtomicLong} any thread may read. Errors: none.
 */
final class HeartbeatGaps {

    private final Map<String, Long> lastSent = new HashMap<>();
    private final AtomicLong max;

    /** Records into {@code max} (ms). */
    HeartbeatGaps(AtomicLong max) {
        this.max = max;
    }

    /** An AppendEntry for {@code peer} was handed on at {@code nowMs} (monotonic). */
    void sent(String peer, long nowMs) {
        Long last = lastSent.put(peer, nowMs);
        if (last != null) {
            long gap = nowMs - last;
            max.accumulateAndGet(gap, Math::max);
        }
    }

    /** The role changed: the next sends start new intervals. */
    void reset() {
        lastSent.clear();
    }
}
