package dev.raftledger.raftctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.ClientState;
import dev.raftledger.raftctl.FakeCluster;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once rule of ledger writes, against fake nodes that share one real ledger (with
 * its dedup table): whatever goes wrong, a write is retried with the same client id and seq,
 * and the ledger applies it once.
 */
class WriteRetryTest extends FakeClusterTest {

    private static final String[] ADD = {"expense", "add", "--amount", "12.50", "--currency", "EUR",
        "--category", "food", "--payer", "ana", "--date", "2026-11-25", "--description", "lunch"};

    private Run add(String... extra) {
        String[] args = new String[extra.length + ADD.length];
        System.arraycopy(extra, 0, args, 0, extra.length);
        System.arraycopy(ADD, 0, args, extra.length, ADD.length);
        return Run.of(home, cluster.args(args));
    }

    /** Every EXPENSE any node received carries the same client id and seq. */
    private void assertOneWrite(String clientId, long seq) {
        List<ControllerMessage> sent = cluster.received("EXPENSE");
        assertFalse(sent.isEmpty());
        for (ControllerMessage m : sent) {
            assertEquals(clientId, m.value().get("client_id").asText(), m.value().toString());
            assertEquals(seq, m.value().get("seq").asLong(), m.value().toString());
        }
    }

    @Test
    void lostReplyIsRetriedWithTheSameSeqAndAppliedOnce() throws Exception {
        cluster.electLeader("Node3", 5);
        FakeNode leader = cluster.node("Node3");
        leader.once("EXPENSE", leader.loseReply());

        Run run = add("--json", "--client-id", "c-lost");

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertTrue(doc.get("ok").asBoolean());
        assertEquals(2, leader.received("EXPENSE").size(), "the leader got the write twice");
        assertOneWrite("c-lost", 1);
        List<Expense> stored = cluster.log().expenses();
        assertEquals(1, stored.size(), "applied once");
        assertEquals(stored.get(0).id(), doc.get("id").asText(), "the retry got the first result");
        assertEquals("c-lost", doc.get("client_id").asText());
        assertEquals(1, doc.get("seq").asLong());
    }

    @Test
    void followerRedirectsToTheLeader() throws Exception {
        cluster.electLeader("Node3", 5);

        Run run = add("--json");

        assertEquals(0, run.code(), run.err());
        assertEquals(1, cluster.node("Node1").received("EXPENSE").size(), "nodes in order: Node1 first");
        assertEquals(1, cluster.node("Node3").received("EXPENSE").size(), "then the leader it named");
        assertTrue(cluster.node("Node2").received().isEmpty(), "no detour");
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node3", doc.get("node").asText());
        assertEquals(5, doc.get("term").asLong());
        assertEquals(0, doc.get("index").asLong());
        assertEquals("E0", doc.get("id").asText());
        assertOneWrite(doc.get("client_id").asText(), 1);
    }

    @Test
    void leaderChangeAfterApplyingGivesTheFirstResultFromTheNewLeader() throws Exception {
        cluster.electLeader("Node3", 5);
        FakeNode old = cluster.node("Node3");
        old.once("EXPENSE", r -> {
            old.reply(r); // applied, then the leader is deposed before it can answer
            cluster.electLeader("Node4", 6);
            return null;
        });

        Run run = add("--json", "--client-id", "c-change");

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node4", doc.get("node").asText());
        assertEquals(1, cluster.node("Node4").received("EXPENSE").size());
        assertOneWrite("c-change", 1);
        assertEquals(1, cluster.log().expenses().size(), "not double-booked");
        assertEquals(cluster.log().expenses().get(0).id(), doc.get("id").asText());
    }

    @Test
    void leaderChangeBeforeApplyingIsAppliedByTheNewLeader() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node3").once("EXPENSE", r -> {
            cluster.electLeader("Node2", 6);
            return null;
        });

        Run run = add();

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("added E0: 2026-11-25 12.50 EUR food, paid by ana: lunch"), run.out());
        assertEquals(1, cluster.log().expenses().size());
        assertEquals(1, cluster.node("Node2").received("EXPENSE").size());
    }

    @Test
    void aLeaderHandingOverIsAskedAgainAndTheWriteLandsOnce() throws Exception {
        cluster.electLeader("Node3", 5);
        FakeNode leader = cluster.node("Node3");
        leader.once("EXPENSE", r -> {
            cluster.electLeader("Node4", 6); // the hand-over completes while we back off
            return leader.error("TRANSFERRING", "EXPENSE not taken: leadership is being handed to Node4");
        });

        Run run = add("--json", "--client-id", "c-tr", "--seq", "7");

        assertEquals(0, run.code(), run.err());
        assertEquals(1, leader.received("EXPENSE").size());
        assertEquals(1, cluster.node("Node4").received("EXPENSE").size(), "the new leader took it");
        assertOneWrite("c-tr", 7);
        assertEquals(1, cluster.log().expenses().size());
    }

    @Test
    void notCommittedIsRetriedWithTheSameSeq() throws Exception {
        cluster.electLeader("Node3", 5);
        FakeNode leader = cluster.node("Node3");
        leader.once("EXPENSE", leader.notCommitted());

        Run run = add("--json", "--client-id", "c-nc", "--seq", "41");

        assertEquals(0, run.code(), run.err());
        assertEquals(2, leader.received("EXPENSE").size());
        assertOneWrite("c-nc", 41);
        assertEquals(1, cluster.log().expenses().size());
        assertEquals(41, Codec.readTree(run.out()).get("seq").asLong());
    }

    @Test
    void allNodesDownIsExitStatusOneWithTheRetryHint() throws Exception {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = add("--write-timeout-ms", "500", "--client-id", "c-down");

        assertEquals(1, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("raftctl: expense add: EXPENSE: no node answered: gave up after 500 ms"), run.err());
        assertTrue(run.err().contains("no reply within"), run.err());
        assertTrue(run.err().contains("may or may not have been applied"), run.err());
        assertTrue(run.err().contains("repeat the command with --client-id c-down --seq 1"), run.err());
        assertOneWrite("c-down", 1);
        assertTrue(run.noStackTrace(), run.err());
    }

    @Test
    void allNodesDownInJsonIsAnOutcomeUnknownDocument() throws Exception {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = add("--json", "--write-timeout-ms", "300");

        assertEquals(1, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertFalse(doc.get("ok").asBoolean());
        assertEquals("OUTCOME_UNKNOWN", doc.get("error").asText());
        assertTrue(doc.get("id").isNull());
        assertTrue(doc.get("client_id").asText().matches("raftctl-[0-9a-f]{12}"), doc.toString());
    }

    @Test
    void waitsForAnElectionWhenNoNodeKnowsALeader() throws Exception {
        FakeNode last = cluster.node("Node5");
        last.once("EXPENSE", r -> {
            ControllerMessage none = last.reply(r); // LEADER_INFO, no leader yet
            cluster.electLeader("Node2", 2);
            return none;
        });

        Run run = add("--json");

        assertEquals(0, run.code(), run.err());
        assertEquals(1, cluster.log().expenses().size());
        assertEquals("Node2", Codec.readTree(run.out()).get("node").asText());
        assertOneWrite(Codec.readTree(run.out()).get("client_id").asText(), 1);
    }

    @Test
    void noLeaderAtAllIsExitStatusOneAfterTheElectionWait() throws Exception {
        long start = System.nanoTime();

        Run run = add("--json");

        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("NO_LEADER", doc.get("error").asText());
        assertTrue(run.err().contains("no leader"), run.err());
        assertTrue(run.err().contains("knows no leader"), run.err());
        assertTrue(tookMs < 5_000, "bounded by the election wait, not the write budget: " + tookMs + " ms");
        assertTrue(cluster.log().expenses().isEmpty());
    }

    @Test
    void anErrorOtherThanNotCommittedIsFinal() throws Exception {
        cluster.electLeader("Node1", 5);
        FakeNode leader = cluster.node("Node1");
        leader.once("EXPENSE", r -> leader.error("INVALID", "category: must not be empty"));

        Run run = add();

        assertEquals(1, run.code());
        assertEquals(1, leader.received("EXPENSE").size(), "not retried");
        assertTrue(run.err().contains("Node1 refused EXPENSE: INVALID: category: must not be empty"), run.err());
    }

    @Test
    void redirectLoopsEndWithinTheBudget() {
        cluster.node("Node1").leader("Node2");
        cluster.node("Node2").leader("Node1");
        cluster.node("Node3").silent();
        cluster.node("Node4").silent();
        cluster.node("Node5").silent();

        Run run = add("--write-timeout-ms", "800");

        assertEquals(1, run.code());
        assertTrue(run.err().contains("redirected to"), run.err());
    }

    // ---- the router itself ------------------------------------------------------------------

    private LeaderRouter router(ClientState state) {
        ClusterSpec spec = ClusterSpec.parse(cluster.spec(), RaftctlCommand.portsFor(cluster.port()));
        return new LeaderRouter(spec, Duration.ofMillis(FakeCluster.TIMEOUT_MS), state);
    }

    private static ControllerMessage addRequest(String client, long seq) {
        ObjectNode c = Codec.objectNode();
        c.put("op", "add");
        c.put("client_id", client);
        c.put("seq", seq);
        c.put("amount", "3.00");
        c.put("currency", "USD");
        c.put("category", "coffee");
        c.put("payer", "bo");
        c.put("date", "2026-01-02");
        return new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSE", null, null, c);
    }

    @Test
    void theLastKnownLeaderIsTriedFirstAndRemembered() throws Exception {
        cluster.electLeader("Node4", 3);
        ClientState state = ClientState.of("c-r", null);
        LeaderRouter router = router(state);

        LeaderRouter.Reply first = router.write(addRequest("c-r", 1), "EXPENSE", Duration.ofSeconds(5));
        assertEquals("Node4", first.node().name());
        assertEquals("Node4", state.leader());
        int node1Before = cluster.node("Node1").received().size();
        LeaderRouter.Reply second = router.write(addRequest("c-r", 2), "EXPENSE", Duration.ofSeconds(5));

        assertEquals("Node4", second.node().name());
        assertEquals(1, second.attempts(), "straight to the remembered leader");
        assertEquals(node1Before, cluster.node("Node1").received().size());
        assertEquals(2, cluster.log().expenses().size());
    }

    @Test
    void aRetriedSeqIsAnsweredWithTheFirstResultEvenWhenSentAgainLater() throws Exception {
        cluster.electLeader("Node1", 1);
        LeaderRouter router = router(ClientState.of("c-dup", null));

        LeaderRouter.Reply a = router.write(addRequest("c-dup", 7), "EXPENSE", Duration.ofSeconds(5));
        LeaderRouter.Reply b = router.write(addRequest("c-dup", 7), "EXPENSE", Duration.ofSeconds(5));

        assertEquals(a.message().value().get("id"), b.message().value().get("id"));
        assertEquals(1, cluster.log().expenses().size());
    }

    @Test
    void aStaleReadGoesToWhicheverNodeAnswers() throws Exception {
        cluster.node("Node1").silent();
        ObjectNode q = Codec.objectNode();
        q.put("query", "list");
        q.putObject("filter");
        q.put("stale", true);
        LeaderRouter router = router(ClientState.of(null, null));

        LeaderRouter.Reply r = router.read(new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, q),
                "EXPENSES", true, Duration.ofSeconds(5));

        assertEquals("Node2", r.node().name(), "no leader needed");
    }

    @Test
    void locatingALeaderFailsClearlyWhenNoneIsKnown() {
        LeaderRouter router = router(ClientState.of(null, null));

        LeaderRouter.Failure f = assertThrows(LeaderRouter.Failure.class,
                () -> router.locateLeader("STORE", System.nanoTime() + Duration.ofSeconds(5).toNanos()));

        assertEquals(LeaderRouter.Failure.Kind.NO_LEADER, f.kind());
        assertTrue(f.getMessage().contains("knows no leader"), f.getMessage());
    }
}
