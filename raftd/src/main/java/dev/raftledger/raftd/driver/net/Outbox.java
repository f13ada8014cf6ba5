package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.wire.PeerMessage;
import java.net.InetSocketAddress;

/** Where the event loop hands datagrams to be sent; the sender thread in production. */
public interface Outbox {

    void toPeer(String peer, PeerMessage message);

    void to(PortRole via, InetSocketAddress target, byte[] payload);
}
