package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Snapshots with five real processes, set to snapshot every few KiB: the logs are compacted, a
 * whole cluster restarts from its snapshots, and a follower that was down while the leader
 * compacted its log catches up through InstallSnapshot.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotIT {

    private LocalCluster cluster;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        Path dir = Path.of("target", "it", test.getTestMethod().orElseThrow().getName());
        LocalCluster.deleteRecursively(dir);
        cluster = LocalCluster.localFive(dir, "--snapshot-threshold-bytes", "8192", "--snapshot-catchup-entries", "10")
                .startAll();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static void write(LocalCluster cluster, String client, int count) {
        LedgerClient c = new LedgerClient(cluster.spec(), client);
        for (int i = 0; i < count; i++) {
            c.add("3.50", "EUR", "snapshot", "ana");
        }
    }

    @Test
    void logsAreCompactedAndAWholeClusterRestartsFromItsSnapshots() throws Exception {
        cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        write(cluster, "snap-writer", 300);
        Map<String, List<String>> before = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(20));
        for (String n : cluster.names()) {
            JsonNode s = awaitSnapshot(n);
            assertTrue(s.get("log_first_index").asLong() > 0, n + " compacted its log: " + s);
            assertTrue(s.get("snapshot_size").asLong() > 0, s.toString());
            try (Stream<Path> files = Files.list(cluster.dataDir(n).resolve("snapshots"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".snap")), n);
            }
        }
        for (String n : cluster.names()) {
            cluster.kill(n); // SIGKILL: nothing gets a chance to tidy up
        }
        for (String n : cluster.names()) {
            cluster.start(n);
        }
        LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(10));
        Map<String, List<String>> after = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(20));
        assertEquals(before.get(leader.leader()), after.get(leader.leader()), "the same expenses after the restart");
        assertEquals(300, after.get(leader.leader()).size());
        assertTrue(Files.readString(cluster.logFile(leader.leader())).contains("loaded the snapshot through"));
    }

    @Test
    void aFollowerBehindTheCompactedLogCatchesUpThroughASnapshot() throws Exception {
        LeaderView first = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        String lagging = cluster.others(first.leader()).get(0);
        cluster.kill(lagging);
        write(cluster, "snap-writer", 300);
        JsonNode leaderStatus = awaitSnapshot(cluster.awaitLeader(cluster.others(lagging), 4, -1,
                Duration.ofSeconds(5)).leader());
        assertTrue(leaderStatus.get("log_first_index").asLong() > 0, "the leader compacted: " + leaderStatus);
        cluster.start(lagging);
        Map<String, List<String>> ledgers = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(30));
        assertEquals(300, ledgers.get(lagging).size(), "it has every expense");
        String log = Files.readString(cluster.logFile(lagging));
        assertTrue(log.contains("installed a snapshot from"), log);
    }

    @Test
    void snapshotOnRequestRepliesWhenItIsDurable() {
        LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        write(cluster, "snap-writer", 5);
        String follower = cluster.others(leader.leader()).get(1);
        LedgerReads.awaitConverged(cluster, Duration.ofSeconds(10));
        Answer a = cluster.ask(follower, "SNAPSHOT", Duration.ofSeconds(5));
        assertTrue(a.answered(), a.error());
        assertEquals("SNAPSHOT", a.reply().request(), a.reply().toString());
        assertEquals("SAVED", a.reply().keyText());
        long index = a.reply().value().get("index").asLong();
        assertTrue(index >= 5, a.reply().toString());
        JsonNode status = cluster.awaitStatus(follower, Duration.ofSeconds(1));
        assertEquals(index, status.get("snapshot_index").asLong());
        assertFalse(status.get("snapshot_size").isNull());
    }

    /** A node's STATUS once it reports a snapshot, polling with a deadline. */
    private JsonNode awaitSnapshot(String node) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode s = cluster.awaitStatus(node, Duration.ofSeconds(2));
            if (!s.get("snapshot_index").isNull() && s.get("log_first_index").asLong() > 0) {
                return s;
            }
            assertTrue(System.nanoTime() < deadline, node + " reports no snapshot: " + s);
            LocalCluster.pause();
        }
    }
}
