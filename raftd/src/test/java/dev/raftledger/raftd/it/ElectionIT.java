package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's leader election end to end: five real raftd processes on 127.0.0.1-127.0.0.5 with
 * the seed's ports and timings, driven through the controller port as any course controller
 * would drive them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ElectionIT extends ClusterTest {


    /**
     * The clock starts once every node answers: five JVMs starting at once on two cores take
     * about a second when the machine is quiet and much longer when it is not, and that is a
     * start-up cost (measured by FailoverBenchmark's "launch to leader"), not the election's.
     */
    @Test
    void electsOneLeaderWithinTwoSecondsOnceEveryNodeIsUpAndEveryNodeAgrees() {
        for (String n : cluster.names()) {
            cluster.awaitStatus(n, Duration.ofSeconds(30));
        }
        long started = System.nanoTime();
        LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(2));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(cluster.names().contains(leader.leader()), leader.toString());
        assertTrue(leader.term() >= 1);
        assertTrue(tookMs <= 2_000, "took " + tookMs + " ms");
        JsonNode status = status(leader.leader());
        assertEquals("leader", status.get("state").asText());
    }

    @Test
    void shutdownOfTheLeaderElectsANewLeaderInAHigherTermWithinOneSecond() throws Exception {
        LeaderView old = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        Answer ack = cluster.ask(old.leader(), "SHUTDOWN", Duration.ofSeconds(1));
        assertTrue(ack.answered(), ack.error());
        assertEquals("stopping", ack.reply().valueText());
        long stoppedAt = System.nanoTime();
        List<String> survivors = cluster.others(old.leader());
        LeaderView next = cluster.awaitLeader(survivors, 3, old.term(), Duration.ofSeconds(1));
        long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertNotEquals(old.leader(), next.leader());
        assertTrue(next.term() > old.term());
        assertTrue(tookMs <= 1_000, "took " + tookMs + " ms");
        assertEquals(0, cluster.awaitExit(old.leader(), Duration.ofSeconds(5)), "SHUTDOWN exits with status 0");
        String log = Files.readString(cluster.logFile(old.leader()));
        assertTrue(log.contains("sockets closed"), "the node logs its clean stop:\n" + log);
        assertTrue(!log.contains("Exception"), "no exception on a clean stop:\n" + log);
    }

    @Test
    void timeoutToAFollowerStartsAnElectionAndTheClusterSettlesOnOneLeader() {
        LeaderView before = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        String follower = cluster.others(before.leader()).get(0);
        Answer ack = cluster.ask(follower, "TIMEOUT", Duration.ofSeconds(1));
        assertTrue(ack.answered(), ack.error());
        assertEquals("candidate", ack.reply().valueText());
        assertEquals(before.term() + 1, ack.reply().term(), "TIMEOUT starts an election in the next term");
        LeaderView after = cluster.awaitLeader(cluster.names(), 5, before.term(), Duration.ofSeconds(3));
        assertTrue(after.term() > before.term());
        assertTrue(status(follower).get("counters").get("elections_started").asLong() >= 1);
    }

    @Test
    void convertFollowerMakesTheLeaderStepDownAndALeaderIsElected() {
        LeaderView before = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        Answer ack = cluster.ask(before.leader(), "CONVERT_FOLLOWER", Duration.ofSeconds(1));
        assertTrue(ack.answered(), ack.error());
        assertEquals("follower", ack.reply().valueText());
        assertEquals(before.term(), ack.reply().term(), "stepping down keeps the term");
        LeaderView after = cluster.awaitLeader(cluster.names(), 5, before.term(), Duration.ofSeconds(3));
        assertTrue(after.term() > before.term());
    }

    @Test
    void aRestartedNodeKeepsItsTermAndVote() throws Exception {
        LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(5));
        // A follower that voted in the leader's term: its vote is known only from its disk.
        String voter = null;
        JsonNode before = null;
        for (String n : cluster.others(leader.leader())) {
            JsonNode s = status(n);
            if (s.get("term").asLong() == leader.term() && !s.get("voted_for").isNull()) {
                voter = n;
                before = s;
                break;
            }
        }
        assertNotNull(voter, "a majority voted in the leader's term, so some follower has a vote");
        assertEquals(0, cluster.terminate(voter, Duration.ofSeconds(5)), "SIGTERM exits with status 0");
        cluster.start(voter);
        JsonNode after = cluster.awaitStatus(voter, Duration.ofSeconds(5));
        assertEquals(leader.term(), after.get("term").asLong(), "term survives the restart");
        assertEquals(before.get("voted_for").asText(), after.get("voted_for").asText(), "vote survives the restart");
        assertEquals(leader, cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(3)),
                "the restart costs no election");
    }

    @Test
    void aBurstOfGarbageOnEveryPortLeavesEveryNodeUpAndTheLeaderUnchanged() throws Exception {
        // Garbage meets a running cluster, not five JVMs still starting on two cores.
        LeaderView before = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(10));
        int sent = GarbageSender.sendBurst(cluster.spec(), 20);
        assertTrue(sent > 0);
        for (String n : cluster.names()) {
            assertTrue(cluster.isRunning(n), n + " is up");
            JsonNode s = cluster.awaitStatus(n, Duration.ofSeconds(2));
            long bad = s.get("counters").get("malformed_datagrams").asLong()
                    + s.get("counters").get("unknown_senders").asLong();
            assertTrue(bad > 0, n + " counted the garbage: " + s);
        }
        assertEquals(before, cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(2)),
                "same leader, same term");
    }

    private JsonNode status(String node) {
        Answer a = cluster.ask(node, "STATUS", Duration.ofSeconds(1));
        assertTrue(a.answered(), node + ": " + a.error());
        return a.reply().value();
    }
}
