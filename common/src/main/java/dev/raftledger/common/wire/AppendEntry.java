package dev.raftledger.common.wire;

/**
 * AppendEntry RPC (in this phase a heartbeat: no entries), sent by the leader to port 9000.
 * Log indices are 0-based as in the seed: {@code prevLogIndex == -1} before the first entry.
 */
public record AppendEntry(long term, String leaderId, long prevLogIndex, long prevLogTerm,
                          String senderName) implements PeerMessage {

    public static final String REQUEST = "APPEND_RPC";

    public static AppendEntry heartbeat(long term, String leader, long prevLogIndex, long prevLogTerm) {
        return new AppendEntry(term, leader, prevLogIndex, prevLogTerm, leader);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return senderName; }
}
