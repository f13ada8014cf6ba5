package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Five real raftd processes (127.0.0.21-25, the seed's ports) driven as the course's own
 * controllers drive a cluster (issue 10; shared/protocol.md, "What five public controllers and
 * test drivers of the course actually do"): the controller binds port 5555 of its own host
 * (127.0.0.29) and, for each request, reads exactly one datagram into a 1024-byte buffer where
 * the convention expects a reply (LEADER_INFO, STORE, RETRIEVE; also its invented requests, on
 * which it blocks), and nothing after TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN. Every reply must
 * parse from those 1024 bytes, and none may come where none is read, or the controller stays
 * one reply behind for the rest of its session.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PlainControllerIT {

    private static final String CONTROLLER_HOST = "127.0.0.29";
    private static final int BUFFER = 1024;

    private LocalCluster cluster;
    private DatagramSocket controller;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        Path dir = Path.of("target", "it", "plain-" + test.getTestMethod().orElseThrow().getName());
        cluster = LocalCluster.on(dir, "127.0.0.21", 5, Ports.SEED).startAll();
        controller = new DatagramSocket(new InetSocketAddress(CONTROLLER_HOST, 5555));
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
        cluster.close();
    }

    /** The template Message.json with request, term, key and value as given (JSON text). */
    private static String message(String request, String term, String key, String value) {
        return "{\"sender_name\": \"Controller\", \"request\": \"" + request + "\", \"term\": " + term + ", \"key\": " + key
                + ", \"value\": " + value + "}";
    }

    private void send(String node, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        controller.send(new DatagramPacket(b, b.length, cluster.node(node).controller()));
    }

    /** One datagram into 1024 bytes, as those controllers read; null if none within {@code ms}. */
    private ControllerMessage read(int ms) throws IOException {
        byte[] buf = new byte[BUFFER];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        controller.setSoTimeout(ms);
        try {
            controller.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        try {
            return Codec.decodeController(p.getData(), p.getOffset(), p.getLength());
        } catch (MalformedMessageException e) {
            throw new AssertionError("a reply that does not parse from the " + BUFFER + " bytes read ("
                    + p.getLength() + "): " + e.getMessage(), e);
        }
    }

    private ControllerMessage ask(String node, String json) throws IOException {
        send(node, json);
        ControllerMessage reply = read(6_000);
        assertNotNull(reply, "no reply from " + node + " to " + json);
        return reply;
    }

    /** LEADER_INFO, and its reply must be a LEADER_INFO reply (never the answer to an earlier request). */
    private ControllerMessage leaderInfo(String node) throws IOException {
        ControllerMessage reply = ask(node, message("LEADER_INFO", "null", "null", "null"));
        assertEquals("LEADER_INFO", reply.request(), "one reply behind: " + reply);
        assertEquals("LEADER", reply.keyText());
        return reply;
    }

    @Test
    void aPlainControllerGetsExactlyTheRepliesItReads() throws Exception {
        LeaderView view = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(10));
        String leader = view.leader();
        String follower = cluster.others(leader).get(0);
        assertEquals(leader, leaderInfo(follower).valueText());

        // STORE with "term": "NULL" (this controller's every write was refused and lost before)
        List<String> stores = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String store = message("STORE", "\"NULL\"", "\"key" + i + "\"", "\"value" + i + "\"");
            stores.add(store);
            ControllerMessage r = ask(leader, store);
            assertEquals("STORE", r.request(), r.toString());
            assertEquals("COMMITTED", r.keyText(), r.toString());
        }
        ControllerMessage all = ask(leader, message("RETRIEVE", "\"NULL\"", "null", "null"));
        assertEquals("RETRIEVE", all.request(), all.toString());
        assertEquals("COMMITED_LOGS", all.keyText());
        JsonNode logs = all.value();
        assertEquals(stores.size(), logs.size(), logs.toString());
        for (int i = 0; i < stores.size(); i++) {
            assertEquals("key" + i, logs.get(i).get("key").asText());
            assertEquals("value" + i, logs.get(i).get("value").asText());
        }

        // an invented request: the controller blocks until one datagram comes back
        ControllerMessage unknown = ask(leader, message("ALL_INFO", "null", "null", "null"));
        assertEquals("ERROR", unknown.request());
        assertEquals("UNKNOWN_REQUEST", unknown.keyText());
        assertNull(read(300), "one reply to an unknown request, no more");
        String log = Files.readString(cluster.logFile(leader));
        assertTrue(log.contains("refused an unknown request") && log.contains("(answered ERROR UNKNOWN_REQUEST)"),
                "an answered request is logged as refused and answered:\n" + log);
        assertFalse(log.contains("dropped an unknown request"), log);

        // TIMEOUT to a follower: no reply; its next reply is the next LEADER_INFO's
        send(follower, message("TIMEOUT", "null", "null", "null"));
        leaderInfo(follower);
        LeaderView next = cluster.awaitLeader(cluster.names(), 5, view.term(), Duration.ofSeconds(5));

        // the echo controller: the leader's own LEADER_INFO reply sent back as CONVERT_FOLLOWER
        ControllerMessage info = leaderInfo(next.leader());
        assertEquals(next.leader(), info.valueText());
        ControllerMessage echo = new ControllerMessage(info.senderName(), "CONVERT_FOLLOWER", info.term(), info.key(),
                info.value());
        send(next.leader(), new String(Codec.encode(echo), StandardCharsets.UTF_8));
        ControllerMessage after = leaderInfo(next.leader());
        assertNotEquals(next.leader(), after.valueText(), "the leader stepped down: " + after);
        LeaderView third = cluster.awaitLeader(cluster.names(), 5, next.term(), Duration.ofSeconds(5));
        assertTrue(third.term() > next.term());

        // SHUTDOWN: the node stops, and nothing is sent back
        String victim = cluster.others(third.leader()).get(0);
        send(victim, message("SHUTDOWN", "null", "null", "null"));
        assertEquals(0, cluster.awaitExit(victim, Duration.ofSeconds(10)), "SHUTDOWN exits with status 0");
        assertNull(read(300), "no reply to SHUTDOWN");
        assertEquals(third.leader(), leaderInfo(third.leader()).valueText());
    }

    /**
     * The scenario on real processes: three followers paused (SIGSTOP), a STORE sent to
     * the leader, which steps down once it has heard from too few (check-quorum, within two
     * election timeouts): the STORE is answered NOT_COMMITTED then, not when a later term
     * commits something seconds on.
     */
    @Test
    void aStoreAtALeaderWhoseFollowersArePausedIsAnsweredWhenItStepsDown() throws Exception {
        LeaderView view = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(10));
        List<String> paused = cluster.others(view.leader()).subList(0, 3);
        try {
            signal("STOP", paused);
            long sent = System.nanoTime();
            ControllerMessage reply = ask(view.leader(), message("STORE", "null", "\"k\"", "\"v\""));
            long tookMs = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("PlainControllerIT: STORE at a leader with 3 of 4 followers paused answered "
                    + reply.keyText() + " after " + tookMs + " ms");
            assertEquals("ERROR", reply.request(), reply.toString());
            assertEquals("NOT_COMMITTED", reply.keyText(), reply.toString());
            assertTrue(reply.valueText().contains("stopped leading"), reply.toString());
            // check-quorum every 200 ms: the leader steps down 200-400 ms after the pause; the
            // 5 s write timeout (or the next term's commit once the followers resume) is what came before
            assertTrue(tookMs < 1_500, "answered " + tookMs + " ms after it was sent");
        } finally {
            signal("CONT", paused);
        }
    }

    private void signal(String signal, List<String> nodes) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (String n : nodes) {
            command.add(Long.toString(cluster.process(n).pid()));
        }
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + nodes);
    }
}
