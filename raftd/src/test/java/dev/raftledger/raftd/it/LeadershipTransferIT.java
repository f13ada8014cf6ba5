package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leadership transfer with five real processes: TRANSFER_LEADER, and a leader's SIGTERM and
 * SHUTDOWN, hand leadership over in one election of the next term, without waiting for an
 * election timeout, and lose no write.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeadershipTransferIT extends ClusterTest {

    private static ControllerMessage transferTo(String node) {
        ObjectNode value = Codec.objectNode();
        value.put("to", node);
        return new ControllerMessage(ControllerMessage.CONTROLLER, "TRANSFER_LEADER", null, null, value);
    }

    @Test
    void transferLeaderHandsOverToTheNamedFollowerInOneElection() throws Exception {
        LeaderView before = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        String target = cluster.others(before.leader()).get(2);
        long start = System.nanoTime();
        Answer ack = cluster.ask(before.leader(), transferTo(target), Duration.ofSeconds(1));
        assertTrue(ack.answered(), ack.error());
        assertEquals("TRANSFER_LEADER", ack.reply().request(), ack.reply().toString());
        assertEquals("TRANSFERRING", ack.reply().keyText());
        assertEquals(target, ack.reply().value().get("to").asText());
        LeaderView after = cluster.awaitLeader(cluster.names(), 5, before.term(), Duration.ofSeconds(2));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(target, after.leader());
        assertEquals(before.term() + 1, after.term(), "one election, won at the first try");
        assertTrue(tookMs < 1_000, "took " + tookMs + " ms");
        JsonNode status = cluster.awaitStatus(target, Duration.ofSeconds(1));
        assertTrue(status.get("counters").get("elections_started").asLong() >= 1);
        assertTrue(Files.readString(cluster.logFile(before.leader())).contains("is handing leadership of term "
                + before.term() + " to " + target));
    }

    @Test
    void aFollowerAndAnUnknownNodeAreRefused() {
        LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        String follower = cluster.others(leader.leader()).get(0);
        Answer fromFollower = cluster.ask(follower, transferTo(leader.leader()), Duration.ofSeconds(1));
        assertEquals("LEADER_INFO", fromFollower.reply().request(), "as for every leader-only request");
        assertEquals(leader.leader(), fromFollower.reply().valueText());
        Answer unknown = cluster.ask(leader.leader(), transferTo("Node9"), Duration.ofSeconds(1));
        assertEquals("ERROR", unknown.reply().request());
        assertEquals("UNKNOWN_NODE", unknown.reply().keyText());
        assertEquals(leader, cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(1)), "nothing changed");
    }

    @Test
    void sigtermOfTheLeaderHandsOverBeforeItStops() throws Exception {
        LeaderView before = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        long start = System.nanoTime();
        cluster.process(before.leader()).destroy(); // SIGTERM
        List<String> survivors = cluster.others(before.leader());
        LeaderView after = cluster.awaitLeader(survivors, 4, before.term(), Duration.ofSeconds(2));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(before.term() + 1, after.term(), "handed over in one election, not after timeouts");
        assertTrue(tookMs < 1_000, "took " + tookMs + " ms");
        assertEquals(0, cluster.awaitExit(before.leader(), Duration.ofSeconds(5)), "SIGTERM exits 0");
        String log = Files.readString(cluster.logFile(before.leader()));
        assertTrue(log.contains("handing leadership to " + after.leader() + " first"), log);
        assertTrue(log.contains("stepped down in term " + after.term()), log);
    }

    @Test
    void writesDuringHandOversAreAppliedExactlyOnce() throws Exception {
        LeaderView first = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        AtomicBoolean stop = new AtomicBoolean();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            LedgerClient client = new LedgerClient(cluster.spec(), "transfer-writer");
            while (!stop.get()) {
                ids.add(client.add("1.25", "EUR", "transfer", "ana").get("id").asText());
            }
        }, "writer");
        writer.start();
        LeaderView current = first;
        for (int round = 0; round < 3; round++) {
            awaitMoreWrites(ids, 20);
            String target = cluster.others(current.leader()).get(round % 4);
            Answer ack = cluster.ask(current.leader(), transferTo(target), Duration.ofSeconds(1));
            assertEquals("TRANSFERRING", ack.reply().keyText(), ack.reply().toString());
            current = cluster.awaitLeader(cluster.names(), 5, current.term(), Duration.ofSeconds(2));
            assertEquals(target, current.leader());
        }
        awaitMoreWrites(ids, 20);
        stop.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(35));
        assertTrue(!writer.isAlive(), "the writer finished its last write");
        List<String> acknowledged;
        synchronized (ids) {
            acknowledged = List.copyOf(ids);
        }
        Set<String> distinct = new HashSet<>(acknowledged);
        assertEquals(acknowledged.size(), distinct.size(), "each write got its own expense");
        Map<String, List<String>> ledgers = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(20));
        List<String> stored = ledgers.get(current.leader());
        assertEquals(stored.size(), new HashSet<>(stored).size());
        assertEquals(distinct, new HashSet<>(stored), "every acknowledged write is on every node, once");
    }

    private static void awaitMoreWrites(List<String> ids, int more) {
        int target;
        synchronized (ids) {
            target = ids.size() + more;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            synchronized (ids) {
                if (ids.size() >= target) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "writes stalled");
            LocalCluster.pause();
        }
    }
}
