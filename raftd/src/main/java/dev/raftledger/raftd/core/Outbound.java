package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.PeerMessage;

/** A message the core wants sent to peer {@code to}; the driver picks the port by its type. */
public record Outbound(String to, PeerMessage message) {}
