package dev.raftledger.raftctl.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreRetrieveTest extends FakeClusterTest {

    @Test
    void storeGoesToTheLeaderAndReportsWhereItCommitted() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.log().appendNoop(5);

        Run text = Run.of(home, cluster.args("store", "k", "v"));
        Run json = Run.of(home, cluster.args("--json", "store", "k2", "v2"));

        assertEquals(0, text.code(), text.err());
        assertEquals("stored k=v at index 1, term 5 (leader Node3)", text.out().strip());
        assertEquals(0, json.code(), json.err());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("k2", doc.get("key").asText());
        assertEquals("v2", doc.get("value").asText());
        assertEquals(2, doc.get("index").asLong());
        assertEquals(5, doc.get("term").asLong());
        assertEquals("Node3", doc.get("node").asText());
        assertEquals(2, cluster.node("Node3").received("STORE").size());
        assertEquals(0, cluster.node("Node1").received("STORE").size(), "only a named leader gets a STORE");
    }

    @Test
    void storeFollowsARedirectWhenLeadershipMovesBeforeItArrives() throws Exception {
        cluster.electLeader("Node3", 5);
        FakeNode old = cluster.node("Node3");
        old.once("STORE", r -> {
            cluster.electLeader("Node5", 6);
            return old.reply(r); // now a follower: LEADER_INFO Node5, nothing stored
        });

        Run run = Run.of(home, cluster.args("store", "k", "v"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("(leader Node5)"), run.out());
        assertEquals(1, cluster.log().stores().size());
    }

    @Test
    void aStoreWhoseReplyIsLostIsNotSentAgain() {
        cluster.electLeader("Node2", 4);
        FakeNode leader = cluster.node("Node2");
        leader.once("STORE", leader.loseReply());

        Run run = Run.of(home, cluster.args("--write-timeout-ms", "400", "store", "k", "v"));

        assertEquals(1, run.code());
        assertEquals(1, leader.received("STORE").size(), "at most once: STORE has no client id");
        assertEquals(1, cluster.log().stores().size());
        assertTrue(run.err().contains("STORE: leader Node2 did not answer"), run.err());
        assertTrue(run.err().contains("may or may not have stored it"), run.err());
    }

    @Test
    void storeNotCommittedIsAnUnknownOutcome() throws Exception {
        cluster.electLeader("Node2", 4);
        FakeNode leader = cluster.node("Node2");
        leader.once("STORE", leader.notCommitted());

        Run run = Run.of(home, cluster.args("store", "k", "v"));

        assertEquals(1, run.code());
        assertEquals(1, leader.received("STORE").size());
        assertTrue(run.err().contains("NOT_COMMITTED"), run.err());
    }

    @Test
    void storeWithoutALeaderSendsNothing() {
        Run run = Run.of(home, cluster.args("store", "k", "v"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("no leader"), run.err());
        assertTrue(run.err().contains("nothing was sent"), run.err());
        assertTrue(cluster.received("STORE").isEmpty());
    }

    @Test
    void aStoreRefusedDuringAHandOverIsSentToTheNewLeader() throws Exception {
        cluster.electLeader("Node1", 2);
        FakeNode leader = cluster.node("Node1");
        leader.once("STORE", r -> {
            cluster.electLeader("Node2", 3);
            return leader.error("TRANSFERRING", "STORE not taken: leadership is being handed to Node2");
        });

        Run run = Run.of(home, cluster.args("store", "k", "v"));

        assertEquals(0, run.code(), run.err());
        assertEquals(1, cluster.node("Node2").received("STORE").size());
        assertEquals(1, cluster.log().stores().size(), "stored once: the refusal stored nothing");
    }

    @Test
    void storeRefusedByTheLeader() {
        cluster.electLeader("Node1", 2);
        FakeNode leader = cluster.node("Node1");
        leader.once("STORE", r -> leader.error("MALFORMED", "STORE needs both key and value"));

        Run run = Run.of(home, cluster.args("store", "k", "v"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node1 refused STORE: MALFORMED: STORE needs both key and value"), run.err());
    }

    @Test
    void retrieveListsTheStoresOfTheLeader() throws Exception {
        cluster.electLeader("Node4", 2);
        cluster.log().appendStore(1, Codec.readTree("\"a\""), Codec.readTree("\"1\""));
        cluster.log().appendNoop(2);
        cluster.log().appendStore(2, Codec.readTree("\"b\""), Codec.readTree("\"two words\""));

        Run text = Run.of(home, cluster.args("retrieve"));
        assertEquals(1, cluster.node("Node1").received("RETRIEVE").size(), "Node1 first, which redirected");
        assertEquals(1, cluster.node("Node4").received("RETRIEVE").size());
        Run json = Run.of(home, cluster.args("retrieve", "--json"));

        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals(List.of("TERM  KEY  VALUE", "1     a    1", "2     b    two words",
                "2 stored values (leader Node4)"), lines);
        JsonNode entries = Codec.readTree(json.out()).get("entries");
        assertEquals(2, entries.size());
        assertEquals(1, entries.get(0).get("term").asLong());
        assertEquals("a", entries.get(0).get("key").asText());
        assertEquals("two words", entries.get(1).get("value").asText());
    }

    @Test
    void retrieveWithEveryNodeDown() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("retrieve"));

        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("raftctl: RETRIEVE: no node answered"), run.err());
        assertTrue(run.noStackTrace());
    }
}
