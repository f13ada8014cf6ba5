package dev.raftledger.raftd.core;

/**
 * Replication limits.
 *
 * @param maxBatchBytes payload bytes of entries per AppendEntry, so a datagram stays well under
 *                      the transport's limit (64,000 bytes) with room for the JSON framing
 * @param maxInflight   AppendEntry messages a leader keeps in flight per follower
 * @param preVote       ask for pre-votes before raising the term (Raft thesis 9.6), so a node
 *                      that was cut off cannot depose a healthy leader when it returns
 * @param checkQuorum   a leader that has not heard from a majority within an election timeout
 *                      steps down
 */
public record Limits(int maxBatchBytes, int maxInflight, boolean preVote, boolean checkQuorum) {

    /** Plain Raft, as the paper has it (the tests of the core's basic rules use it). */
    public static final Limits DEFAULT = new Limits(16 * 1024, 32, false, false);

    /** What raftd runs: DEFAULT with pre-vote and check-quorum. */
    public static final Limits RECOMMENDED = new Limits(16 * 1024, 32, true, true);

    public Limits(int maxBatchBytes, int maxInflight) {
        this(maxBatchBytes, maxInflight, false, false);
    }

    /**
     * The largest entry a leader accepts. An AppendEntry carries at most one entry beyond the
     * batch limit, and with a cluster key travels as an escaped string (up to twice as long), so
     * this keeps every AppendEntry within a datagram. A larger one could never replicate: the
     * followers would drop it, and, hearing nothing else, depose the leader.
     */
    public static final int MAX_ENTRY_BYTES = 24_000;

    public Limits {
        if (maxBatchBytes < 256 || maxBatchBytes > 48 * 1024) {
            throw new IllegalArgumentException("batch bytes must be 256-49152: " + maxBatchBytes);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("in-flight window must be at least 1: " + maxInflight);
        }
    }
}
