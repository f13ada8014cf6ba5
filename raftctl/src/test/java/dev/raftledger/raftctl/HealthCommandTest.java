package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCommandTest extends FakeClusterTest {

    @Test
    void healthyWhenEveryNodeNamesTheLeader() throws Exception {
        cluster.electLeader("Node3", 5);

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals("healthy: leader Node3 (term 5), 5 of 5 nodes answering", text.out().strip());
        assertEquals("", text.err());
        assertEquals(0, json.code());
        assertEquals(1, json.out().lines().count());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(List.of("healthy", "leader", "term", "answering", "agreeing", "total", "quorum", "problems"),
                fields(doc));
        assertTrue(doc.get("healthy").asBoolean());
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(5, doc.get("answering").asInt());
        assertEquals(5, doc.get("agreeing").asInt());
        assertEquals(5, doc.get("total").asInt());
        assertEquals(3, doc.get("quorum").asInt());
        assertEquals(0, doc.get("problems").size());
        assertEquals(10, cluster.received("STATUS").size(), "one STATUS to every node per run");
    }

    @Test
    void healthyWithABareQuorumListsTheProblems() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").silent();
        cluster.node("Node2").leader(null);
        cluster.node("Node3").leader(null); // the leader itself counts by its state

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals("healthy: leader Node3 (term 5), 4 of 5 nodes answering, 3 agreeing", text.out().strip());
        JsonNode doc = Codec.readTree(json.out());
        assertTrue(doc.get("healthy").asBoolean());
        assertEquals(3, doc.get("agreeing").asInt());
        assertEquals(4, doc.get("answering").asInt());
        assertEquals(List.of("Node1: no reply within 200 ms", "Node2: knows no leader (term 5)"),
                texts(doc.get("problems")));
    }

    @Test
    void noLeaderIsUnhealthy() throws Exception {
        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("--json", "health"));

        assertEquals(1, text.code());
        assertEquals("unhealthy: no leader agreed by a majority (5 of 5 answering)", text.out().strip());
        assertTrue(text.err().contains("raftctl: Node1: knows no leader (term 1)"), text.err());
        assertTrue(text.noStackTrace(), text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertFalse(doc.get("healthy").asBoolean());
        assertTrue(doc.get("leader").isNull());
        assertTrue(doc.get("term").isNull());
        assertEquals(0, doc.get("agreeing").asInt());
        assertEquals(6, doc.get("problems").size(), doc.toString());
    }

    @Test
    void onlyAMinorityAnsweringIsUnhealthyEvenIfTheyAgree() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").silent();
        cluster.node("Node2").silent();
        cluster.node("Node4").silent();

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(1, text.code());
        assertEquals("unhealthy: no leader agreed by a majority (2 of 5 answering)", text.out().strip());
        JsonNode doc = Codec.readTree(json.out());
        assertFalse(doc.get("healthy").asBoolean());
        assertEquals(2, doc.get("answering").asInt());
        assertTrue(texts(doc.get("problems")).contains("Node4: no reply within 200 ms"), doc.toString());
    }

    @Test
    void twoLeadersWithoutAMajorityIsUnhealthy() throws Exception {
        cluster.electLeader("Node1", 5);
        cluster.node("Node4").term(6).leader("Node4").state("leader");
        cluster.node("Node5").term(6).leader("Node4");
        cluster.node("Node3").silent();

        Run run = Run.of(home, cluster.args("health", "--json"));

        assertEquals(1, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertFalse(doc.get("healthy").asBoolean());
        assertTrue(doc.get("leader").isNull());
        assertEquals(4, doc.get("answering").asInt());
        List<String> problems = texts(doc.get("problems"));
        assertTrue(problems.contains("Node1: names Node1 (term 5)"), problems.toString());
        assertTrue(problems.contains("Node4: names Node4 (term 6)"), problems.toString());
    }

    @Test
    void sameLeaderInDifferentTermsIsNoMajority() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").term(6);
        cluster.node("Node2").term(6);
        cluster.node("Node4").term(7);

        Run run = Run.of(home, cluster.args("health"));

        assertEquals(1, run.code(), run.out());
    }

    @Test
    void aliveNode() throws Exception {
        cluster.electLeader("Node3", 5);

        Run text = Run.of(home, cluster.args("health", "--node", "Node2"));
        Run json = Run.of(home, cluster.args("health", "--node", "Node2", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals("Node2: alive (follower, term 5)", text.out().strip());
        assertEquals(0, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(List.of("node", "alive", "state", "term", "error"), fields(doc));
        assertEquals("Node2", doc.get("node").asText());
        assertTrue(doc.get("alive").asBoolean());
        assertEquals("follower", doc.get("state").asText());
        assertEquals(5, doc.get("term").asLong());
        assertTrue(doc.get("error").isNull());
        assertEquals(2, cluster.received("STATUS").size(), "only Node2 is asked, once per run");
        assertEquals(2, cluster.node("Node2").received("STATUS").size());
    }

    @Test
    void deadNode() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node2").silent();

        Run text = Run.of(home, cluster.args("health", "--node", "Node2"));
        Run json = Run.of(home, cluster.args("--json", "health", "--node", "Node2"));

        assertEquals(1, text.code());
        assertEquals("Node2: not answering (no reply within 200 ms)", text.out().strip());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertFalse(doc.get("alive").asBoolean());
        assertTrue(doc.get("state").isNull());
        assertTrue(doc.get("term").isNull());
        assertEquals("no reply within 200 ms", doc.get("error").asText());
    }

    @Test
    void unknownNodeIsAUsageErrorAndSendsNothing() {
        Run run = Run.of(home, cluster.args("health", "--node", "Node9"));

        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("raftctl: unknown node 'Node9'; known: Node1, Node2, Node3, Node4, Node5"),
                run.err());
        assertTrue(run.noStackTrace(), run.err());
        assertTrue(cluster.nothingReceived());
    }

    static List<String> fields(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(n -> all.add(n.asText()));
        return all;
    }
}
