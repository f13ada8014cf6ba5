package dev.raftledger.common.client;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Speaks the controller convention to nodes' controller ports: sends one request datagram and
 * waits for the reply, which the node sends back to the datagram's source address. Every call
 * uses a fresh ephemeral socket, so a late reply to an earlier call can never be mistaken for
 * the answer to this one. Shared by raftctl, the tests and the benchmarks.
 *
 * <p>Since it waits for a reply, it asks for one: TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN, which
 * a node leaves unanswered for the convention's controllers, go out with {@code "ack": true}
 * (docs/protocol.md), so that "done" can be told from "node down".
 *
 * <p>Host names are looked up once per call, all at once and off the sending thread
 * ({@link HostLookups}); a name is waited for at most the reply timeout from when its lookup
 * started, and one that has not resolved by then is that node's answer ("cannot resolve host
 * ...: no answer within N ms") while the others are asked. A later attempt of the same call
 * sends to it if its lookup has ended meanwhile.
 */
public final class ControllerClient {

    private final Duration timeout;
    private final int attempts;
    private final ClusterAuth auth;
    private final HostLookups lookups;

    /**
     * @param timeout  how long to wait for each attempt's replies
     * @param attempts how many times to send to a node that has not answered; use 1 for
     *                 requests that must not be repeated (TIMEOUT starts an election each time)
     */
    public ControllerClient(Duration timeout, int attempts) {
        this(timeout, attempts, ClusterAuth.none());
    }

    /** A client of a cluster with a key: requests are sealed, replies must be too. */
    public ControllerClient(Duration timeout, int attempts, ClusterAuth auth) {
        this(timeout, attempts, auth, HostLookups.SYSTEM);
    }

    /** As above, looking host names up through {@code lookups}. */
    public ControllerClient(Duration timeout, int attempts, ClusterAuth auth, HostLookups lookups) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.timeout = timeout;
        this.attempts = attempts;
        this.auth = auth;
        this.lookups = lookups;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Sends {@code request} to one node and returns its answer. Never throws for network trouble. */
    public Answer ask(NodeAddress node, ControllerMessage request) {
        return askEach(List.of(node), request, answers -> false).get(node.name());
    }

    /** Sends {@code request} to every node at once; answers in the cluster's order. */
    public Map<String, Answer> askAll(ClusterSpec cluster, ControllerMessage request) {
        return askEach(cluster.nodes(), request, answers -> false);
    }

    /**
     * As {@link #askAll}, but stops waiting as soon as {@code enough} holds for the answers
     * received so far (it is tested after each one): a poll that needs three nodes to agree is
     * then as slow as the three quickest, not as the slowest. The map holds, in the cluster's
     * order, the nodes that answered or failed before the call ended; a node still awaited when
     * {@code enough} held is left out.
     */
    public Map<String, Answer> askAllUntil(ClusterSpec cluster, ControllerMessage request,
                                           Predicate<Collection<Answer>> enough) {
        return askEach(cluster.nodes(), request, enough);
    }

    private Map<String, Answer> askEach(List<NodeAddress> nodes, ControllerMessage request,
                                        Predicate<Collection<Answer>> enough) {
        byte[] message = Codec.encode(askingForAReply(request));
        Map<String, Answer> answers = new HashMap<>();
        Map<String, HostLookups.Pending> names = new HashMap<>();
        for (NodeAddress node : nodes) {
            names.put(node.name(), lookups.lookUp(node.host())); // all at once, none waited for yet
        }
        boolean enoughCame = false;
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int attempt = 0; attempt < attempts && answers.size() < nodes.size() && !enoughCame; attempt++) {
                Map<SocketAddress, NodeAddress> pending = new HashMap<>();
                for (NodeAddress node : nodes) {
                    if (!answers.containsKey(node.name())) {
                        InetAddress address = names.get(node.name()).await(timeout);
                        if (address != null) {
                            // sealed for this node alone: it opens nowhere else
                            send(socket, node, new InetSocketAddress(address, node.ports().controller()),
                                    auth.seal(message, node.name()), pending, answers);
                        }
                    }
                }
                receive(socket, pending, answers, enough);
                enoughCame = enough.test(answers.values());
            }
        } catch (IOException e) {
            for (NodeAddress node : nodes) {
                answers.putIfAbsent(node.name(), Answer.failed(node.name(), "socket error: " + e.getMessage()));
            }
        }
        Map<String, Answer> ordered = new LinkedHashMap<>();
        for (NodeAddress node : nodes) {
            if (enoughCame && !answers.containsKey(node.name())) {
                continue; // no longer awaited once enough had answered
            }
            String unresolved = names.get(node.name()).problem(timeout);
            ordered.put(node.name(), answers.getOrDefault(node.name(), Answer.failed(node.name(),
                    unresolved != null ? unresolved : "no reply within " + timeout.toMillis() + " ms")));
        }
        return ordered;
    }

    /** The request as sent: with {@code "ack": true} where the convention expects no reply. */
    static ControllerMessage askingForAReply(ControllerMessage request) {
        boolean unanswered = ControllerRequest.fromWire(request.request())
                .map(ControllerRequest::unansweredByConvention).orElse(false);
        return unanswered && !request.ack() ? request.withAck() : request;
    }

    private static void send(DatagramSocket socket, NodeAddress node, InetSocketAddress target, byte[] payload,
                             Map<SocketAddress, NodeAddress> pending, Map<String, Answer> answers) {
        try {
            socket.send(new DatagramPacket(payload, payload.length, target));
            pending.put(target, node);
        } catch (IOException e) {
            answers.put(node.name(), Answer.failed(node.name(), "cannot send to " + target + ": " + e.getMessage()));
        }
    }

    /** Collects replies until every pending node answered, the attempt's time is up, or {@code enough} holds. */
    private void receive(DatagramSocket socket, Map<SocketAddress, NodeAddress> pending,
                         Map<String, Answer> answers, Predicate<Collection<Answer>> enough) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[65536];
        while (!pending.isEmpty()) {
            if (enough.test(answers.values())) {
                return;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return;
            }
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return;
            }
            NodeAddress from = pending.remove(packet.getSocketAddress());
            if (from == null) {
                continue; // not one of the nodes asked: ignore it
            }
            try {
                byte[] reply = auth.open(packet.getData(), packet.getOffset(), packet.getLength()).message();
                answers.put(from.name(), Answer.of(from.name(), Codec.decodeController(reply, 0, reply.length)));
            } catch (MalformedMessageException e) {
                answers.put(from.name(), Answer.failed(from.name(), "unreadable reply: " + e.getMessage()));
            } catch (AuthException e) {
                answers.put(from.name(), Answer.failed(from.name(), "reply failed authentication: " + e.getMessage()));
            }
        }
    }
}
