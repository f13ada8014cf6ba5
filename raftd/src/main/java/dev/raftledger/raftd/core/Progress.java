package dev.raftledger.raftd.core;

import java.util.ArrayDeque;

/**
 * What the leader knows of one follower's log, after etcd's progress tracking. In PROBE the
 * leader sends one AppendEntry at a time (retried every heartbeat) until the follower accepts;
 * in REPLICATE it streams batches ahead of the replies, up to a window of in-flight messages, so
 * a backlog does not cost a round trip per batch.
 */
final class Progress {

    /** SNAPSHOT: the entries it needs are compacted away; it is being sent the latest snapshot. */
    enum State { PROBE, REPLICATE, SNAPSHOT }

    State state = State.PROBE;
    /** The next index to send. */
    long next;
    /** The highest index known to be in the follower's log (and durable there). */
    long match = -1;
    /** When the probe in flight was sent (-1: none in flight). */
    long probeSentAt = -1;
    /** The newest follower process heard from (see AppendReply.incarnation); 0: none yet. */
    long incarnation;
    /** When match last advanced (or replication began). */
    long lastProgressAt;
    /** When the latest snapshot was last asked for, for this follower (SNAPSHOT only). */
    long snapshotAskedAt = -1;
    /** When this follower last answered this leader: any APPEND_REPLY or SNAPSHOT_ACK of this term (-1: not yet). */
    long lastHeardAt = -1;
    /** Last index of each batch in flight, oldest first. */
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();

    Progress(long next, long now) {
        this.next = next;
        this.lastProgressAt = now;
    }

    void becomeProbe(long nextIndex) {
        state = State.PROBE;
        next = Math.max(nextIndex, match + 1);
        probeSentAt = -1;
        inflight.clear();
    }

    void becomeSnapshot(long now) {
        state = State.SNAPSHOT;
        probeSentAt = -1;
        snapshotAskedAt = now;
        inflight.clear();
    }

    void becomeReplicate(long now) {
        state = State.REPLICATE;
        next = match + 1;
        probeSentAt = -1;
        lastProgressAt = now;
        inflight.clear();
    }

    boolean inflightFull(int window) {
        return inflight.size() >= window;
    }

    boolean hasInflight() {
        return !inflight.isEmpty();
    }

    void sent(long lastIndex) {
        inflight.addLast(lastIndex);
    }

    /** A reply acknowledged everything up to {@code index}: those batches are no longer in flight. */
    void acknowledged(long index) {
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.removeFirst();
        }
    }
}
