package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.PeerMessage;
import java.net.InetSocketAddress;

/** Where the event loop hands datagrams to be sent; the sender thread in production. */
interface Outbox {

    void toPeer(String peer, PeerMessage message);

    void to(PortRole via, InetSocketAddress target, byte[] payload);
}
