package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class HealthCommandTest extends FakeClusterTest {

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
        assertEquals(List.of("healthy", "leader", "term", "answering", "agreeing", "total", "quorum", "problems",
                "verdict", "degraded", "strict", "max_lag", "max_silence_ms"), fields(doc));
        assertTrue(doc.get("healthy").asBoolean());
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(5, doc.get("answering").asInt());
        assertEquals(5, doc.get("agreeing").asInt());
        assertEquals(5, doc.get("total").asInt());
        assertEquals(3, doc.get("quorum").asInt());
        assertEquals(0, doc.get("problems").size());
        assertEquals("healthy", doc.get("verdict").asText());
        assertEquals(0, doc.get("degraded").size());
        assertFalse(doc.get("strict").asBoolean());
        assertEquals(1000, doc.get("max_lag").asLong());
        assertEquals(1000, doc.get("max_silence_ms").asLong());
        assertEquals(10, cluster.received("STATUS").size(), "one STATUS to every node per run");
    }

    /**
     * A bare quorum is still a leader (exit status 0, "healthy": true), but since issue 10 the
     * cluster is degraded then and says which members and why, on stdout.
     */
    @Test
    void healthyWithABareQuorumListsTheProblems() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").silent();
        cluster.node("Node2").leader(null);
        cluster.node("Node3").leader(null); // the leader itself counts by its state

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals(List.of("degraded: leader Node3 (term 5), 4 of 5 nodes answering, 3 agreeing",
                "  Node1: down (no reply within 200 ms)",
                "  Node2: cut off (knows no leader in term 5)"), text.out().strip().lines().toList());
        assertEquals("", text.err());
        JsonNode doc = Codec.readTree(json.out());
        assertTrue(doc.get("healthy").asBoolean());
        assertEquals("degraded", doc.get("verdict").asText());
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
    void aMemberThatAnswersButIsCutOffIsDegradedAndSaysWhy() throws Exception {
        cluster.electLeader("Node3", 5);
        // the container that came back on a new address: it answers raftctl, hears nobody
        cluster.node("Node4").state("pre-candidate").leader(null).heartbeatAgeMs(null);

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(0, text.code(), "a majority agrees: still exit status 0; " + text.err());
        assertEquals(List.of("degraded: leader Node3 (term 5), 5 of 5 nodes answering, 4 agreeing",
                "  Node4: cut off (pre-candidate in term 5: it does not hear the leader; has never heard a heartbeat)"),
                text.out().strip().lines().toList());
        assertEquals(0, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertTrue(doc.get("healthy").asBoolean());
        assertEquals("degraded", doc.get("verdict").asText());
        JsonNode node4 = doc.get("degraded").get(0);
        assertEquals(1, doc.get("degraded").size(), doc.toString());
        assertEquals("Node4", node4.get("node").asText());
        assertEquals(List.of("cut_off", "cut_off"), kinds(node4));
        assertEquals("has never heard a heartbeat", node4.get("reasons").get(1).get("text").asText());
        assertEquals("Node4: cut off (pre-candidate in term 5: it does not hear the leader; has never heard a heartbeat)",
                node4.get("text").asText());
    }

    @Test
    void strictMakesADegradedClusterExitStatusOne() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node4").state("pre-candidate").leader(null).heartbeatAgeMs(null);

        Run text = Run.of(home, cluster.args("health", "--strict"));
        Run json = Run.of(home, cluster.args("health", "--strict", "--json"));

        assertEquals(1, text.code());
        assertTrue(text.out().startsWith("degraded: leader Node3 (term 5)"), text.out());
        assertTrue(text.noStackTrace(), text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("degraded", doc.get("verdict").asText());
        assertTrue(doc.get("strict").asBoolean());
    }

    @Test
    void strictAcceptsAHealthyClusterAndRefusesAnUnhealthyOne() {
        cluster.electLeader("Node3", 5);
        assertEquals(0, Run.of(home, cluster.args("health", "--strict")).code());

        List.of("Node1", "Node2", "Node4").forEach(n -> cluster.node(n).silent());
        assertEquals(1, Run.of(home, cluster.args("health", "--strict")).code());
    }

    @Test
    void aFollowerTheLeaderDoesNotHearIsCutOff() throws Exception {
        cluster.electLeader("Node3", 5);
        // a one-way cut: Node2 hears the leader (its own STATUS looks well), the leader not Node2
        cluster.node("Node3").heard("Node1", 40).heard("Node2", 7_500).heard("Node4", 35).heard("Node5", -1);

        Run text = Run.of(home, cluster.args("health"));
        Run json = Run.of(home, cluster.args("health", "--json"));

        assertEquals(0, text.code(), text.err());
        assertEquals(List.of("degraded: leader Node3 (term 5), 5 of 5 nodes answering",
                "  Node2: cut off (the leader last heard from it 7500 ms ago)",
                "  Node5: cut off (the leader has not heard from it in term 5)"), text.out().strip().lines().toList());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(List.of("Node2", "Node5"), texts(doc.get("degraded"), "node"));
        assertEquals(List.of(), texts(doc.get("problems")), "problems keep their meaning: down or leaderless nodes");
    }

    @Test
    void aFarBehindMemberIsDegradedBeyondMaxLag() throws Exception {
        cluster.electLeader("Node3", 5);
        for (int i = 0; i < 20; i++) {
            cluster.log().appendNoop(5);
        }
        cluster.node("Node5").behind(12);

        Run within = Run.of(home, cluster.args("health", "--max-lag", "12"));
        Run beyond = Run.of(home, cluster.args("health", "--max-lag", "11"));
        Run json = Run.of(home, cluster.args("health", "--max-lag", "11", "--max-silence", "2s", "--json"));

        assertEquals(0, within.code(), within.err());
        assertEquals("healthy: leader Node3 (term 5), 5 of 5 nodes answering", within.out().strip());
        assertEquals(0, beyond.code(), beyond.err());
        assertEquals(List.of("degraded: leader Node3 (term 5), 5 of 5 nodes answering",
                "  Node5: far behind (12 entries behind: applied 7, the leader's commit 19)"),
                beyond.out().strip().lines().toList());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(11, doc.get("max_lag").asLong());
        assertEquals(2000, doc.get("max_silence_ms").asLong());
        JsonNode node5 = doc.get("degraded").get(0);
        assertEquals(List.of("behind"), kinds(node5));
        assertEquals(12, node5.get("lag").asLong());
    }

    @Test
    void aHeartbeatOlderThanMaxSilenceIsCutOff() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node1").heartbeatAgeMs(1_500L);

        Run loose = Run.of(home, cluster.args("health", "--max-silence", "2s"));
        Run byDefault = Run.of(home, cluster.args("health"));

        assertEquals("healthy: leader Node3 (term 5), 5 of 5 nodes answering", loose.out().strip());
        assertEquals(List.of("degraded: leader Node3 (term 5), 5 of 5 nodes answering",
                "  Node1: cut off (last heard a heartbeat 1500 ms ago)"), byDefault.out().strip().lines().toList());
    }

    @Test
    void badLimitsAndLimitsWithNodeAreUsageErrorsAndSendNothing() {
        for (List<String> args : List.of(List.of("health", "--max-lag", "-1"), List.of("health", "--max-lag", "many"),
                List.of("health", "--max-silence", "soon"), List.of("health", "--max-silence", "0ms"),
                List.of("health", "--node", "Node2", "--strict"), List.of("health", "--node", "Node2", "--max-lag", "5"))) {
            Run run = Run.of(home, cluster.args(args.toArray(new String[0])));

            assertEquals(2, run.code(), args + ": " + run.err());
            assertTrue(run.err().startsWith("raftctl: "), run.err());
            assertTrue(run.noStackTrace(), run.err());
        }
        assertTrue(cluster.nothingReceived());
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

    public static List<String> fields(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(n -> all.add(n.asText()));
        return all;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> all = new ArrayList<>();
        array.forEach(n -> all.add(n.get(field).asText()));
        return all;
    }

    /** The kinds of a degraded member's reasons, in order. */
    private static List<String> kinds(JsonNode member) {
        return texts(member.get("reasons"), "kind");
    }
}
