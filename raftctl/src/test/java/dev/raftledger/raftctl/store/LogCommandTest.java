package dev.raftledger.raftctl.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogCommandTest extends FakeClusterTest {

    @BeforeEach
    void fill() throws Exception {
        cluster.electLeader("Node2", 2);
        cluster.log().appendNoop(1);
        cluster.log().appendStore(1, Codec.readTree("\"k\""), Codec.readTree("\"v\""));
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        for (int i = 0; i < 7; i++) {
            cluster.log().appendNoop(2);
        }
    }

    @Test
    void textTableOfTheLeadersLog() {
        Run run = Run.of(home, cluster.args("log", "--limit", "3"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("INDEX  TERM  DATA", lines.get(0));
        assertEquals("0      1     no-op", lines.get(1));
        assertEquals("1      1     {\"key\":\"k\",\"value\":\"v\"}", lines.get(2));
        assertTrue(lines.get(3).startsWith("2      1     {\"op\":\"add\",\"client_id\":\"seed\""), lines.get(3));
        assertEquals("3 entries (0-2) from Node2, applied index 9", lines.get(4));
        assertEquals(1, cluster.node("Node2").received("LOG").size(), "the leader, found by LEADER_INFO");
        assertTrue(cluster.node("Node1").received("LOG").isEmpty());
    }

    /** A keyed leader's stamp is part of the entry: the table shows who wrote, as it shows the time. */
    @Test
    void aStampedEntryShowsItsWriter() {
        cluster.seedBy("alice", "2026-11-26", "3.00", "EUR", "food", "ana", "");

        Run run = Run.of(home, cluster.args("log", "--from", "10"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(1).startsWith("10     1     {\"op\":\"add\",\"client_id\":\"seed\""), lines.get(1));
        assertTrue(lines.get(1).endsWith(",\"date\":\"2026-11-26\",\"by\":\"alice\"}"), lines.get(1));
    }

    @Test
    void pagesThroughEverythingFromAnIndex() throws Exception {
        cluster.log().pageLimit(3);

        Run run = Run.of(home, cluster.args("--json", "log", "--from", "2"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        JsonNode entries = doc.get("entries");
        assertEquals(8, entries.size(), "2..9");
        assertEquals(2, entries.get(0).get("index").asLong());
        assertEquals(9, entries.get(7).get("index").asLong());
        assertEquals("add", entries.get(0).get("data").get("op").asText());
        assertEquals(2, entries.get(7).get("term").asLong());
        assertEquals(9, doc.get("applied_index").asLong());
        assertEquals(0, doc.get("first_index").asLong());
        assertEquals("Node2", doc.get("node").asText());
        List<ControllerMessage> asked = cluster.node("Node2").received("LOG");
        assertEquals(List.of(2L, 5L, 8L), asked.stream().map(m -> m.value().get("from").asLong()).toList());
    }

    @Test
    void limitAcrossPages() throws Exception {
        cluster.log().pageLimit(2);

        Run run = Run.of(home, cluster.args("--json", "log", "--limit", "5"));

        assertEquals(5, Codec.readTree(run.out()).get("entries").size());
        assertEquals(3, cluster.node("Node2").received("LOG").size());
    }

    @Test
    void askOneNode() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "log", "--node", "Node5", "--from", "9"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node5", doc.get("node").asText());
        assertEquals(1, doc.get("entries").size());
        assertEquals(1, cluster.node("Node5").received().size(), "no LEADER_INFO round");
    }

    @Test
    void pastTheEndIsEmpty() {
        Run run = Run.of(home, cluster.args("log", "--from", "50", "--node", "Node1"));

        assertEquals(0, run.code(), run.err());
        assertEquals("no entries from Node1, applied index 9", run.out().strip());
    }

    @Test
    void usageErrors() {
        Run node = Run.of(home, cluster.args("log", "--node", "Node9"));
        Run from = Run.of(home, cluster.args("log", "--from", "-1"));
        Run limit = Run.of(home, cluster.args("log", "--limit", "0"));

        assertEquals(2, node.code());
        assertTrue(node.err().startsWith("raftctl: unknown node 'Node9'; known: Node1, Node2, Node3, Node4, Node5"),
                node.err());
        assertEquals(2, from.code());
        assertEquals(2, limit.code());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void aSilentNodeIsExitStatusOne() {
        cluster.node("Node4").silent();

        Run run = Run.of(home, cluster.args("log", "--node", "Node4"));

        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("raftctl: log: LOG: no node answered"), run.err());
    }
}
