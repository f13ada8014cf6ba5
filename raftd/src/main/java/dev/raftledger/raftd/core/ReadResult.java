package dev.raftledger.raftd.core;

/**
 * The outcome of a linearizable read ({@link RaftCore#readIndex}): {@code ok} means a majority
 * confirmed this node's leadership after the read arrived, so the read may be served once this
 * node has applied up to {@code index}; otherwise leadership was lost (or never held) and the
 * client should ask the leader.
 */
public record ReadResult(long id, long index, boolean ok) {}
