package dev.raftledger.common.wire;

/**
 * Vote acknowledgement, sent by a voter to port 9002 of the candidate.
 * {@code term} is the project's addition to the seed's shape: without it a vote granted in an
 * older election could be counted in a newer one, so an ack without a term is malformed.
 */
public record VoteAck(long term, boolean granted, String from, String to) implements PeerMessage {

    public static final String REQUEST = "VOTE_ACK";

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}
