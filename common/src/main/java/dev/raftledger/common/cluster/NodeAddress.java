package dev.raftledger.common.cluster;

import java.net.InetSocketAddress;

/** Where one node listens: its host (name or address, resolved when used) and its ports. */
public record NodeAddress(String name, String host, Ports ports) {

    public InetSocketAddress appendEntry() {
        return new InetSocketAddress(host, ports.appendEntry());
    }

    public InetSocketAddress requestVote() {
        return new InetSocketAddress(host, ports.requestVote());
    }

    public InetSocketAddress voteAck() {
        return new InetSocketAddress(host, ports.voteAck());
    }

    public InetSocketAddress controller() {
        return new InetSocketAddress(host, ports.controller());
    }
}
