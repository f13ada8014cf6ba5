package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.wire.ControllerMessage;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replication with real processes: the course controller's STORE/RETRIEVE, expenses written
 * while the leader is SIGKILLed and restarted (every acknowledged one on every node exactly
 * once), and a node that was down catching up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationIT extends ClusterTest {


    private static ControllerMessage request(String request, String key, String value) {
        return new ControllerMessage(ControllerMessage.CONTROLLER, request, null,
                key == null ? null : TextNode.valueOf(key), value == null ? null : TextNode.valueOf(value));
    }

    private Answer ask(String node, ControllerMessage m) {
        return new ControllerClient(Duration.ofSeconds(2), 1).ask(cluster.spec().node(node).orElseThrow(), m);
    }

    @Test
    void courseControllerStoreThenRetrieveAndAFollowerRedirects() {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        Answer stored = ask(leader.leader(), request("STORE", "k1", "v1"));
        assertEquals("COMMITTED", stored.reply().keyText(), stored.toString());
        Answer all = ask(leader.leader(), request("RETRIEVE", null, null));
        assertEquals("COMMITED_LOGS", all.reply().keyText());
        JsonNode logs = all.reply().value();
        assertEquals(1, logs.size());
        assertEquals(leader.term(), logs.get(0).get("term").asLong());
        assertEquals("k1", logs.get(0).get("key").asText());
        assertEquals("v1", logs.get(0).get("value").asText());
        String follower = cluster.others(leader.leader()).get(0);
        Answer redirected = ask(follower, request("STORE", "k2", "v2"));
        assertEquals("LEADER_INFO", redirected.reply().request());
        assertEquals(leader.leader(), redirected.reply().valueText());
        assertEquals("LEADER_INFO", ask(follower, request("RETRIEVE", null, null)).reply().request());
    }

    @Test
    void expensesWrittenWhileTheLeaderIsKilledAreOnEveryNodeExactlyOnce() throws Exception {
        cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        int clients = 3;
        int perClient = 60;
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // "client/seq" -> expense id
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> writers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String clientId = "it-client-" + c;
            writers.add(pool.submit(() -> {
                LedgerClient client = new LedgerClient(cluster.spec(), clientId);
                for (int i = 1; i <= perClient; i++) {
                    JsonNode result = client.add(i + ".00", i % 2 == 0 ? "EUR" : "USD", "cat" + (i % 3), clientId);
                    assertTrue(result.get("ok").asBoolean(), result.toString());
                    acknowledged.put(clientId + "/" + i, result.get("id").asText());
                }
                return null;
            }));
        }
        // meanwhile: SIGKILL the leader twice, restarting it each time
        for (int round = 0; round < 2; round++) {
            LeaderView leader = cluster.awaitLeader(cluster.names(), 3, -1, Duration.ofSeconds(10));
            awaitAcknowledged(acknowledged, (round + 1) * clients * perClient / 3);
            cluster.kill(leader.leader());
            cluster.awaitLeader(cluster.others(leader.leader()), 3, leader.term(), Duration.ofSeconds(5));
            cluster.start(leader.leader());
        }
        for (Future<?> w : writers) {
            w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(clients * perClient, acknowledged.size());
        assertEquals(clients * perClient, new java.util.HashSet<>(acknowledged.values()).size(),
                "every write got its own expense");

        Map<String, List<String>> ledgers = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(20));
        for (Map.Entry<String, List<String>> node : ledgers.entrySet()) {
            List<String> ids = node.getValue();
            assertEquals(clients * perClient, ids.size(), node.getKey() + " holds each acknowledged expense once");
            assertTrue(ids.containsAll(acknowledged.values()), node.getKey() + " misses an acknowledged expense");
        }
    }

    @Test
    void aNodeThatWasDownCatchesUpOnTenThousandEntries() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        String down = cluster.others(leader.leader()).get(0);
        cluster.kill(down);
        StoreBlaster.storeMany(cluster.spec().node(leader.leader()).orElseThrow(), 10_000, Duration.ofSeconds(60));
        long leaderApplied = status(leader.leader()).get("applied_index").asLong();
        // 10,000 STOREs after the leader's no-op at index 0
        assertTrue(leaderApplied >= 10_000, "leader applied " + leaderApplied);
        cluster.start(down);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode s;
        do {
            assertTrue(System.nanoTime() < deadline, down + " did not catch up within 30 s");
            LocalCluster.pause();
            Answer a = cluster.ask(down, "STATUS", Duration.ofMillis(300));
            s = a.answered() ? a.reply().value() : null;
        } while (s == null || s.get("applied_index").asLong() < leaderApplied);
        JsonNode l = status(leader.leader());
        assertEquals(l.get("last_log_term").asLong(), s.get("last_log_term").asLong());
    }

    private JsonNode status(String node) {
        Answer a = cluster.ask(node, "STATUS", Duration.ofSeconds(1));
        assertTrue(a.answered(), node + ": " + a.error());
        return a.reply().value();
    }

    private static void awaitAcknowledged(Map<String, String> acknowledged, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < count) {
            assertTrue(System.nanoTime() < deadline, "writes stalled at " + acknowledged.size());
            LocalCluster.pause();
        }
    }
}
