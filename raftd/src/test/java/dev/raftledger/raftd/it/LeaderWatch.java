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
 * Watches which leader each member names, with one request outstanding per member: a member is
 * asked again a pause after it answered, independently of the others, so a member slow to
 * answer (a JVM started a moment ago) never holds back the others' answers. A measurement of
 * "when did three members agree" then sees the third agreeing answer when it arrives, not when
 * the slowest member of a round of polls has answered too. How a member is asked is a
 * {@link Transport}: raftd's controller ports ({@link ControllerPorts}) or, in the etcd
 * side-by-side benchmark, etcd's status endpoint, so both systems are timed the same way.
 *
 * <p>Runs on the calling thread. A request unanswered for {@code resendNanos} is sent again
 * (datagrams get lost). Each member's view is its latest answer, so views are at most one
 * answer cycle old.
 */
public final class LeaderWatch {

    /** How the watch asks a member for its view of the leader, and hears the answers. */
    public interface Transport<M> {
        /** Sends one request to {@code member}; never waits for the answer. */
        void ask(M member) throws IOException;

        /** The next answer, waiting at most {@code timeoutNanos}; null if none came. */
        Answer<M> next(long timeoutNanos) throws IOException, InterruptedException;
    }

    /** A member's answer: its view of the leader, or null if it gave none (unreadable, refused). */
    public record Answer<M>(M member, LeaderView view) {}

    private LeaderWatch() {}

    /**
     * Watches {@code members} until at least {@code needed} of their latest answers name one
     * leader in one term above {@code aboveTerm}, and returns it; empty once
     * {@code deadlineNanos} (a {@link System#nanoTime} value) has passed.
     */
    public static <M> Optional<LeaderView> await(List<M> members, Transport<M> transport, long pauseNanos,
                                                 long resendNanos, int needed, long aboveTerm, long deadlineNanos)
            throws IOException, InterruptedException {
        Map<M, Long> askedAt = new HashMap<>();
        Map<M, Long> nextAskAt = new HashMap<>();
        Map<M, LeaderView> views = new HashMap<>();
        while (true) {
            long now = System.nanoTime();
            if (now - deadlineNanos > 0) {
                return Optional.empty();
            }
            // ask every member whose turn it is; note when the next one is due
            long wakeAt = deadlineNanos;
            for (M m : members) {
                Long asked = askedAt.get(m);
                long due = asked != null ? asked + resendNanos : nextAskAt.getOrDefault(m, now);
                if (due - now <= 0) {
                    transport.ask(m);
                    askedAt.put(m, now);
                    due = now + resendNanos;
                }
                wakeAt = Math.min(wakeAt, due);
            }
            Answer<M> a = transport.next(Math.max(TimeUnit.MILLISECONDS.toNanos(1), wakeAt - now));
            if (a == null || !members.contains(a.member())) {
                continue;
            }
            askedAt.remove(a.member());
            nextAskAt.put(a.member(), System.nanoTime() + pauseNanos);
            if (a.view() == null) {
                views.remove(a.member()); // an answer without a view names no leader
            } else {
                views.put(a.member(), a.view());
            }
            Optional<LeaderView> agreed = LocalCluster.agreedView(views.values(), needed);
            if (agreed.isPresent() && agreed.get().term() > aboveTerm) {
                return agreed;
            }
        }
    }

    /** raftd nodes asked LEADER_INFO on their controller ports, from one socket. */
    static final class ControllerPorts implements Transport<NodeAddress>, AutoCloseable {

        /** A request unanswered this long is sent again: the quick client's reply timeout. */
        static final long RESEND_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

        private final ClusterAuth auth;
        private final DatagramSocket socket;
        private final byte[] request = Codec.encode(ControllerMessage.request("LEADER_INFO"));
        private final byte[] buf = new byte[65536];
        private final Map<NodeAddress, InetSocketAddress> addresses = new HashMap<>();
        private final Map<SocketAddress, NodeAddress> byAddress = new HashMap<>();

        ControllerPorts(List<NodeAddress> nodes, ClusterAuth auth) {
            this.auth = auth;
            try {
                this.socket = new DatagramSocket();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (NodeAddress n : nodes) {
                InetSocketAddress a = new InetSocketAddress(n.host(), n.ports().controller());
                addresses.put(n, a);
                byAddress.put(a, n);
            }
        }

        @Override
        public void ask(NodeAddress node) throws IOException {
            byte[] sealed = auth.seal(request, node.name());
            socket.send(new DatagramPacket(sealed, sealed.length, addresses.get(node)));
        }

        @Override
        public Answer<NodeAddress> next(long timeoutNanos) throws IOException {
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            NodeAddress from = byAddress.get(packet.getSocketAddress());
            if (from == null) {
                return null; // not one of the nodes asked
            }
            try {
                byte[] reply = auth.open(packet.getData(), packet.getOffset(), packet.getLength()).message();
                ControllerMessage r = Codec.decodeController(reply, 0, reply.length);
                return new Answer<>(from, new LeaderView(r.valueText(), r.term() == null ? -1 : r.term()));
            } catch (MalformedMessageException | AuthException e) {
                return new Answer<>(from, null);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
