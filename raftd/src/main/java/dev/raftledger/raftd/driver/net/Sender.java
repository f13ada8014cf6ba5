package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.driver.DriverCounters;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender thread: takes datagrams from a queue, encodes and sends them, so that the event
 * loop never blocks on the network. It never waits on a name lookup either: a peer is sent to
 * at the last address its host resolved to ({@link PeerDirectory}, refreshed by the resolver's
 * threads); a failure to send asks for a fresh lookup. Stopping drains what is queued (a
 * SHUTDOWN's reply still goes out) before the sockets close.
 *
 * <p>Two queues, each in order: bulk (AppendEntry with entries, snapshot chunks) and everything
 * else (heartbeats, votes, replies, controller answers), which is always sent first, so that a
 * backlog of catch-up traffic never holds back a heartbeat or a vote. Every datagram to a peer
 * fits {@link DatagramBudget#maxBytes()} once sealed: an AppendEntry that would not (the core's
 * batches are sized so that this does not happen) is split into several valid AppendEntry
 * messages; one that still cannot fit (a single entry larger than a datagram, written by an
 * older version or with a larger limit) is sent as it is, counted ({@code oversized_datagrams})
 * and warned about, never dropped: dropping it would wedge replication there.
 */
public final class Sender implements Runnable, Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    private final Sockets sockets;
    private final PeerDirectory peers;
    private final DriverCounters counters;
    private final RateLimitedLog failures = new RateLimitedLog(LOG);
    private final RateLimitedLog oversized = new RateLimitedLog(LOG);
    /** Guarded by {@code this}: heartbeats, votes, replies; always sent before {@link #bulk}. */
    private final ArrayDeque<Datagram> urgent = new ArrayDeque<>();
    /** Guarded by {@code this}: AppendEntry with entries, snapshot chunks, the stop marker. */
    private final ArrayDeque<Datagram> bulk = new ArrayDeque<>();
    private final ClusterAuth auth;
    private final DatagramBudget budget;

    public Sender(Sockets sockets, PeerDirectory peers, DriverCounters counters, ClusterAuth auth, DatagramBudget budget) {
        this.auth = auth;
        this.budget = budget;
        this.sockets = sockets;
        this.peers = peers;
        this.counters = counters;
    }

    @Override
    public void toPeer(String peer, PeerMessage message) {
        enqueue(new Datagram.ToPeer(peer, message), !isBulk(message));
    }

    @Override
    public void to(PortRole via, InetSocketAddress target, byte[] payload) {
        enqueue(new Datagram.ToAddress(via, target, payload), true);
    }

    /** Asks the thread to send what is queued and then end. */
    public void stop() {
        enqueue(new Datagram.Stop(), false);
    }

    /** Catch-up traffic, which may wait behind everything else. */
    static boolean isBulk(PeerMessage m) {
        return m instanceof InstallSnapshot || (m instanceof AppendEntry ae && !ae.entries().isEmpty());
    }

    private synchronized void enqueue(Datagram d, boolean first) {
        (first ? urgent : bulk).addLast(d);
        notifyAll();
    }

    /** The next datagram to send: the oldest urgent one, else the oldest bulk one; waits for one. */
    synchronized Datagram next() throws InterruptedException {
        while (urgent.isEmpty() && bulk.isEmpty()) {
            wait();
        }
        return urgent.isEmpty() ? bulk.removeFirst() : urgent.removeFirst();
    }

    @Override
    public void run() {
        try {
            for (Datagram d = next(); !(d instanceof Datagram.Stop); d = next()) {
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
        PortRole via = PortRole.of(p.message());
        InetSocketAddress target = peers.address(p.peer(), via); // never waits: the last answer, or null
        if (target == null) {
            // Not held back for a lookup (it runs on the resolver's threads): lost, as the network may lose any.
            counters.sendFailures.incrementAndGet();
            failures.warn("cannot send to " + p.peer() + ": its host " + peers.host(p.peer()) + " has no address yet");
            return;
        }
        byte[] whole = budget.peerBytes(p.message());
        boolean sent = true;
        if (budget.sealedSize(whole) <= budget.maxBytes() || !(p.message() instanceof AppendEntry)) {
            sent = send(via, target, p.peer(), whole, budget.maxBytes()); // nearly always: the core's batches fit
        } else {
            for (PeerMessage part : fitting(p.message(), budget)) {
                sent &= send(via, target, p.peer(), budget.peerBytes(part), budget.maxBytes());
            }
        }
        if (!sent) {
            peers.sendFailed(p.peer());
        }
    }

    /**
     * {@code m} as datagrams of at most the budget's size: itself, or, for an AppendEntry that
     * would not fit, its entries split in halves (again while a half does not fit) into
     * AppendEntry messages that each follow the previous one's last entry: each is a valid RPC,
     * which the follower checks and answers on its own. A single entry is never split.
     */
    public static List<PeerMessage> fitting(PeerMessage m, DatagramBudget budget) {
        if (!(m instanceof AppendEntry ae) || ae.entries().size() < 2
                || budget.peerSealedSize(Codec.encode(m)) <= budget.maxBytes()) {
            return List.of(m);
        }
        int half = ae.entries().size() / 2;
        Entry last = ae.entries().get(half - 1);
        List<PeerMessage> parts = new ArrayList<>(fitting(new AppendEntry(ae.term(), ae.leaderId(), ae.prevLogIndex(),
                ae.prevLogTerm(), ae.senderName(), ae.entries().subList(0, half), ae.leaderCommit(), ae.readSeq()), budget));
        parts.addAll(fitting(new AppendEntry(ae.term(), ae.leaderId(), last.index(), last.term(), ae.senderName(),
                ae.entries().subList(half, ae.entries().size()), ae.leaderCommit(), ae.readSeq()), budget));
        return parts;
    }

    /** A controller reply, to a client. */
    private boolean send(PortRole via, InetSocketAddress target, byte[] message) {
        return send(via, target, ClusterAuth.CLIENT, message, budget.replyBytes(target));
    }

    /** Sends one datagram, sealed for {@code to}; false (counted, logged) if the socket refused it. */
    private boolean send(PortRole via, InetSocketAddress target, String to, byte[] message, int limit) {
        // a reply goes sealed with the key its request came with; everything else with the primary
        byte[] payload = auth.sealWith(Requester.keyOf(target), message, to);
        if (payload.length > limit) {
            counters.oversizedDatagrams.incrementAndGet();
            oversized.warn("sent a datagram of " + payload.length + " bytes to " + target + ", over the limit of "
                    + limit + " (--max-datagram-bytes); it may be fragmented or lost on the way");
        }
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
