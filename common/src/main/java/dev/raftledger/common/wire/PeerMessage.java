package dev.raftledger.common.wire;

/** A node-to-node Raft message. Every one carries the sender's term. */
public sealed interface PeerMessage extends Message permits RequestVote, VoteAck, AppendEntry, AppendReply, TimeoutNow,
        InstallSnapshot, SnapshotAck {

    long term();

    /** The node that sent it (the {@code sender_name} or {@code from} field). */
    String sender();
}
