package dev.raftledger.common.wire;

/**
 * Leadership transfer's last step (Raft thesis 3.10; the project's addition), sent by the
 * leader to port 9000 of a follower whose log it knows matches its own: "start an election now,
 * without waiting for your timer and without a pre-vote". The follower obeys only a leader of
 * its own term (or newer), so a stale or forged-by-an-outsider one changes nothing.
 */
public record TimeoutNow(long term, String from, String to) implements PeerMessage {

    public static final String REQUEST = "TIMEOUT_NOW";

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}
