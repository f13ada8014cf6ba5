package dev.raftledger.raftd.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A leader's linearizable reads in progress (Raft section 8, ReadIndex), after etcd's
 * {@code read_only.go}. Each read notes the commit index when its round of leadership
 * confirmation starts; the rounds are numbered ({@link #seq()}, carried in AppendEntry and
 * echoed in AppendReply), and a read is confirmed once a majority of the voters has answered its
 * round or a later one: no other leader can then have committed anything newer than its index.
 * Reads that arrive before the leader has committed an entry of its term (its commit index may
 * lag) wait here until it has, and then start a round.
 *
 * <p>Pure and not thread-safe: owned by {@link RaftCore}, on its event loop. It sends nothing
 * itself: the core sends the round's heartbeats and hands the results to the driver.
 */
final class ReadQueue {

    private static final class Pending {
        final long id;
        final long index;
        final long seq;
        final Set<String> acks = new HashSet<>();

        Pending(long id, long index, long seq) {
            this.id = id;
            this.index = index;
            this.seq = seq;
        }
    }

    /** The number of the latest round (0: none yet). It only grows, across terms too. */
    private long seq;
    /** Reads waiting for a majority to answer a round started after they arrived. */
    private final List<Pending> pending = new ArrayList<>();
    /** Reads that arrived before this leader committed an entry of its term. */
    private final List<Long> awaitingTermCommit = new ArrayList<>();

    /** The number of the latest round, for AppendEntry's {@code readSeq}. */
    long seq() {
        return seq;
    }

    /** Read {@code id} waits for the leader to commit an entry of its term. */
    void awaitTermCommit(long id) {
        awaitingTermCommit.add(id);
    }

    /** The reads that waited for the leader's first commit of its term, now released (empty if none). */
    List<Long> takeAwaitingTermCommit() {
        if (awaitingTermCommit.isEmpty()) {
            return List.of();
        }
        List<Long> waiting = new ArrayList<>(awaitingTermCommit);
        awaitingTermCommit.clear();
        return waiting;
    }

    /**
     * Starts a new round for reads {@code ids} at commit index {@code index}; {@code self}, if
     * not null, is this leader answering its own round (when it is a voter). Returns the round's
     * number.
     */
    long startRound(List<Long> ids, long index, String self) {
        seq++;
        for (long id : ids) {
            Pending r = new Pending(id, index, seq);
            if (self != null) {
                r.acks.add(self);
            }
            pending.add(r);
        }
        return seq;
    }

    /**
     * {@code from} answered round {@code round} in this term: it still follows this leader. Only
     * voters count. Returns the reads now confirmed by a majority of {@code voters}, in the order
     * they arrived.
     */
    List<ReadResult> confirm(String from, long round, List<String> voters) {
        if (!voters.contains(from)) {
            return List.of(); // a learner's answer confirms nothing: it is not part of any majority
        }
        List<ReadResult> done = null;
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending r = it.next();
            if (r.seq <= round) {
                r.acks.add(from);
                if (Quorum.isMajority(Quorum.count(voters, r.acks), voters.size())) {
                    it.remove();
                    if (done == null) {
                        done = new ArrayList<>();
                    }
                    done.add(new ReadResult(r.id, r.index, true));
                }
            }
        }
        return done == null ? List.of() : done;
    }

    /**
     * Leadership is lost: every read in progress is refused (those in a round first, then those
     * waiting for the term's first commit), to be retried at the new leader.
     */
    List<ReadResult> failAll() {
        if (pending.isEmpty() && awaitingTermCommit.isEmpty()) {
            return List.of();
        }
        List<ReadResult> failed = new ArrayList<>(pending.size() + awaitingTermCommit.size());
        for (Pending r : pending) {
            failed.add(new ReadResult(r.id, -1, false));
        }
        for (long id : awaitingTermCommit) {
            failed.add(new ReadResult(id, -1, false));
        }
        pending.clear();
        awaitingTermCommit.clear();
        return failed;
    }
}
