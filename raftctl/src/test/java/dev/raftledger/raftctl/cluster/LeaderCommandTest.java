package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaderCommandTest extends FakeClusterTest {

    @Test
    void agreedLeaderWithItsTerm() throws Exception {
        cluster.electLeader("Node3", 5);

        Run text = Run.of(home, cluster.args("leader"));
        Run json = Run.of(home, cluster.args("leader", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals("Node3 (term 5), named by 5 of 5 answering nodes", text.out().strip());
        assertEquals(0, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(5, doc.get("agreeing").asInt());
        assertEquals(5, doc.get("answering").asInt());
        assertFalse(doc.get("disputed").asBoolean());
        assertEquals("Node3", doc.get("nodes").get(0).get("leader").asText());
    }

    @Test
    void nodesThatKnowNoLeaderOrDoNotAnswerLowerTheCounts() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").leader(null);
        cluster.node("Node2").silent();

        Run run = Run.of(home, cluster.args("--json", "leader"));

        assertEquals(0, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(3, doc.get("agreeing").asInt());
        assertEquals(4, doc.get("answering").asInt());
        assertFalse(doc.get("nodes").get(1).get("reachable").asBoolean());
    }

    @Test
    void disagreementIsReportedWithExitStatusOne() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node4").term(6).leader("Node4").state("leader");

        Run text = Run.of(home, cluster.args("leader"));
        Run json = Run.of(home, cluster.args("leader", "--json"));

        assertEquals(1, text.code());
        assertTrue(text.err().contains("disagree"), text.err());
        assertTrue(text.err().contains("Node3 per Node1 (t5), Node2 (t5), Node3 (t5), Node5 (t5)"), text.err());
        assertTrue(text.err().contains("Node4 per Node4 (t6)"), text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertTrue(doc.get("leader").isNull());
        assertTrue(doc.get("disputed").asBoolean());
    }

    @Test
    void noLeaderKnownIsExitStatusOne() throws Exception {
        Run run = Run.of(home, cluster.args("leader"));

        assertEquals(1, run.code());
        assertEquals("raftctl: no leader: none of the 5 answering nodes knows one", run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void noNodeAnsweringIsExitStatusOne() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("leader"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("none of the 5 nodes answered"), run.err());
        assertTrue(run.noStackTrace(), run.err());
    }

    @Test
    void queriesAreRetriedOnce() {
        cluster.node("Node2").silent();

        Run.of(home, cluster.args("leader"));

        assertEquals(2, cluster.node("Node2").awaitRequests(2, Duration.ofSeconds(5)).size(), "LEADER_INFO is sent with attempts=2");
        assertEquals(1, cluster.node("Node1").received().size(), "a node that answered is not asked again");
    }
}
