package dev.raftledger.raftctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeCommandTest extends FakeClusterTest {

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node3", 5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timeout          | TIMEOUT          | Node2 started an election: state candidate, term 6",
        "convert-follower | CONVERT_FOLLOWER | Node2 was told to step down: state follower, term 5",
        "shutdown         | SHUTDOWN         | Node2 is shutting down: state stopping, term 5",
        "kill             | SHUTDOWN         | Node2 is shutting down: state stopping, term 5"})
    void sendsTheRequestToThatNodeOnlyAndReportsItsReply(String command, String request, String expected) {
        Run run = Run.of(home, cluster.args(command, "Node2"));

        assertEquals(0, run.code(), run.err());
        assertEquals(expected, run.out().strip());
        List<ControllerMessage> got = cluster.node("Node2").received();
        assertEquals(1, got.size(), "sent once");
        assertEquals(request, got.get(0).request());
        assertEquals(ControllerMessage.CONTROLLER, got.get(0).senderName());
        for (String other : List.of("Node1", "Node3", "Node4", "Node5")) {
            assertTrue(cluster.node(other).received().isEmpty(), other + " was not asked");
        }
    }

    @Test
    void jsonReportsNodeStateAndTerm() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "timeout", "Node2"));

        assertEquals(0, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node2", doc.get("node").asText());
        assertEquals("127.0.0.22", doc.get("address").asText());
        assertEquals("TIMEOUT", doc.get("request").asText());
        assertTrue(doc.get("ok").asBoolean());
        assertEquals("candidate", doc.get("state").asText());
        assertEquals(6, doc.get("term").asLong());
        assertTrue(doc.get("error").isNull());
    }

    @Test
    void silentNodeIsExitStatusOneWithAClearMessageAndOnlyOneTry() throws Exception {
        FakeNode node2 = cluster.node("Node2").silent();

        Run text = Run.of(home, cluster.args("timeout", "Node2"));

        assertEquals(1, text.code());
        assertEquals("raftctl: Node2 at 127.0.0.22:" + cluster.port() + " did not answer TIMEOUT: no reply within 200 ms",
                text.err().strip());
        assertEquals("", text.out());
        assertTrue(text.noStackTrace());
        assertEquals(List.of("TIMEOUT"), node2.awaitRequests(1, Duration.ofSeconds(5)),
                "a mutating request is never repeated");

        Run json = Run.of(home, cluster.args("timeout", "Node2", "--json"));
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(false, doc.get("ok").asBoolean());
        assertEquals("no reply within 200 ms", doc.get("error").asText());
    }

    @Test
    void refusalIsExitStatusOne() {
        FakeNode node4 = cluster.node("Node4");
        node4.replyWith(r -> node4.error("NOT_SUPPORTED", "not today"));

        Run run = Run.of(home, cluster.args("convert-follower", "Node4"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node4 at 127.0.0.24:" + cluster.port() + " refused: NOT_SUPPORTED: not today"),
                run.err());
    }

    @Test
    void unknownNodeIsAUsageErrorListingTheKnownNames() {
        Run run = Run.of(home, cluster.args("timeout", "Node9"));

        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown node 'Node9'; known: Node1, Node2, Node3, Node4, Node5"), run.err());
        assertTrue(run.noStackTrace(), run.err());
        cluster.nodes().forEach(n -> assertTrue(n.received().isEmpty(), "nothing was sent"));
    }

    @Test
    void missingNodeIsAUsageError() {
        Run run = Run.of(home, cluster.args("shutdown"));

        assertEquals(2, run.code());
        assertTrue(run.err().contains("Missing required parameter: 'NODE'"), run.err());
    }
}
