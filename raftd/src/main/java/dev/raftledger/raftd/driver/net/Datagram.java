package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.wire.PeerMessage;
import java.net.InetSocketAddress;

/** Something queued for the sender thread. */
sealed interface Datagram {

    /** A Raft message for a peer: the sender resolves the peer, picks the port, encodes. */
    record ToPeer(String peer, PeerMessage message) implements Datagram {}

    /** Bytes for an explicit address (controller replies), sent from the socket of {@code via}. */
    record ToAddress(PortRole via, InetSocketAddress to, byte[] payload) implements Datagram {}

    /** Tells the sender to end once everything queued before it is sent. */
    record Stop() implements Datagram {}
}
