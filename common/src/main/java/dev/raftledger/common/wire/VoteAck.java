package dev.raftledger.common.wire;

/**
 * Vote acknowledgement, sent by a voter to port 9002 of the candidate.
 * {@code term} is the project's addition to the seed's shape: without it a vote granted in an
 * older election could be counted in a newer one, so an ack without a term is malformed.
 */
public record VoteAck(long term, boolean granted, String from, String to, boolean preVote) implements PeerMessage {

    public static final String REQUEST = "VOTE_ACK";

    public VoteAck(long term, boolean granted, String from, String to) {
        this(term, granted, from, to, false);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}
