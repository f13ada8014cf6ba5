package dev.raftledger.raftd.core;

/**
 * Replication limits.
 *
 * @param maxBatchBytes  what the entries of one AppendEntry may cost on the wire, framing
 *                       included (see {@link #entryCost}); raftd derives it from the datagram
 *                       size (the driver's {@code DatagramBudget}), so every AppendEntry fits
 *                       one datagram. A single entry larger than this is still sent alone
 * @param maxInflight    AppendEntry messages a leader keeps in flight per follower
 * @param preVote        ask for pre-votes before raising the term (Raft thesis 9.6), so a node
 *                       that was cut off cannot depose a healthy leader when it returns
 * @param checkQuorum    a leader that has not heard from a majority within an election timeout
 *                       steps down
 * @param checkLeaderPort a follower whose leader's heartbeat is late checks the leader's port,
 *                       and takes an answer that nothing listens there any more (ICMP port
 *                       unreachable, reported by the driver) as evidence that lets its election
 *                       start at once and its pre-votes be granted (see
 *                       {@code RaftCore.leaderUnreachable}); only with pre-vote
 * @param askAgain       a (pre-)candidate asks again, every half heartbeat interval, the voters
 *                       that have not answered ({@code RaftCore.askUnanswered})
 */
public record Limits(int maxBatchBytes, int maxInflight, boolean preVote, boolean checkQuorum, boolean checkLeaderPort,
                     boolean askAgain) {

    /** Plain Raft, as the paper has it (the tests of the core's basic rules use it). */
    public static final Limits DEFAULT = new Limits(16 * 1024, 32, false, false, false, false);

    /**
     * DEFAULT with pre-vote, check-quorum, the leader port check and asking again (raftd runs
     * these with {@link #forDatagrams} batches).
     */
    public static final Limits RECOMMENDED = new Limits(16 * 1024, 32, true, true, true, true);

    /**
     * About how many bytes of entries a leader keeps in flight per follower: enough to keep a
     * fast link busy while the follower fsyncs, little enough that a slow follower never has
     * megabytes queued toward it (the same as a snapshot transfer's window).
     */
    public static final int INFLIGHT_BYTES = 256 * 1024;

    public Limits(int maxBatchBytes, int maxInflight) {
        this(maxBatchBytes, maxInflight, false, false, false, false);
    }

    /** Without the leader port check, without asking again. */
    public Limits(int maxBatchBytes, int maxInflight, boolean preVote, boolean checkQuorum) {
        this(maxBatchBytes, maxInflight, preVote, checkQuorum, false, false);
    }

    /** Without asking again. */
    public Limits(int maxBatchBytes, int maxInflight, boolean preVote, boolean checkQuorum, boolean checkLeaderPort) {
        this(maxBatchBytes, maxInflight, preVote, checkQuorum, checkLeaderPort, false);
    }

    /**
     * What raftd runs (pre-vote and check-quorum) with batches of {@code batchBytes}, the room a
     * datagram leaves for entries, and a window of {@link #INFLIGHT_BYTES} (at least 4 batches).
     */
    public static Limits forDatagrams(int batchBytes) {
        return new Limits(batchBytes, Math.max(4, INFLIGHT_BYTES / batchBytes), true, true, true, true);
    }

    /**
     * The most JSON framing an entry adds in an AppendEntry:
     * {@code {\"term\":T,\"data\":...},} with T up to 16 digits.
     */
    public static final int ENTRY_OVERHEAD = 40;

    /**
     * What {@code entry} costs against {@link #maxBatchBytes}: its data and its framing (sealing
     * adds a fixed amount per datagram, which the batch size already leaves out).
     */
    public int entryCost(dev.raftledger.common.wire.Entry entry) {
        return entry.data().size() + ENTRY_OVERHEAD;
    }

    public Limits {
        if (maxBatchBytes < 256 || maxBatchBytes > 64_000) {
            throw new IllegalArgumentException("batch bytes must be 256-64000: " + maxBatchBytes);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("in-flight window must be at least 1: " + maxInflight);
        }
        if (checkLeaderPort && !preVote) {
            // the evidence only hastens a pre-vote: without one, a stray ICMP could raise a term
            throw new IllegalArgumentException("the leader port check needs pre-vote");
        }
    }
}
