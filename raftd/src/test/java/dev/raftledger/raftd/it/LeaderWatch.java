package dev.raftledger.raftd.it;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Watches which leader each node names, with one LEADER_INFO request outstanding per node: a
 * node is asked again a pause after it answered, independently of the others, so a node slow to
 * answer (a JVM started a moment ago) never holds back the others' answers. A measurement of
 * "when did three nodes agree" then sees the third agreeing answer when it arrives, not when
 * the slowest node of a round of polls has answered too.
 *
 * <p>One socket on the calling thread; no threads of its own. A request unanswered for
 * {@link #RESEND_NANOS} is sent again (datagrams get lost). Each node's view is its latest
 * answer, so views are at most one answer cycle old.
 */
final class LeaderWatch implements AutoCloseable {

    /** A request unanswered this long is sent again: the quick client's reply timeout. */
    static final long RESEND_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

    private final List<NodeAddress> nodes;
    private final ClusterAuth auth;
    private final long pauseNanos;
    private final DatagramSocket socket;
    private final byte[] request = Codec.encode(ControllerMessage.request("LEADER_INFO"));
    private final Map<SocketAddress, NodeAddress> byAddress = new HashMap<>();
    private final Map<String, Long> askedAt = new HashMap<>();
    private final Map<String, Long> nextAskAt = new HashMap<>();
    private final Map<String, LeaderView> views = new HashMap<>();

    LeaderWatch(List<NodeAddress> nodes, ClusterAuth auth, long pauseNanos) {
        this.nodes = nodes;
        this.auth = auth;
        this.pauseNanos = pauseNanos;
        try {
            this.socket = new DatagramSocket();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (NodeAddress n : nodes) {
            byAddress.put(new InetSocketAddress(n.host(), n.ports().controller()), n);
        }
    }

    /**
     * Watches until at least {@code needed} nodes' latest answers name one leader in one term
     * above {@code aboveTerm}, and returns it; empty once {@code deadlineNanos} (a
     * {@link System#nanoTime} value) has passed.
     */
    Optional<LeaderView> await(int needed, long aboveTerm, long deadlineNanos) {
        byte[] buf = new byte[65536];
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - deadlineNanos > 0) {
                    return Optional.empty();
                }
                long wakeAt = askDue(now);
                int waitMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(wakeAt, deadlineNanos) - now));
                socket.setSoTimeout(waitMs);
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                NodeAddress from = byAddress.get(packet.getSocketAddress());
                if (from == null) {
                    continue;
                }
                askedAt.remove(from.name());
                nextAskAt.put(from.name(), System.nanoTime() + pauseNanos);
                try {
                    byte[] reply = auth.open(packet.getData(), packet.getOffset(), packet.getLength()).message();
                    ControllerMessage r = Codec.decodeController(reply, 0, reply.length);
                    views.put(from.name(), new LeaderView(r.valueText(), r.term() == null ? -1 : r.term()));
                } catch (MalformedMessageException | AuthException e) {
                    views.remove(from.name()); // an unreadable answer names no leader
                }
                Optional<LeaderView> agreed = LocalCluster.agreedView(views.values(), needed);
                if (agreed.isPresent() && agreed.get().term() > aboveTerm) {
                    return agreed;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends to every node whose turn it is; returns when the next one is due. */
    private long askDue(long now) throws IOException {
        long next = now + RESEND_NANOS;
        for (NodeAddress n : nodes) {
            Long asked = askedAt.get(n.name());
            long due = asked != null ? asked + RESEND_NANOS : nextAskAt.getOrDefault(n.name(), now);
            if (due - now <= 0) {
                byte[] sealed = auth.seal(request, n.name());
                socket.send(new DatagramPacket(sealed, sealed.length,
                        new InetSocketAddress(n.host(), n.ports().controller())));
                askedAt.put(n.name(), now);
                due = now + RESEND_NANOS;
            }
            next = Math.min(next, due);
        }
        return next;
    }

    @Override
    public void close() {
        socket.close();
    }
}
