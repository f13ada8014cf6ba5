package dev.raftledger.common.wire;

/**
 * Vote acknowledgement, sent by a voter to port 9002 of the candidate.
 * {@code term} is the project's addition to the seed's shape: without it a vote granted in an
 * older election could be counted in a newer one, so an ack without a term is malformed.
 * {@code noSpace} is the voter's disk alarm, as on an {@link AppendReply}: a candidate that wins
 * knows of its voters' alarms before it takes its first write.
 */
public record VoteAck(long term, boolean granted, String from, String to, boolean preVote, boolean noSpace)
        implements PeerMessage {

    public static final String REQUEST = "VOTE_ACK";

    public VoteAck(long term, boolean granted, String from, String to, boolean preVote) {
        this(term, granted, from, to, preVote, false);
    }

    public VoteAck(long term, boolean granted, String from, String to) {
        this(term, granted, from, to, false, false);
    }

    /** This ack from a node whose disk alarm is raised. */
    public VoteAck withNoSpace() {
        return new VoteAck(term, granted, from, to, preVote, true);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}
