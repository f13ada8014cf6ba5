package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.PeerMessage;

/**
 * A message the core wants sent to peer {@code to}; the driver picks the port by its type.
 * {@code durableIndex} is the log index that must be durable on this node before the message
 * may leave (-1: none; a follower's acknowledgement names what it acknowledges).
 */
public record Outbound(String to, PeerMessage message, long durableIndex) {

    public Outbound(String to, PeerMessage message) {
        this(to, message, -1);
    }
}
