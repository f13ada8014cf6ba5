package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.core.Timings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The course's own controllers against one node (issue 10; facts in shared/protocol.md, "What
 * five public controllers and test drivers of the course actually do"). Each request below is a
 * shape one of them sends, with a comment naming where it came from; each is sent as a real
 * datagram and read back as those controllers read: one datagram, into 1024 bytes, where the
 * convention expects a reply, and nothing otherwise. A reply where none is expected would be
 * read as the answer to the next request, so after each request that gets none the next
 * LEADER_INFO must be answered by its own reply, never one behind.
 */
@Timeout(60)
class CourseControllersTest {

    /** No timer fires during a test: only the requests move the node. */
    private static final Timings STILL = new Timings(10_000, 20_000, 30_000);

    /** A request and what the convention (or the project, for errors) answers: null where nothing. */
    private record Vector(String source, String datagram, String replyRequest, String replyKey) {}

    /** One-node cluster: a TIMEOUT makes it leader, a STORE commits at once. */
    private static final List<Vector> ONE_NODE = List.of(
            // template Message.json: every field null, sender "Controller"; no reply is read after TIMEOUT
            new Vector("template TIMEOUT", "{\"sender_name\": \"Controller\", \"request\": \"TIMEOUT\", \"term\": null, \"key\": null, \"value\": null}",
                    null, null),
            new Vector("template LEADER_INFO", "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                    "LEADER_INFO", "LEADER"),
            // controllers that spell the sender in capitals
            new Vector("sender CONTROLLER", "{\"sender_name\": \"CONTROLLER\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                    "LEADER_INFO", "LEADER"),
            // the controller whose every write was lost: term "NULL" was refused as MALFORMED
            new Vector("STORE term \"NULL\"", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": \"a\", \"value\": \"1\"}",
                    "STORE", "COMMITTED"),
            // the same with "", Python's None as text, a float and a negative number (seen in the issue)
            new Vector("STORE term \"\"", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"\", \"key\": \"b\", \"value\": \"2\"}",
                    "STORE", "COMMITTED"),
            new Vector("STORE term \"None\"", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"None\", \"key\": \"c\", \"value\": \"3\"}",
                    "STORE", "COMMITTED"),
            new Vector("STORE term 1.0", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": 1.0, \"key\": \"d\", \"value\": \"4\"}",
                    "STORE", "COMMITTED"),
            new Vector("STORE term -1", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": -1, \"key\": \"e\", \"value\": \"5\"}",
                    "STORE", "COMMITTED"),
            // key/value initialised to "" by some controllers: stored as sent
            new Vector("STORE \"\" key and value", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": null, \"key\": \"\", \"value\": \"\"}",
                    "STORE", "COMMITTED"),
            // JSON numbers and objects as key/value (drivers that STORE counters or records)
            new Vector("STORE numbers", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": 0, \"key\": 7, \"value\": 42}",
                    "STORE", "COMMITTED"),
            new Vector("STORE object", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": null, \"key\": \"rec\", \"value\": {\"a\": 1}}",
                    "STORE", "COMMITTED"),
            // the template's STORE with its null key or value left in: nothing to store, refused
            new Vector("STORE null value", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": null, \"key\": \"k\", \"value\": null}",
                    "ERROR", "MALFORMED"),
            // RETRIEVE with odd key/value shapes: they are not used
            new Vector("RETRIEVE key object", "{\"sender_name\": \"Controller\", \"request\": \"RETRIEVE\", \"term\": \"NULL\", \"key\": {\"k\": 1}, \"value\": 3}",
                    "RETRIEVE", "COMMITED_LOGS"),
            // an invented request that blocks until one datagram comes back
            new Vector("invented ALL_INFO", "{\"sender_name\": \"Controller\", \"request\": \"ALL_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                    "ERROR", "UNKNOWN_REQUEST"),
            // what cannot be read at all is still answered (a controller may block on it)
            new Vector("not JSON", "LEADER_INFO please", "ERROR", "MALFORMED"),
            new Vector("request a number", "{\"sender_name\": \"Controller\", \"request\": 5, \"term\": null}", "ERROR", "MALFORMED"),
            // template CONVERT_FOLLOWER: no reply is read after it
            new Vector("template CONVERT_FOLLOWER", "{\"sender_name\": \"Controller\", \"request\": \"CONVERT_FOLLOWER\", \"term\": null, \"key\": null, \"value\": null}",
                    null, null),
            new Vector("after CONVERT_FOLLOWER", "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                    "LEADER_INFO", "LEADER"));

    private static final String LEADER_INFO = "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}";

    @Test
    void eachShapeIsAnsweredAsTheConventionExpectsAndNeverOneBehind() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(List.of("Node1"), STILL);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            for (Vector v : ONE_NODE) {
                c.send(v.datagram());
                if (v.replyRequest() == null) {
                    // the next datagram must be the reply to the next request
                    ControllerMessage next = c.ask(LEADER_INFO);
                    assertEquals("LEADER_INFO", next.request(), v.source() + ": a reply no controller reads: " + next);
                    continue;
                }
                ControllerMessage reply = c.read();
                assertEquals(v.replyRequest(), reply.request(), v.source() + ": " + reply);
                assertEquals(v.replyKey(), reply.keyText(), v.source() + ": " + reply);
            }
            assertNull(c.read(200), "one reply per request, no more");
        }
    }

    /** The first TIMEOUT made the node leader; the leader's name is the LEADER_INFO reply's value. */
    @Test
    void aStoreWithTermNullIsRetrievedAsSentAndTheReplyFitsTheControllersBuffer() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(List.of("Node1"), STILL);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            c.send("{\"sender_name\": \"Controller\", \"request\": \"TIMEOUT\", \"term\": null, \"key\": null, \"value\": null}");
            assertEquals("Node1", c.ask(LEADER_INFO).valueText(), "TIMEOUT made the one node leader, unanswered");
            String[] stores = {
                "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": \"x\", \"value\": \"1\"}",
                "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": 7, \"value\": 42}",
                "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": \"rec\", \"value\": {\"a\": [1, null]}}",
                "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": \"\", \"value\": \"\"}"};
            for (String s : stores) {
                ControllerMessage r = c.ask(s);
                assertEquals("STORE", r.request(), r.toString());
                assertEquals("COMMITTED", r.keyText(), r.toString());
            }
            ControllerMessage all = c.ask("{\"sender_name\": \"Controller\", \"request\": \"RETRIEVE\", \"term\": \"NULL\", \"key\": null, \"value\": null}");
            assertEquals("COMMITED_LOGS", all.keyText());
            JsonNode logs = all.value();
            assertEquals(4, logs.size(), logs.toString());
            for (int i = 0; i < stores.length; i++) {
                JsonNode sent = Codec.readTree(stores[i]);
                assertEquals(sent.get("key"), logs.get(i).get("key"), "stored as sent: " + logs.get(i));
                assertEquals(sent.get("value"), logs.get(i).get("value"), "stored as sent: " + logs.get(i));
                assertEquals(1, logs.get(i).get("term").asLong());
            }
            assertTrue(Codec.encode(all).length <= ControllerPortHarness.CONTROLLER_BUFFER);
        }
    }

    /**
     * The controller that sends a node's LEADER_INFO reply back to the leader with request
     * CONVERT_FOLLOWER: the leader steps down, and the controller, which reads nothing after
     * CONVERT_FOLLOWER, gets nothing.
     */
    @Test
    void theEchoedLeaderInfoReplyMakesTheLeaderStepDownUnanswered() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(
                List.of("Node1", "Node2", "Node3", "Node4", "Node5"), STILL);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            node.elect(c);
            ControllerMessage info = awaitLeader(c, "Node1");
            ControllerMessage echo = new ControllerMessage(info.senderName(), "CONVERT_FOLLOWER", info.term(), info.key(),
                    info.value());
            c.send(new String(Codec.encode(echo), java.nio.charset.StandardCharsets.UTF_8));
            ControllerMessage after = c.ask(LEADER_INFO);
            assertEquals("LEADER_INFO", after.request(), "no reply to CONVERT_FOLLOWER: " + after);
            assertNull(after.valueText(), "the leader stepped down: " + after);
            assertEquals(info.term(), after.term(), "keeping its term");
            assertNull(c.read(200));
        }
    }

    /** raftctl still gets its acknowledgements: it asks with "ack": true. */
    @Test
    void aRequestAskingForAnAckIsAcknowledged() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(
                List.of("Node1", "Node2", "Node3", "Node4", "Node5"), STILL);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            ControllerMessage timeout = c.ask("{\"sender_name\":\"Controller\",\"request\":\"TIMEOUT\",\"ack\":true}");
            assertEquals("TIMEOUT", timeout.request());
            assertEquals("candidate", timeout.valueText());
            ControllerMessage follower = c.ask("{\"sender_name\":\"Controller\",\"request\":\"CONVERT_FOLLOWER\",\"ack\":true}");
            assertEquals("follower", follower.valueText());
            ControllerMessage stop = c.ask("{\"sender_name\":\"Controller\",\"request\":\"SHUTDOWN\",\"ack\":true}");
            assertEquals("SHUTDOWN", stop.request());
            assertEquals("stopping", stop.valueText());
        }
    }

    /** SHUTDOWN from a plain controller stops the node and sends nothing (one took "stopping" for a host name). */
    @Test
    void aPlainShutdownStopsTheNodeUnanswered() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(List.of("Node1"), STILL);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            c.send("{\"sender_name\": \"Controller\", \"request\": \"SHUTDOWN\", \"term\": null, \"key\": null, \"value\": null}");
            assertTrue(node.awaitStopped(5_000), "SHUTDOWN stops the node");
            assertNull(c.read(300), "no reply to a plain SHUTDOWN");
        }
    }

    /**
     * A request answered with ERROR was refused, not dropped: the log says so (it said "dropped a
     * malformed datagram" for requests it answered). One request per node: the listener logs
     * bad input at most once a second.
     */
    @Test
    void aRefusedRequestIsLoggedAsRefusedAndAnswered() throws Exception {
        String[][] cases = {
            {"{\"sender_name\": \"Controller\", \"request\": \"ALL_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                "refused an unknown request", "(answered ERROR UNKNOWN_REQUEST)"},
            {"{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\"", "refused a malformed request",
                "(answered ERROR MALFORMED)"}};
        java.io.PrintStream stderr = System.err;
        for (String[] c : cases) {
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            try (ControllerPortHarness node = new ControllerPortHarness(List.of("Node1"), STILL);
                 ControllerPortHarness.Controller controller = new ControllerPortHarness.Controller(node.address())) {
                assertEquals("ERROR", controller.ask(c[0]).request());
            } finally {
                System.setErr(stderr);
            }
            String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(log.contains(c[1]) && log.contains(c[2]), log);
            assertTrue(!log.contains("dropped"), log);
        }
    }

    /** Polls LEADER_INFO until {@code leader} is named (votes are handed to the loop asynchronously). */
    static ControllerMessage awaitLeader(ControllerPortHarness.Controller c, String leader) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            ControllerMessage info = c.ask(LEADER_INFO);
            if (leader.equals(info.valueText()) || System.nanoTime() > deadline) {
                assertEquals(leader, info.valueText(), info.toString());
                return info;
            }
        }
    }
}
