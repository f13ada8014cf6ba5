package dev.raftledger.common.wire;

/**
 * A follower's answer to an {@link InstallSnapshot} chunk, to port 9000 of the leader (the
 * project's addition): the offset it expects next of the snapshot at {@code lastIncludedIndex}
 * (the leader resends from there after a loss). Flow control only: once the snapshot is
 * installed, an APPEND_REPLY with its last index tells the leader's core.
 */
public record SnapshotAck(long term, String from, String to, long lastIncludedIndex, long nextOffset)
        implements PeerMessage {

    public static final String REQUEST = "SNAPSHOT_ACK";

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}
