package dev.raftledger.raftd.core;

/**
 * The state Raft requires on stable storage before a node answers any RPC: the latest term it
 * has seen and whom it voted for in that term ({@code null}: nobody yet).
 */
public record HardState(long term, String votedFor) {

    public static final HardState INITIAL = new HardState(0, null);

    public HardState {
        if (term < 0) {
            throw new IllegalArgumentException("term must not be negative: " + term);
        }
    }
}
