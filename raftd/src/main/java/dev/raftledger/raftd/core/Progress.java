package dev.raftledger.raftd.core;

import java.util.ArrayDeque;

/**
 * What the leader knows of one follower's log, after etcd's {@code tracker.Progress}, and the
 * only code that changes it. Three states:
 * <ul>
 *   <li>PROBE: the leader does not know where the follower's log ends; it sends one
 *       AppendEntry at a time (again each heartbeat while unanswered) until one is accepted;</li>
 *   <li>REPLICATE: it streams batches ahead of the replies, up to a window of batches in
 *       flight, so a backlog does not cost a round trip per batch;</li>
 *   <li>SNAPSHOT: the entries the follower needs are compacted away; it is being sent the
 *       latest snapshot, and the next acceptance moves it to REPLICATE.</li>
 * </ul>
 * An acceptance moves PROBE and SNAPSHOT to REPLICATE; a refusal that answers the request in
 * question, a window that made no progress, or a restarted follower that lost entries move it
 * back to PROBE. {@code match} never goes down, except when a follower's new process shows it
 * lost entries it had acknowledged.
 *
 * <p>Pure and not thread-safe: owned by the leader's {@link RaftCore}, on its event loop. Times
 * are the driver's monotonic milliseconds, passed in.
 */
final class Progress {

    /** See the class comment. */
    enum State { PROBE, REPLICATE, SNAPSHOT }

    private State state = State.PROBE;
    /** The next index to send. */
    private long next;
    /** The highest index known to be in the follower's log (and durable there). */
    private long match = -1;
    /** When the probe in flight was sent (-1: none in flight). */
    private long probeSentAt = -1;
    /** The newest follower process heard from (see AppendReply.incarnation); 0: none yet. */
    private long incarnation;
    /** When match last advanced (or replication began). */
    private long lastProgressAt;
    /** When the latest snapshot was last asked for, for this follower (SNAPSHOT only). */
    private long snapshotAskedAt = -1;
    /** When this leader first heard an acceptance from the follower's current process (-1: not yet). */
    private long processKnownSince = -1;
    /** When this follower last answered this leader: any APPEND_REPLY or SNAPSHOT_ACK of this term (-1: not yet). */
    private long lastHeardAt = -1;
    /** Last index of each batch in flight, oldest first. */
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();

    /** A follower first seen at {@code now}, probed from {@code next}. */
    Progress(long next, long now) {
        this.next = next;
        this.lastProgressAt = now;
    }

    // ---- what the leader reads --------------------------------------------------------------

    State state() {
        return state;
    }

    long next() {
        return next;
    }

    long match() {
        return match;
    }

    /** When the follower last answered this leader, or -1 if it has not. */
    long lastHeardAt() {
        return lastHeardAt;
    }

    boolean heardYet() {
        return lastHeardAt >= 0;
    }

    /** PROBE: a probe was sent and not yet answered. */
    boolean probeInFlight() {
        return probeSentAt >= 0;
    }

    /** REPLICATE: the window of batches in flight is full. */
    boolean inflightFull(int window) {
        return inflight.size() >= window;
    }

    // ---- answers from the follower ----------------------------------------------------------

    /** The follower answered this leader at {@code now} (any answer of this term: check-quorum, reach). */
    void heard(long now) {
        lastHeardAt = now;
    }

    /** Whether an answer from process {@code from} (0: unknown) is from one older than the newest heard. */
    boolean fromOlderProcess(long from) {
        return from != 0 && from < incarnation;
    }

    /** An acceptance came from process {@code from} at {@code now}: it is the newest heard. */
    void acceptedBy(long from, long now) {
        if (processKnownSince < 0 || from != incarnation) {
            processKnownSince = now; // the first acceptance from this process
        }
        incarnation = from;
    }

    /**
     * When this leader first heard from the follower's current process (-1: not yet): the longer
     * ago, the less likely the process just started (cold caches, or restarting again).
     */
    long processKnownSince() {
        return processKnownSince;
    }

    /**
     * The follower holds everything up to {@code index}: match advances (if it does, that is
     * progress at {@code now}), the batches up to it are no longer in flight, and a probe
     * answered or a snapshot installed starts replication after the match.
     */
    void accepted(long index, long now) {
        if (index > match) {
            match = index;
            lastProgressAt = now;
        }
        next = Math.max(next, match + 1);
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.removeFirst();
        }
        if (state != State.REPLICATE) {
            becomeReplicate(now);
        }
    }

    /**
     * Whether a refusal of the request whose prev index was {@code rejectIndex} is stale: it
     * answers a request already superseded (in REPLICATE, one at or below the match; in PROBE,
     * any but the latest probe).
     */
    boolean staleRefusal(long rejectIndex) {
        return state == State.REPLICATE ? rejectIndex <= match : rejectIndex != next - 1;
    }

    /**
     * Whether a refusal from process {@code from}, whose log ends before {@code conflictIndex},
     * shows that a restarted follower lost entries it had acknowledged: it comes from a newer
     * process than any heard, and its log ends at or before the match.
     */
    boolean lostAcknowledged(long conflictIndex, long from) {
        return conflictIndex <= match && from > incarnation;
    }

    /** The follower's process {@code from} holds nothing from {@code conflictIndex} on: probe from there. */
    void restartedAt(long conflictIndex, long from, long now) {
        incarnation = from;
        processKnownSince = now;
        match = conflictIndex - 1;
        becomeProbe(conflictIndex);
    }

    // ---- what the leader sends --------------------------------------------------------------

    /** PROBE: a probe left at {@code now}. */
    void probeSent(long now) {
        probeSentAt = now;
    }

    /** REPLICATE: a batch ending at {@code lastIndex} left; the next one starts after it. */
    void sent(long lastIndex) {
        inflight.addLast(lastIndex);
        next = lastIndex + 1;
    }

    /**
     * REPLICATE with batches in flight and no progress for longer than {@code afterMs}: presumed
     * lost, back to PROBE after the match. Returns whether it went back.
     */
    boolean windowLost(long now, long afterMs) {
        if (state == State.REPLICATE && !inflight.isEmpty() && now - lastProgressAt > afterMs) {
            becomeProbe(match + 1);
            return true;
        }
        return false;
    }

    /**
     * REPLICATE with batches in flight and no progress for at least {@code afterMs}: the last
     * batch sent (or its acknowledgement) may have been lost, and with nothing new to send no
     * later batch would reveal the gap. The leader's heartbeat then names the last index sent,
     * so the follower either acknowledges it or refuses it at once.
     */
    boolean stalled(long now, long afterMs) {
        return state == State.REPLICATE && !inflight.isEmpty() && now - lastProgressAt >= afterMs;
    }

    /**
     * SNAPSHOT: whether the snapshot was last asked for at least {@code intervalMs} ago; if so,
     * it counts as asked again at {@code now}.
     */
    boolean askSnapshotAgain(long now, long intervalMs) {
        if (now - snapshotAskedAt < intervalMs) {
            return false;
        }
        snapshotAskedAt = now;
        return true;
    }

    // ---- transitions ------------------------------------------------------------------------

    /** To PROBE from {@code nextIndex} (never at or below the match). */
    void becomeProbe(long nextIndex) {
        state = State.PROBE;
        next = Math.max(nextIndex, match + 1);
        probeSentAt = -1;
        inflight.clear();
    }

    /** To SNAPSHOT: the snapshot is asked for at {@code now}. */
    void becomeSnapshot(long now) {
        state = State.SNAPSHOT;
        probeSentAt = -1;
        snapshotAskedAt = now;
        inflight.clear();
    }

    /** To REPLICATE after the match, an empty window, progress counted from {@code now}. */
    void becomeReplicate(long now) {
        state = State.REPLICATE;
        next = match + 1;
        probeSentAt = -1;
        lastProgressAt = now;
        inflight.clear();
    }
}
