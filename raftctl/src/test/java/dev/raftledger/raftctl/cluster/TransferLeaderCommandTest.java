package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferLeaderCommandTest extends FakeClusterTest {

    /** Node3 leads term 5; on TRANSFER_LEADER, {@code successor} takes over in term 6. */
    private void handOverTo(String successor) {
        cluster.electLeader("Node3", 5);
        cluster.node("Node3").once("TRANSFER_LEADER", request -> {
            ControllerMessage reply = cluster.node("Node3").transferring(request);
            cluster.electLeader(successor, 6);
            return reply;
        });
    }

    @Test
    void handsLeadershipToTheNamedFollowerAndWaitsForIt() throws Exception {
        handOverTo("Node4");

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node4"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().strip().matches("leadership moved from Node3 \\(term 5\\) to Node4 \\(term 6\\) in \\d+ ms"),
                run.out());
        List<ControllerMessage> asked = cluster.received("TRANSFER_LEADER");
        assertEquals(1, asked.size(), "sent once, to the leader only");
        assertEquals("Node4", asked.get(0).value().get("to").asText());
    }

    @Test
    void withoutATargetTheLeaderChoosesAndJsonSaysWho() throws Exception {
        handOverTo("Node1");

        Run run = Run.of(home, cluster.args("transfer-leader", "--json"));

        assertEquals(0, run.code(), run.err());
        assertNull(cluster.received("TRANSFER_LEADER").get(0).value(), "no target: the leader picks");
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(List.of("from", "term_before", "requested", "chosen", "leader", "term", "took_ms", "transferred",
                "error"), HealthCommandTest.fields(doc));
        assertEquals("Node3", doc.get("from").asText());
        assertEquals(5, doc.get("term_before").asLong());
        assertTrue(doc.get("requested").isNull());
        assertEquals("Node1", doc.get("leader").asText());
        assertEquals(6, doc.get("term").asLong());
        assertTrue(doc.get("transferred").asBoolean());
        assertTrue(doc.get("error").isNull());
    }

    @Test
    void aRefusalIsReportedWithTheLeadersReason() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node3").once("TRANSFER_LEADER",
                r -> cluster.node("Node3").error("UNREACHABLE", "Node2 has not answered in the last 200 ms"));

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node2"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node3 refused: UNREACHABLE: Node2 has not answered"), run.err());
    }

    @Test
    void aTransferThatDoesNotHappenFailsAfterTheTimeout() throws Exception {
        cluster.electLeader("Node3", 5); // the leader accepts, but nobody takes over

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node2", "--timeout", "300ms"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("no majority named a new leader within 300ms"), run.err());
    }

    @Test
    void anotherNodeWinningIsNotSuccessWhenATargetWasNamed() throws Exception {
        handOverTo("Node5");

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node4"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node5 took over, not Node4"), run.err());
    }

    @Test
    void askingTheLeaderToTakeOverFromItselfChangesNothing() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node3").once("TRANSFER_LEADER", r -> {
            ControllerMessage m = cluster.node("Node3").transferring(r);
            return new ControllerMessage(m.senderName(), m.request(), m.term(),
                    com.fasterxml.jackson.databind.node.TextNode.valueOf("UNCHANGED"), m.value());
        });

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node3"));

        assertEquals(0, run.code(), run.err());
        assertEquals("Node3 already leads (term 5): nothing to do", run.out().strip());
    }

    @Test
    void anUnknownNodeIsAUsageErrorAndNothingIsSent() throws Exception {
        cluster.electLeader("Node3", 5);

        Run run = Run.of(home, cluster.args("transfer-leader", "--to", "Node9"));

        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown node 'Node9'"), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void noLeaderMeansNothingToTransfer() throws Exception {
        Run run = Run.of(home, cluster.args("transfer-leader"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("no leader to transfer from"), run.err());
        assertTrue(cluster.received("TRANSFER_LEADER").isEmpty());
    }
}
