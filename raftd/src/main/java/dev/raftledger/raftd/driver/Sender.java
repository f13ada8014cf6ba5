package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.PeerMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender thread: takes datagrams from a queue, encodes and sends them, so that the event
 * loop never blocks on the network. It never waits on a name lookup either: a peer is sent to
 * at the last address its host resolved to ({@link PeerDirectory}, refreshed by the resolver's
 * threads); a failure to send asks for a fresh lookup. Stopping drains what is queued (a
 * SHUTDOWN's reply still goes out) before the sockets close.
 */
final class Sender implements Runnable, Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    private final Sockets sockets;
    private final PeerDirectory peers;
    private final DriverCounters counters;
    private final RateLimitedLog failures = new RateLimitedLog(LOG);
    private final BlockingQueue<Datagram> queue = new LinkedBlockingQueue<>();
    private final ClusterAuth auth;
    private final FaultInjector faults;

    Sender(Sockets sockets, PeerDirectory peers, DriverCounters counters, ClusterAuth auth, FaultInjector faults) {
        this.auth = auth;
        this.faults = faults;
        this.sockets = sockets;
        this.peers = peers;
        this.counters = counters;
    }

    @Override
    public void toPeer(String peer, PeerMessage message) {
        queue.add(new Datagram.ToPeer(peer, message));
    }

    @Override
    public void to(PortRole via, InetSocketAddress target, byte[] payload) {
        queue.add(new Datagram.ToAddress(via, target, payload));
    }

    /** Asks the thread to send what is queued and then end. */
    void stop() {
        queue.add(new Datagram.Stop());
    }

    @Override
    public void run() {
        try {
            for (Datagram d = queue.take(); !(d instanceof Datagram.Stop); d = queue.take()) {
                try {
                    if (d instanceof Datagram.ToPeer p) {
                        sendToPeer(p);
                    } else if (d instanceof Datagram.ToAddress a) {
                        send(a.via(), a.to(), a.payload());
                    }
                } catch (RuntimeException e) {
                    // A bug must not leave the node unable to send (deaf peers would depose it
                    // forever): this datagram is lost, as the network may lose any, and counted.
                    counters.sendFailures.incrementAndGet();
                    failures.warn("could not send " + d.getClass().getSimpleName() + ": " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendToPeer(Datagram.ToPeer p) {
        if (faults.dropsTo(p.peer())) {
            return; // an injected cut: the datagram is lost, as on a severed link
        }
        PortRole via = PortRole.of(p.message());
        InetSocketAddress target = peers.address(p.peer(), via); // never waits: the last answer, or null
        if (target == null) {
            // Not held back for a lookup (it runs on the resolver's threads): lost, as the network may lose any.
            counters.sendFailures.incrementAndGet();
            failures.warn("cannot send to " + p.peer() + ": its host " + peers.host(p.peer()) + " has no address yet");
            return;
        }
        if (!send(via, target, Codec.encode(p.message()))) {
            peers.sendFailed(p.peer());
        }
    }

    /** Sends one datagram; false (counted, logged) if the socket refused it. */
    private boolean send(PortRole via, InetSocketAddress target, byte[] message) {
        byte[] payload = auth.seal(message);
        try {
            sockets.get(via).send(new DatagramPacket(payload, payload.length, target));
            return true;
        } catch (IOException e) {
            counters.sendFailures.incrementAndGet();
            failures.warn("cannot send to " + target + ": " + e.getMessage());
            return false;
        }
    }
}
