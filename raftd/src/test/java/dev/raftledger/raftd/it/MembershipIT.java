package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Membership changes with real processes: Node2 is replaced by Node6 (on 127.0.0.6) while
 * clients write. Node6 starts with --join, is added as a learner, promoted once caught up, then
 * Node2 is removed and stopped. Every acknowledged write must be on every member afterwards,
 * exactly once, and the configuration must survive a restart of every member.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MembershipIT {

    private static final List<String> FIRST_FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final List<String> AFTER = List.of("Node1", "Node3", "Node4", "Node5", "Node6");

    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeIsReplacedWhileClientsWriteAndEveryAcknowledgedWriteIsOnEveryMemberOnce() throws Exception {
        cluster = LocalCluster.on(Path.of("target", "it", "membership"), "127.0.0.1", 6, Ports.SEED);
        ClusterSpec five = ClusterSpec.parse(cluster.spec().toString().replace(",Node6=127.0.0.6", ""), Ports.SEED);
        for (String n : FIRST_FIVE) {
            cluster.start(n, five);
        }
        cluster.awaitLeader(FIRST_FIVE, 5, -1, Duration.ofSeconds(10));

        // clients write throughout; they know all six nodes, as an operator's updated list would
        int clients = 2;
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> writers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String clientId = "member-it-" + c;
            writers.add(pool.submit(() -> {
                LedgerClient client = new LedgerClient(cluster.spec(), clientId);
                for (int i = 1; !done.get() || i <= 40; i++) {
                    JsonNode result = client.add(i + ".00", "EUR", "cat" + (i % 3), clientId);
                    assertTrue(result.get("ok").asBoolean(), result.toString());
                    acknowledged.put(clientId + "/" + i, result.get("id").asText());
                }
                return null;
            }));
        }
        awaitAcknowledged(acknowledged, 20);

        // Node6 joins: started first, as a learner that never campaigns
        cluster.start("Node6", cluster.spec(), "--join");
        JsonNode added = change("MEMBER_ADD", "Node6", "127.0.0.6");
        assertEquals("learner", member(added.get("members"), "Node6").get("role").asText(), added.toString());

        awaitReady("Node6", Duration.ofSeconds(30));
        JsonNode promoted = change("MEMBER_PROMOTE", "Node6", null);
        assertEquals("voter", member(promoted.get("members"), "Node6").get("role").asText(), promoted.toString());

        JsonNode removed = change("MEMBER_REMOVE", "Node2", null);
        assertTrue(member(removed.get("members"), "Node2") == null, removed.toString());
        assertEquals(0, cluster.terminate("Node2", Duration.ofSeconds(10)), "Node2 stops cleanly");

        awaitAcknowledged(acknowledged, acknowledged.size() + 20); // writes go on with the new members
        done.set(true);
        for (Future<?> w : writers) {
            w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, List<String>> ledgers = LedgerReads.awaitConverged(cluster, AFTER, Duration.ofSeconds(30));
        assertEquals(acknowledged.size(), new HashSet<>(acknowledged.values()).size(), "each write its own expense");
        for (Map.Entry<String, List<String>> node : ledgers.entrySet()) {
            assertEquals(acknowledged.size(), node.getValue().size(), node.getKey() + " holds each expense once");
            assertTrue(node.getValue().containsAll(acknowledged.values()), node.getKey() + " misses an expense");
        }

        // the configuration is in the log: every member, restarted with the old --cluster, keeps it
        for (String n : AFTER) {
            assertEquals(0, cluster.terminate(n, Duration.ofSeconds(10)), n + " stops cleanly");
        }
        for (String n : AFTER) {
            cluster.start(n, n.equals("Node6") ? cluster.spec() : five);
        }
        LeaderView again = cluster.awaitLeader(AFTER, 5, -1, Duration.ofSeconds(15));
        JsonNode members = ask(again.leader(), "MEMBERS", null).reply().value();
        List<String> voters = new ArrayList<>();
        members.get("members").forEach(m -> voters.add(m.get("name").asText() + "/" + m.get("role").asText()));
        assertEquals(List.of("Node1/voter", "Node3/voter", "Node4/voter", "Node5/voter", "Node6/voter"), voters);
        assertFalse(cluster.isRunning("Node2"));
    }

    /** Sends a change to whoever leads (following LEADER_INFO) and returns its COMMITTED value. */
    private JsonNode change(String request, String name, String host) {
        ObjectNode v = Codec.objectNode();
        v.put("name", name);
        if (host != null) {
            v.put("host", host);
        }
        ControllerMessage m = new ControllerMessage(ControllerMessage.CONTROLLER, request, null, null, v);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            LeaderView leader = cluster.awaitLeader(AFTER_OR_BEFORE, 3, -1, Duration.ofSeconds(10));
            Answer a = ask(leader.leader(), request, m);
            if (a.answered() && request.equals(a.reply().request()) && "COMMITTED".equals(a.reply().keyText())) {
                return a.reply().value();
            }
            last = a.answered() ? a.reply().toString() : a.error();
            String code = a.answered() ? a.reply().keyText() : null;
            if ("ALREADY_MEMBER".equals(code) || "ALREADY_VOTER".equals(code) || "UNKNOWN_NODE".equals(code)) {
                // an earlier try whose reply was lost took effect: the members say so
                return ask(leader.leader(), "MEMBERS", null).reply().value();
            }
            // a new leader that has not committed its term yet, or a leader change: ask again
            LocalCluster.pause();
        }
        throw new AssertionError(request + " " + name + " was not committed within 20 s; last answer: " + last);
    }

    /** Every node that may answer: the five of the start and Node6. */
    private static final List<String> AFTER_OR_BEFORE = List.of("Node1", "Node2", "Node3", "Node4", "Node5", "Node6");

    private void awaitReady(String learner, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            LeaderView leader = cluster.awaitLeader(AFTER_OR_BEFORE, 3, -1, Duration.ofSeconds(10));
            Answer a = ask(leader.leader(), "MEMBERS", null);
            if (a.answered() && "MEMBERS".equals(a.reply().request())) {
                JsonNode m = member(a.reply().value().get("members"), learner);
                if (m != null && m.path("ready").asBoolean(false)) {
                    return;
                }
                last = a.reply().value().toString();
            }
            LocalCluster.pause();
        }
        throw new AssertionError(learner + " not ready to be promoted within " + timeout.toMillis() + " ms: " + last);
    }

    private Answer ask(String node, String request, ControllerMessage m) {
        ControllerMessage message = m != null ? m : ControllerMessage.request(request);
        return cluster.ask(node, message, Duration.ofSeconds(6)); // a change is answered once it commits
    }

    private static JsonNode member(JsonNode members, String name) {
        for (JsonNode m : members) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static void awaitAcknowledged(Map<String, String> acknowledged, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < count) {
            assertTrue(System.nanoTime() < deadline, "writes stalled at " + acknowledged.size());
            LocalCluster.pause();
        }
    }
}
