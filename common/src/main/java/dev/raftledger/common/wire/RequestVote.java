package dev.raftledger.common.wire;

/**
 * RequestVote RPC, sent by a candidate to port 9001 of every peer.
 * Log indices are 0-based as in the seed: an empty log has {@code lastLogIndex == -1}.
 */
public record RequestVote(long term, String candidateId, long lastLogIndex, long lastLogTerm,
                          String senderName) implements PeerMessage {

    public static final String REQUEST = "VOTE_REQUEST";

    public static RequestVote of(long term, String candidate, long lastLogIndex, long lastLogTerm) {
        return new RequestVote(term, candidate, lastLogIndex, lastLogTerm, candidate);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return senderName; }
}
