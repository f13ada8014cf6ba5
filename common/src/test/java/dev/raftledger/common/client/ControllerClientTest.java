package dev.raftledger.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The controller client against tiny in-test UDP responders on 127.0.0.31-33 (ephemeral port,
 * the same number on every address, like the nodes' controller ports). Timeouts are short; the
 * responders are synchronised by the datagrams themselves, never by sleeping.
 */
@Timeout(10)
class ControllerClientTest {

    private static final String HOST_A = "127.0.0.31";
    private static final String HOST_B = "127.0.0.32";
    private static final String HOST_C = "127.0.0.33";

    private final List<Responder> responders = new ArrayList<>();

    @AfterEach
    void closeResponders() {
        responders.forEach(Responder::close);
    }

    /**
     * A fake node's controller port. {@code behaviour} gets the request's 1-based sequence
     * number and bytes and returns the reply's bytes, or null to stay silent.
     */
    private final class Responder implements AutoCloseable {
        final DatagramSocket socket;
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final AtomicInteger count = new AtomicInteger();
        private final Thread thread;

        Responder(String host, int port, Behaviour behaviour) throws IOException {
            this(host, port, behaviour, null);
        }

        /** {@code replyVia}: the socket replies leave from, if not this responder's own. */
        Responder(String host, int port, Behaviour behaviour, DatagramSocket replyVia) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(host, port));
            DatagramSocket out = replyVia == null ? socket : replyVia;
            thread = new Thread(() -> serve(behaviour, out), "responder-" + host);
            thread.setDaemon(true);
            thread.start();
            responders.add(this);
        }

        int port() {
            return socket.getLocalPort();
        }

        /**
         * Waits (boundedly) until this responder has taken {@code expected} datagrams, then
         * checks there is no further one. Called after the client returned, so nothing more
         * can be on its way: this replaces sleeping to "let the responder catch up".
         */
        void assertReceived(int expected) throws InterruptedException {
            for (int i = 0; i < expected; i++) {
                assertNotNull(received.poll(2, TimeUnit.SECONDS), "datagram " + (i + 1) + " of " + expected + " never arrived");
            }
            assertTrue(received.isEmpty(), "more than " + expected + " datagrams");
        }

        private void serve(Behaviour behaviour, DatagramSocket out) {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                    byte[] request = Arrays.copyOfRange(packet.getData(), packet.getOffset(),
                            packet.getOffset() + packet.getLength());
                    received.add(request);
                    byte[] reply = behaviour.reply(count.incrementAndGet(), request);
                    if (reply != null) {
                        out.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return; // closed by the test
                }
            }
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    private interface Behaviour {
        byte[] reply(int sequence, byte[] request) throws IOException;
    }

    /** Replies like a node: LEADER_INFO naming {@code name} as sender and "Node9" as leader. */
    private static Behaviour answersAs(String name) {
        return (seq, request) -> {
            ControllerMessage in;
            try {
                in = Codec.decodeController(request, 0, request.length);
            } catch (MalformedMessageException e) {
                return null;
            }
            return Codec.encode(new ControllerMessage(name, in.request(), 4L, TextNode.valueOf("LEADER"),
                    TextNode.valueOf("Node9")));
        };
    }

    private static final Behaviour SILENT = (seq, request) -> null;

    /**
     * Starts one responder per host, all on the same port number (as nodes share port numbers):
     * the first takes an ephemeral port, the others bind that number on their own address. In
     * the unlikely case the number is taken on one of those addresses, all are closed and the
     * whole set is tried again on a fresh number.
     */
    private List<Responder> respondersOnOnePort(List<String> hosts, List<Behaviour> behaviours) throws IOException {
        for (int attempt = 0; ; attempt++) {
            List<Responder> started = new ArrayList<>();
            try {
                started.add(new Responder(hosts.get(0), 0, behaviours.get(0)));
                int port = started.get(0).port();
                for (int i = 1; i < hosts.size(); i++) {
                    started.add(new Responder(hosts.get(i), port, behaviours.get(i)));
                }
                return started;
            } catch (BindException e) {
                started.forEach(Responder::close);
                responders.removeAll(started);
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** Ports whose controller port is {@code port}; the peer ports only need to differ from it. */
    private static Ports portsWithController(int port) {
        int[] others = new int[3];
        int candidate = 40000;
        for (int i = 0; i < 3; i++) {
            if (candidate == port) {
                candidate++;
            }
            others[i] = candidate++;
        }
        return new Ports(others[0], others[1], others[2], port);
    }

    private static NodeAddress node(String name, String host, int port) {
        return ClusterSpec.parse(name + "=" + host, portsWithController(port)).node(name).orElseThrow();
    }

    private static ControllerClient client(int timeoutMs, int attempts) {
        return new ControllerClient(Duration.ofMillis(timeoutMs), attempts);
    }

    /**
     * A node answers TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN only when asked ("ack": true; the
     * convention's controllers read no reply to them): the client, which waits for a reply, asks.
     * Other requests go out in the convention's exact shape.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TIMEOUT", "CONVERT_FOLLOWER", "SHUTDOWN", "LEADER_INFO", "STORE"})
    void theRequestsANodeLeavesUnansweredGoOutAskingForAnAck(String request) throws Exception {
        Responder r = new Responder(HOST_A, 0, answersAs("NodeA"));
        Answer answer = client(300, 1).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request(request));
        assertTrue(answer.answered(), () -> "error: " + answer.error());
        byte[] sent = r.received.poll(2, TimeUnit.SECONDS);
        assertNotNull(sent);
        ControllerMessage m = Codec.decodeController(sent, 0, sent.length);
        boolean unanswered = !request.equals("LEADER_INFO") && !request.equals("STORE");
        assertEquals(unanswered, m.ack(), new String(sent, StandardCharsets.UTF_8));
        assertEquals(unanswered, new String(sent, StandardCharsets.UTF_8).contains("\"ack\":true"));
    }

    @Test
    void askReturnsTheDecodedReplyAndSendsTheConventionsRequest() throws Exception {
        Responder r = new Responder(HOST_A, 0, answersAs("NodeA"));
        Answer answer = client(300, 1).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request("LEADER_INFO"));

        assertTrue(answer.answered(), () -> "error: " + answer.error());
        assertNull(answer.error());
        assertEquals("NodeA", answer.node());
        assertEquals(new ControllerMessage("NodeA", "LEADER_INFO", 4L, TextNode.valueOf("LEADER"),
                TextNode.valueOf("Node9")), answer.reply());

        byte[] sent = r.received.poll(2, TimeUnit.SECONDS);
        assertNotNull(sent);
        assertEquals(ControllerMessage.request("LEADER_INFO"), Codec.decodeController(sent, 0, sent.length));
    }

    @Test
    void aNameThatResolvesAfterTheFirstAttemptIsAskedInTheSecond() throws Exception {
        // NodeA's name resolves only once NodeB (a literal address, silent) has been sent to,
        // i.e. after the first attempt stopped waiting for NodeA's lookup
        CountDownLatch bAsked = new CountDownLatch(1);
        List<Responder> rs = respondersOnOnePort(List.of(HOST_A, HOST_B), List.of(answersAs("NodeA"),
                (seq, request) -> {
                    bAsked.countDown();
                    return null;
                }));
        HostLookups lookups = new HostLookups(host -> {
            try {
                bAsked.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return InetAddress.getByName(HOST_A);
        });
        ClusterSpec cluster = ClusterSpec.parse("NodeA=slow.test,NodeB=" + HOST_B, portsWithController(rs.get(0).port()));

        Map<String, Answer> answers = new ControllerClient(Duration.ofMillis(200), 2,
                ClusterAuth.none(), lookups)
                .askAll(cluster, ControllerMessage.request("LEADER_INFO"));

        assertTrue(answers.get("NodeA").answered(), answers.get("NodeA").error());
        assertEquals("no reply within 200 ms", answers.get("NodeB").error());
        rs.get(0).assertReceived(1); // only the second attempt could send to it
    }

    @Test
    void aNameStillUnresolvedIsReportedAsSuchAndTheOthersAnswer() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Responder b = new Responder(HOST_B, 0, answersAs("NodeB"));
        HostLookups lookups = new HostLookups(host -> {
            try {
                never.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        });
        ClusterSpec cluster = ClusterSpec.parse("NodeA=hangs.test,NodeB=" + HOST_B, portsWithController(b.port()));
        try {
            long start = System.nanoTime();
            Map<String, Answer> answers = new ControllerClient(Duration.ofMillis(150), 2,
                    ClusterAuth.none(), lookups)
                    .askAll(cluster, ControllerMessage.request("LEADER_INFO"));
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertEquals("cannot resolve host hangs.test: no answer within 150 ms", answers.get("NodeA").error());
            assertTrue(answers.get("NodeB").answered(), answers.get("NodeB").error());
            assertTrue(ms < 5_000, "took " + ms + " ms with a lookup that hangs");
        } finally {
            never.countDown();
        }
    }

    @Test
    void aLookupUnderWayIsJoinedNotRepeated() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        HostLookups lookups = new HostLookups(host -> {
            asked.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return InetAddress.getByName(HOST_A);
        });
        HostLookups.Pending first = lookups.lookUp("n.test");
        HostLookups.Pending second = lookups.lookUp("n.test");
        assertTrue(first == second, "the same lookup");
        release.countDown();
        assertEquals(HOST_A, first.await(Duration.ofSeconds(5)).getHostAddress());
        assertEquals(1, asked.get());
        assertNull(first.problem(Duration.ofSeconds(5)));
        assertNotNull(lookups.lookUp(HOST_B).await(Duration.ZERO), "a literal is parsed at once");
        assertEquals(1, asked.get(), "a literal is never looked up");
    }

    @Test
    void silentNodeYieldsNoReplyWithinTheTimeout() throws Exception {
        Responder r = new Responder(HOST_A, 0, SILENT);
        long start = System.nanoTime();
        Answer answer = client(120, 1).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request("LEADER_INFO"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertFalse(answer.answered());
        assertNull(answer.reply());
        assertEquals("NodeA", answer.node());
        assertEquals("no reply within 120 ms", answer.error());
        assertTrue(elapsedMs >= 100, "gave up after only " + elapsedMs + " ms");
        r.assertReceived(1); // attempts=1 sends exactly once
    }

    @Test
    void garbageReplyYieldsUnreadableReply() throws Exception {
        Responder r = new Responder(HOST_A, 0, (seq, request) -> "this is not json".getBytes(StandardCharsets.UTF_8));
        Answer answer = client(300, 1).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request("STATUS"));

        assertFalse(answer.answered());
        assertTrue(answer.error().startsWith("unreadable reply"), answer.error());
    }

    @Test
    void replyFromAnotherPortIsNotTakenForTheNodesAnswer() throws Exception {
        // The node answers, but from a socket other than its controller port: the client only
        // trusts datagrams from the address and port it asked, so it must keep waiting.
        try (DatagramSocket otherPort = new DatagramSocket(new InetSocketAddress(HOST_A, 0))) {
            Responder r = new Responder(HOST_A, 0, answersAs("NodeA"), otherPort);
            Answer answer = client(150, 1).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request("LEADER_INFO"));

            r.assertReceived(1); // the node did get the request
            assertFalse(answer.answered());
            assertEquals("no reply within 150 ms", answer.error());
        }
    }

    @Test
    void askAllGathersEveryResponderInClusterOrder() throws Exception {
        List<Responder> rs = respondersOnOnePort(List.of(HOST_B, HOST_C, HOST_A),
                List.of(answersAs("NodeB"), answersAs("NodeC"), answersAs("NodeA")));
        int port = rs.get(0).port();
        // cluster order is neither alphabetical nor the order the responders were started in
        ClusterSpec cluster = ClusterSpec.parse("NodeC=" + HOST_C + ",NodeA=" + HOST_A + ",NodeB=" + HOST_B,
                portsWithController(port));

        Map<String, Answer> answers = client(300, 1).askAll(cluster, ControllerMessage.request("LEADER_INFO"));

        assertEquals(List.of("NodeC", "NodeA", "NodeB"), new ArrayList<>(answers.keySet()));
        for (Map.Entry<String, Answer> e : answers.entrySet()) {
            Answer answer = e.getValue();
            assertTrue(answer.answered(), () -> e.getKey() + ": " + answer.error());
            assertEquals(e.getKey(), answer.node());
            // each reply is attributed to the node that sent it, not just to whoever answered first
            assertEquals(e.getKey(), answer.reply().senderName());
        }
        for (Responder r : rs) {
            r.assertReceived(1);
        }
    }

    @Test
    void askAllReportsEachNodeSeparately() throws Exception {
        List<Responder> rs = respondersOnOnePort(List.of(HOST_A, HOST_B, HOST_C),
                List.of(answersAs("NodeA"), SILENT, (seq, request) -> new byte[] {'{'}));
        ClusterSpec cluster = ClusterSpec.parse("NodeA=" + HOST_A + ",NodeB=" + HOST_B + ",NodeC=" + HOST_C,
                portsWithController(rs.get(0).port()));

        Map<String, Answer> answers = client(300, 1).askAll(cluster, ControllerMessage.request("LEADER_INFO"));

        assertEquals(List.of("NodeA", "NodeB", "NodeC"), new ArrayList<>(answers.keySet()));
        assertTrue(answers.get("NodeA").answered(), answers.get("NodeA").error());
        assertEquals("no reply within 300 ms", answers.get("NodeB").error());
        assertTrue(answers.get("NodeC").error().startsWith("unreadable reply"), answers.get("NodeC").error());
    }

    @Test
    void askAllUntilStopsWaitingOnceTheAnswersSoFarAreEnough() throws Exception {
        List<Responder> rs = respondersOnOnePort(List.of(HOST_A, HOST_B, HOST_C),
                List.of(answersAs("NodeA"), SILENT, answersAs("NodeC")));
        ClusterSpec cluster = ClusterSpec.parse("NodeA=" + HOST_A + ",NodeB=" + HOST_B + ",NodeC=" + HOST_C,
                portsWithController(rs.get(0).port()));

        long t0 = System.nanoTime();
        Map<String, Answer> answers = client(5_000, 3).askAllUntil(cluster, ControllerMessage.request("LEADER_INFO"),
                so -> so.stream().filter(Answer::answered).count() >= 2);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;

        // the silent node is neither waited for (5 s, three attempts) nor reported as silent
        assertTrue(waitedMs < 2_500, "waited " + waitedMs + " ms for a node no longer needed");
        assertEquals(List.of("NodeA", "NodeC"), new ArrayList<>(answers.keySet()));
        assertTrue(answers.get("NodeA").answered() && answers.get("NodeC").answered());
        rs.get(1).assertReceived(1); // asked once: no second attempt after enough had answered
    }

    @Test
    void askAllUntilThatIsNeverSatisfiedWaitsLikeAskAll() throws Exception {
        List<Responder> rs = respondersOnOnePort(List.of(HOST_A, HOST_B), List.of(answersAs("NodeA"), SILENT));
        ClusterSpec cluster = ClusterSpec.parse("NodeA=" + HOST_A + ",NodeB=" + HOST_B, portsWithController(rs.get(0).port()));

        Map<String, Answer> answers = client(200, 1).askAllUntil(cluster, ControllerMessage.request("LEADER_INFO"),
                so -> false);

        assertEquals(List.of("NodeA", "NodeB"), new ArrayList<>(answers.keySet()));
        assertTrue(answers.get("NodeA").answered());
        assertEquals("no reply within 200 ms", answers.get("NodeB").error());
    }

    @Test
    void secondAttemptResendsToANodeThatIgnoredTheFirst() throws Exception {
        // the node drops the first datagram (as a lost packet would) and answers the second
        Responder r = new Responder(HOST_A, 0, (seq, request) -> seq == 1 ? null : answersAs("NodeA").reply(seq, request));
        Answer answer = client(200, 2).ask(node("NodeA", HOST_A, r.port()), ControllerMessage.request("LEADER_INFO"));

        assertTrue(answer.answered(), () -> "error: " + answer.error());
        assertEquals("NodeA", answer.reply().senderName());
        r.assertReceived(2);
    }

    @Test
    void answeredNodeIsNotAskedAgainOnTheSecondAttempt() throws Exception {
        List<Responder> rs = respondersOnOnePort(List.of(HOST_A, HOST_B), List.of(answersAs("NodeA"), SILENT));
        Responder a = rs.get(0);
        Responder b = rs.get(1);
        ClusterSpec cluster = ClusterSpec.parse("NodeA=" + HOST_A + ",NodeB=" + HOST_B, portsWithController(a.port()));

        Map<String, Answer> answers = client(200, 3).askAll(cluster, ControllerMessage.request("LEADER_INFO"));

        assertTrue(answers.get("NodeA").answered());
        assertFalse(answers.get("NodeB").answered());
        a.assertReceived(1); // NodeA answered the first attempt and was not asked again
        b.assertReceived(3); // NodeB was asked once per attempt
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient(Duration.ofMillis(-1), 1));
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient(Duration.ofMillis(100), 0));
        assertEquals(Duration.ofMillis(100), new ControllerClient(Duration.ofMillis(100), 1).timeout());
    }

    @Test
    void answerFactoriesSayWhetherTheNodeAnswered() {
        Answer ok = Answer.of("N", ControllerMessage.request("X"));
        Answer failed = Answer.failed("N", "boom");
        assertTrue(ok.answered());
        assertNull(ok.error());
        assertFalse(failed.answered());
        assertEquals("boom", failed.error());
    }
}
