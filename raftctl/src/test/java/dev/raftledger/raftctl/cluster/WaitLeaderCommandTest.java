package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Durations;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Polling;
import dev.raftledger.raftctl.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaitLeaderCommandTest extends FakeClusterTest {

    @Test
    void returnsAtOnceWhenThereIsALeader() throws Exception {
        cluster.electLeader("Node3", 5);

        Run run = Run.of(home, cluster.args("wait-leader"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().strip().matches("leader Node3 \\(term 5\\) after \\d+ ms"), run.out());
        assertEquals(5, cluster.received("LEADER_INFO").size(), "one round");
    }

    @Test
    void waitsUntilTheNodesElectALeader() throws Exception {
        cluster.electLeader("Node3", 5);
        // the election "ends" on each node's fourth LEADER_INFO: three rounds without a leader
        cluster.nodes().forEach(n -> n.noLeaderForRequests(3));

        Run run = Run.of(home, cluster.args("wait-leader", "--timeout", "10s", "--json"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(List.of("leader", "term", "waited_ms", "agreeing", "total"), HealthCommandTest.fields(doc));
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(5, doc.get("agreeing").asInt());
        assertEquals(5, doc.get("total").asInt());
        assertTrue(doc.get("waited_ms").asLong() >= 3 * Polling.POLL_MS - 5, doc.toString());
        for (FakeNode n : cluster.nodes()) {
            assertEquals(4, n.received("LEADER_INFO").size(), n.name());
        }
    }

    @Test
    void aMajorityIsEnoughAndTheOthersMayBeDown() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").silent();
        cluster.node("Node2").silent();

        Run run = Run.of(home, cluster.args("wait-leader", "--timeout", "2s"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("leader Node3 (term 5) after "), run.out());
    }

    @Test
    void timesOutWithExitStatusOne() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").silent();
        cluster.node("Node2").silent();
        cluster.node("Node4").silent(); // 2 of 5 name Node3: not a majority

        long start = System.nanoTime();
        Run text = Run.of(home, cluster.args("wait-leader", "--timeout", "300ms"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Run json = Run.of(home, cluster.args("wait-leader", "--timeout", "100ms", "--json"));

        assertEquals(1, text.code());
        assertTrue(text.err().startsWith("raftctl: no leader within 300ms ("), text.err());
        assertTrue(took.toMillis() >= 300 && took.toMillis() < 3_000, took.toString());
        assertTrue(text.noStackTrace(), text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertTrue(doc.get("leader").isNull());
        assertTrue(doc.get("term").isNull());
        assertEquals(0, doc.get("agreeing").asInt());
        assertEquals(5, doc.get("total").asInt());
        assertTrue(doc.get("waited_ms").asLong() >= 100, doc.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "10x", "0s", "-1s", "1.5s", "", "25h", "s"})
    void badTimeoutIsAUsageErrorAndSendsNothing(String value) {
        Run run = Run.of(home, cluster.args("wait-leader", "--timeout", value));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: --timeout must be a duration"), run.err());
        assertTrue(run.noStackTrace(), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertNull(Durations.parse("2 m"));
    }
}
