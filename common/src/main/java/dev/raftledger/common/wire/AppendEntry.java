package dev.raftledger.common.wire;

import java.util.List;

/**
 * AppendEntry RPC, sent by the leader to port 9000: a heartbeat when {@code entries} is empty.
 * Log indices are 0-based as in the seed: {@code prevLogIndex == -1} before the first entry.
 * {@code entries} follow {@code prevLogIndex} in order; {@code leaderCommit} is the leader's
 * commit index (-1: nothing committed). {@code readSeq} numbers the leader's rounds of
 * leadership confirmation for linearizable reads (0: none); the follower echoes it. All three
 * are the project's additions to the seed's shape and optional on input.
 */
public record AppendEntry(long term, String leaderId, long prevLogIndex, long prevLogTerm,
                          String senderName, List<Entry> entries, long leaderCommit, long readSeq)
        implements PeerMessage {

    public static final String REQUEST = "APPEND_RPC";

    public AppendEntry {
        entries = List.copyOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != prevLogIndex + 1 + i) {
                throw new IllegalArgumentException("entry " + i + " has index " + entries.get(i).index()
                        + ", expected " + (prevLogIndex + 1 + i));
            }
        }
    }

    /** The seed's shape: no entries, nothing known committed. */
    public AppendEntry(long term, String leaderId, long prevLogIndex, long prevLogTerm, String senderName) {
        this(term, leaderId, prevLogIndex, prevLogTerm, senderName, List.of(), -1, 0);
    }

    public AppendEntry(long term, String leaderId, long prevLogIndex, long prevLogTerm, String senderName,
                       List<Entry> entries, long leaderCommit) {
        this(term, leaderId, prevLogIndex, prevLogTerm, senderName, entries, leaderCommit, 0);
    }

    public static AppendEntry heartbeat(long term, String leader, long prevLogIndex, long prevLogTerm) {
        return new AppendEntry(term, leader, prevLogIndex, prevLogTerm, leader);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return senderName; }
}
