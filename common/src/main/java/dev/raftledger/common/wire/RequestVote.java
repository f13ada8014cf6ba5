package dev.raftledger.common.wire;

/**
 * RequestVote RPC, sent by a candidate to port 9001 of every peer.
 * Log indices are 0-based as in the seed: an empty log has {@code lastLogIndex == -1}.
 */
public record RequestVote(long term, String candidateId, long lastLogIndex, long lastLogTerm,
                          String senderName, boolean preVote) implements PeerMessage {

    public static final String REQUEST = "VOTE_REQUEST";

    /** The seed's shape: a real vote request. */
    public RequestVote(long term, String candidateId, long lastLogIndex, long lastLogTerm, String senderName) {
        this(term, candidateId, lastLogIndex, lastLogTerm, senderName, false);
    }

    public static RequestVote of(long term, String candidate, long lastLogIndex, long lastLogTerm) {
        return new RequestVote(term, candidate, lastLogIndex, lastLogTerm, candidate);
    }

    /**
     * A pre-vote (the project's addition, Raft thesis 9.6): "would you vote for me in
     * {@code term}?" It changes no one's term or vote, so a node cut off from the cluster cannot
     * raise the term and depose a healthy leader when it comes back.
     */
    public static RequestVote preVote(long term, String candidate, long lastLogIndex, long lastLogTerm) {
        return new RequestVote(term, candidate, lastLogIndex, lastLogTerm, candidate, true);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return senderName; }
}
