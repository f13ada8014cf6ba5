package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusCommandTest extends FakeClusterTest {

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node3", 5);
    }

    @Test
    void tableListsEveryNodeWithItsStateTermLeaderAndHeartbeat() {
        cluster.node("Node4").heartbeatAgeMs(null);

        Run run = Run.of(home, cluster.args("status"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of("NODE", "ADDRESS", "REACHABLE", "STATE", "TERM", "LEADER", "LAST", "COMMIT", "APPLIED",
                "HEARTBEAT", "SNAPSHOT", "VERSION"), List.of(lines.get(0).split("\\s+")));
        assertEquals(List.of("Node1", "127.0.0.21", "yes", "follower", "5", "Node3", "-1", "-1", "-1", "42", "ms", "none",
                "test"), List.of(lines.get(1).split("\\s+")));
        assertEquals(List.of("Node3", "127.0.0.23", "yes", "leader", "5", "Node3", "-1", "-1", "-1", "42", "ms", "none",
                "test"), List.of(lines.get(3).split("\\s+")));
        assertEquals(List.of("Node4", "127.0.0.24", "yes", "follower", "5", "Node3", "-1", "-1", "-1", "never", "none",
                "test"),
                List.of(lines.get(4).split("\\s+")));
        assertEquals("leader: Node3 (term 5), named by 5 of 5 answering nodes", lines.get(6));
        assertEquals(7, lines.size(), run.out());
    }

    @Test
    void alarmsFollowTheLeaderLineOncePerMemberWithTheMembersOwnReason() throws Exception {
        cluster.node("Node3").alarm("Node2", "its replies to this node say its disk alarm is raised");
        cluster.node("Node2").alarm("Node2", "the data dir holds 2.1 GiB, over its quota of 2.0 GiB (--quota-bytes)");

        Run run = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("status", "--json"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("alarm: NO_SPACE on Node2 (the data dir holds 2.1 GiB, over its quota of 2.0 GiB (--quota-bytes)): "
                + "the cluster takes no new writes until it clears", lines.get(7));
        assertEquals(8, lines.size(), run.out());
        JsonNode alarms = Codec.readTree(json.out()).get("alarms");
        assertEquals(1, alarms.size(), alarms.toString());
        assertEquals("Node2", alarms.get(0).get("node").asText());
        assertTrue(alarms.get(0).get("reason").asText().startsWith("the data dir holds"));
    }

    @Test
    void theLeadersSessionsAreShownBelowTheTableAndEachNodesInJson() throws Exception {
        cluster.node("Node1").sessions(1_440L);
        cluster.node("Node3").sessions(1_441L);

        Run text = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("--json", "status"));

        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals("sessions: 1441 (about 253 KiB of heap), on Node3 (leader)", lines.get(7), text.out());
        assertEquals(8, lines.size(), text.out());
        JsonNode nodes = Codec.readTree(json.out()).get("nodes");
        assertEquals(1_440, nodes.get(0).get("sessions").asLong());
        assertEquals(1_440 * 180, nodes.get(0).get("sessions_bytes").asLong());
        assertTrue(nodes.get(1).get("sessions").isNull(), "not reported: null");
        assertEquals(1_441, nodes.get(2).get("sessions").asLong());

        // without the leader's report, the first node's, named
        cluster.node("Node3").sessions(null);
        assertTrue(Run.of(home, cluster.args("status")).out().contains("\nsessions: 1440 (about 253 KiB of heap), on Node1\n"));
    }

    @Test
    void eachNodesVersionIsAColumnAndMixedVersionsAreNamed() throws Exception {
        for (String n : List.of("Node1", "Node2", "Node3")) {
            cluster.node(n).version("0.2.0");
        }
        cluster.node("Node4").version("0.1.0");
        cluster.node("Node5").version("0.1.0");

        Run text = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("status", "--json"));

        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(1).endsWith(" 0.2.0") && lines.get(4).endsWith(" 0.1.0"), text.out());
        assertEquals("mixed versions: Node1-3 0.2.0, Node4-5 0.1.0", lines.get(7), text.out());
        assertEquals(8, lines.size(), text.out());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("0.1.0", doc.get("nodes").get(4).get("version").asText());
        assertEquals("{\"0.2.0\":[\"Node1\",\"Node2\",\"Node3\"],\"0.1.0\":[\"Node4\",\"Node5\"]}",
                doc.get("versions").toString());

        cluster.node("Node2").version("0.1.0"); // not in runs: each named
        assertTrue(Run.of(home, cluster.args("status")).out()
                .contains("\nmixed versions: Node1, Node3 0.2.0, Node2, Node4-5 0.1.0\n"));
    }

    @Test
    void columnsAreAligned() {
        Run run = Run.of(home, cluster.args("status"));

        List<String> lines = run.out().lines().limit(6).toList();
        int stateColumn = lines.get(0).indexOf("STATE");
        for (String line : lines.subList(1, 6)) {
            assertTrue(line.substring(stateColumn).startsWith("follower") || line.substring(stateColumn).startsWith("leader"),
                    line);
        }
    }

    @Test
    void jsonHasOneEntryPerNodeAndTheAgreedLeader() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "status"));

        assertEquals(0, run.code(), run.err());
        assertEquals(1, run.out().lines().count(), "one document on one line");
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node3", doc.get("leader").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(5, doc.get("answering").asInt());
        assertEquals(5, doc.get("total").asInt());
        JsonNode nodes = doc.get("nodes");
        assertEquals(5, nodes.size());
        JsonNode node2 = nodes.get(1);
        assertEquals("Node2", node2.get("name").asText());
        assertEquals("127.0.0.22", node2.get("address").asText());
        assertTrue(node2.get("reachable").asBoolean());
        assertEquals("follower", node2.get("state").asText());
        assertEquals(5, node2.get("term").asLong());
        assertEquals("Node3", node2.get("leader").asText());
        assertEquals(42, node2.get("heartbeat_age_ms").asLong());
        assertTrue(node2.get("error").isNull());
        assertEquals("test", node2.get("report").get("version").asText(), "the node's whole report is kept");
        assertEquals(-1, node2.get("last_log_index").asLong());
        assertEquals(-1, node2.get("commit_index").asLong());
        assertEquals(-1, node2.get("applied_index").asLong());
    }

    @Test
    void logPositionsComeFromTheStatusReport() throws Exception {
        cluster.log().appendNoop(5);
        cluster.log().appendNoop(5);
        cluster.log().appendNoop(5);

        Run text = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("status", "--json"));

        List<String> lines = text.out().lines().toList();
        int last = lines.get(0).indexOf("LAST");
        int commit = lines.get(0).indexOf("COMMIT");
        int applied = lines.get(0).indexOf("APPLIED");
        assertEquals("2", lines.get(1).substring(last, commit).strip(), text.out());
        assertEquals("2", lines.get(1).substring(commit, applied).strip(), text.out());
        assertEquals("2", lines.get(1).substring(applied).split("\\s+")[0], text.out());
        JsonNode node1 = Codec.readTree(json.out()).get("nodes").get(0);
        assertEquals(2, node1.get("last_log_index").asLong());
        assertEquals(2, node1.get("commit_index").asLong());
        assertEquals(2, node1.get("applied_index").asLong());
    }

    @Test
    void missingLogPositionsAreNullAndDashes() throws Exception {
        cluster.node("Node5").silent();

        Run text = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("status", "--json"));

        JsonNode node5 = Codec.readTree(json.out()).get("nodes").get(4);
        assertTrue(node5.get("last_log_index").isNull());
        assertTrue(node5.get("commit_index").isNull());
        assertTrue(node5.get("applied_index").isNull());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("Node5") && l.split("\\s+").length == 12), text.out());
    }

    @Test
    void globalOptionsWorkAfterTheSubcommandToo() throws Exception {
        Run run = Run.of(home, "status", "--json", "--cluster", cluster.spec(),
                "--controller-port", Integer.toString(cluster.port()), "--timeout-ms", "200");

        assertEquals(0, run.code(), run.err());
        assertEquals("Node3", Codec.readTree(run.out()).get("leader").asText());
    }

    /**
     * Issue 10 (as the first issue asked): scripts use {@code status} to see whether the cluster
     * is whole, so a member that does not answer makes it exit 1; the table still shows every node.
     */
    @Test
    void silentNodeIsUnreachableAndStatusExitsOneWithTheWholeTable() throws Exception {
        cluster.node("Node2").silent();

        Run text = Run.of(home, cluster.args("status"));
        Run json = Run.of(home, cluster.args("status", "--json"));

        assertEquals(1, text.code(), text.err());
        assertEquals(1, json.code(), json.err());
        assertEquals(5, text.out().lines().filter(l -> l.startsWith("Node") && l.contains("127.0.0.")).count(), text.out());
        assertEquals(5, Codec.readTree(json.out()).get("nodes").size());
        assertTrue(text.out().lines().anyMatch(l -> List.of(l.split("\\s+")).equals(
                List.of("Node2", "127.0.0.22", "no", "-", "-", "-", "-", "-", "-", "-", "-", "-"))), text.out());
        assertTrue(text.out().contains("Node2: no reply within 200 ms"), text.out());
        assertTrue(text.out().contains("named by 4 of 4 answering nodes; 1 of 5 not answering"), text.out());
        JsonNode node2 = Codec.readTree(json.out()).get("nodes").get(1);
        assertFalse(node2.get("reachable").asBoolean());
        assertTrue(node2.get("state").isNull());
        assertTrue(node2.get("report").isNull());
        assertEquals("no reply within 200 ms", node2.get("error").asText());
    }

    @Test
    void noNodeAnsweringIsExitStatusOne() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("status"));

        assertEquals(1, run.code());
        assertTrue(run.out().contains("none of the 5 nodes answered"), run.out());
        assertTrue(run.noStackTrace(), run.err());
    }

    @Test
    void nodeRefusingStatusIsReachableWithItsError() throws Exception {
        FakeNode old = cluster.node("Node5");
        old.replyWith(r -> old.error("UNKNOWN_REQUEST", "unknown request 'STATUS'"));

        Run run = Run.of(home, cluster.args("--json", "status"));

        assertEquals(0, run.code(), "it answered: it is up");
        JsonNode node5 = Codec.readTree(run.out()).get("nodes").get(4);
        assertTrue(node5.get("reachable").asBoolean());
        assertEquals("refused: UNKNOWN_REQUEST: unknown request 'STATUS'", node5.get("error").asText());
    }
}
