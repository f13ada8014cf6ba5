package dev.raftledger.common.wire;

import static dev.raftledger.common.wire.WireSamples.decodeController;
import static dev.raftledger.common.wire.WireSamples.decodePeer;
import static dev.raftledger.common.wire.WireSamples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The message shapes the course's own controllers and test drivers send (issue 10, facts in
 * shared/protocol.md, "What five public controllers and test drivers of the course actually
 * do"), as test vectors: each decodes, whatever its term, sender_name, key and value, and keeps
 * its key and value as sent. A term that is not a usable number is read as null (a controller's
 * term means nothing to a node); peer messages stay strict.
 */
class CourseControllerShapesTest {

    /** One vector: where it comes from, the datagram, and what must be decoded from it. */
    private static Arguments shape(String source, String datagram, String sender, String request, Long term,
                                   String key, String value) {
        return Arguments.of(Named.of(source, datagram), sender, request, term, key, value);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                // the course template Message.json: every field null, sender "Controller"
                shape("template Message.json, LEADER_INFO",
                        "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                        "Controller", "LEADER_INFO", null, null, null),
                // controllers that spell the sender in capitals
                shape("sender CONTROLLER",
                        "{\"sender_name\": \"CONTROLLER\", \"request\": \"RETRIEVE\", \"term\": null, \"key\": null, \"value\": null}",
                        "CONTROLLER", "RETRIEVE", null, null, null),
                // a controller that fills term with the string "NULL" (its STOREs were refused before issue 10)
                shape("term \"NULL\" on STORE",
                        "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"NULL\", \"key\": \"k\", \"value\": \"v\"}",
                        "Controller", "STORE", null, "\"k\"", "\"v\""),
                // the same controller family: empty string and Python's None printed as a string
                shape("term \"\"",
                        "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"\", \"key\": \"k\", \"value\": \"v\"}",
                        "Controller", "STORE", null, "\"k\"", "\"v\""),
                shape("term \"None\"",
                        "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": \"None\", \"key\": \"k\", \"value\": \"v\"}",
                        "Controller", "STORE", null, "\"k\"", "\"v\""),
                // a controller that sends a float term (Python json.dumps of 1.0) and one that sends -1
                shape("term 1.0", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": 1.0, \"key\": \"k\", \"value\": \"v\"}",
                        "Controller", "STORE", null, "\"k\"", "\"v\""),
                shape("term -1", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": -1, \"key\": \"k\", \"value\": \"v\"}",
                        "Controller", "STORE", null, "\"k\"", "\"v\""),
                // a term as a JSON number: kept (it is ignored by the node all the same)
                shape("term 3", "{\"sender_name\": \"Controller\", \"request\": \"TIMEOUT\", \"term\": 3, \"key\": null, \"value\": null}",
                        "Controller", "TIMEOUT", 3L, null, null),
                // a numeric string, as the seed writes numbers
                shape("term \"5\"", "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": \"5\", \"key\": null, \"value\": null}",
                        "Controller", "LEADER_INFO", 5L, null, null),
                // a term far out of range, and as an object: ignored
                shape("term 2^63", "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": 9223372036854775808}",
                        "Controller", "LEADER_INFO", null, null, null),
                shape("term object", "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": {\"t\": 1}}",
                        "Controller", "LEADER_INFO", null, null, null),
                // key/value as empty strings (controllers that initialise fields with "")
                shape("key and value \"\"", "{\"sender_name\": \"Controller\", \"request\": \"RETRIEVE\", \"term\": null, \"key\": \"\", \"value\": \"\"}",
                        "Controller", "RETRIEVE", null, "\"\"", "\"\""),
                // key/value as JSON numbers and objects (drivers that STORE counters or records)
                shape("STORE numbers", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": null, \"key\": 7, \"value\": 42}",
                        "Controller", "STORE", null, "7", "42"),
                shape("STORE object", "{\"sender_name\": \"Controller\", \"request\": \"STORE\", \"term\": null, \"key\": \"rec\", \"value\": {\"a\": 1, \"b\": [true, null]}}",
                        "Controller", "STORE", null, "\"rec\"", "{\"a\":1,\"b\":[true,null]}"),
                shape("RETRIEVE with a key object", "{\"sender_name\": \"Controller\", \"request\": \"RETRIEVE\", \"term\": null, \"key\": {\"k\": 1}, \"value\": null}",
                        "Controller", "RETRIEVE", null, "{\"k\":1}", null),
                // the controller that echoes a node's LEADER_INFO reply back to the leader as CONVERT_FOLLOWER
                shape("echoed LEADER_INFO reply as CONVERT_FOLLOWER",
                        "{\"sender_name\": \"Node2\", \"request\": \"CONVERT_FOLLOWER\", \"term\": 4, \"key\": \"LEADER\", \"value\": \"Node2\"}",
                        "Node2", "CONVERT_FOLLOWER", 4L, "\"LEADER\"", "\"Node2\""),
                // invented requests (e.g. ALL_INFO) that block for one datagram: decoded, answered UNKNOWN_REQUEST
                shape("invented ALL_INFO", "{\"sender_name\": \"Controller\", \"request\": \"ALL_INFO\", \"term\": null, \"key\": null, \"value\": null}",
                        "Controller", "ALL_INFO", null, null, null),
                // a sender_name that is not a string is ignored, not refused
                shape("sender_name a number", "{\"sender_name\": 7, \"request\": \"LEADER_INFO\"}", null, "LEADER_INFO", null, null, null),
                shape("sender_name an object", "{\"sender_name\": {}, \"request\": \"LEADER_INFO\"}", null, "LEADER_INFO", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void eachShapeDecodes(String datagram, String sender, String request, Long term, String key, String value)
            throws Exception {
        ControllerMessage m = decodeController(datagram);
        assertEquals(sender, m.senderName());
        assertEquals(request, m.request());
        assertEquals(term, m.term());
        assertEquals(key == null ? null : json(key), m.key());
        assertEquals(value == null ? null : json(value), m.value());
        assertFalse(m.ack(), "the convention's messages never ask for an acknowledgement");
    }

    /** Not the 42-digit literal: a number that long is refused by the parser as not JSON, in any field. */
    static Stream<String> unusableNumbers() {
        return CodecMalformedInputTest.BAD_NUMBERS.stream().filter(v -> !v.matches("[0-9]{33,}"));
    }

    /** Every value a peer message refuses as a number is, as a controller's term, just ignored. */
    @ParameterizedTest
    @MethodSource("unusableNumbers")
    void aTermThatIsNoUsableNumberIsIgnoredOnControllerRequests(String term) throws Exception {
        ControllerMessage m = decodeController("{\"sender_name\":\"Controller\",\"request\":\"STORE\",\"term\":" + term
                + ",\"key\":\"k\",\"value\":\"v\"}");
        assertNull(m.term(), term);
        assertEquals("STORE", m.request());
        assertEquals("k", m.keyText());
    }

    @Test
    void peerMessagesStayStrictAboutTheirTerm() {
        for (String term : new String[] {"\"NULL\"", "\"\"", "\"None\"", "1.0", "-1", "null"}) {
            assertThrows(MalformedMessageException.class, () -> decodePeer("{\"term\":" + term
                    + ",\"candidateId\":\"Node2\",\"last_log_index\":-1,\"last_log_term\":0,\"sender_name\":\"Node2\","
                    + "\"request\":\"VOTE_REQUEST\"}"), term);
        }
    }

    /**
     * docs/protocol.md, "What a RETRIEVE reply costs": envelope 80 bytes + the node's name + the
     * digits of its term; each entry with string key and value 30 + digits(term) + |K| + |V|
     * with its comma (the first has none); 15 entries of 8+20 characters fit 1024 bytes, 16 do not.
     */
    @Test
    void aRetrieveReplyCostsWhatTheProtocolDocSays() {
        com.fasterxml.jackson.databind.node.ArrayNode logs = Codec.objectNode().arrayNode();
        java.util.function.IntSupplier size = () -> Codec.encode(new ControllerMessage("Node1", "RETRIEVE", 3L,
                com.fasterxml.jackson.databind.node.TextNode.valueOf("COMMITED_LOGS"), logs)).length;
        assertEquals(80 + "Node1".length() + 1, size.getAsInt());
        int expected = 80 + 5 + 1 - 1;
        for (int n = 1; n <= 16; n++) {
            String key = String.format("key%05d", n);
            String value = "v".repeat(20);
            logs.addObject().put("term", 3).put("key", key).put("value", value);
            expected += 30 + 1 + key.length() + value.length();
            assertEquals(expected, size.getAsInt(), n + " entries");
            assertEquals(n <= 15, size.getAsInt() <= 1024, n + " entries in 1024 bytes");
        }
    }

    /** raftctl's acknowledgement request: only a JSON true asks; it round-trips; the convention's shape has none. */
    @Test
    void ackIsReadOnlyAsJsonTrueAndWrittenOnlyWhenSet() throws Exception {
        assertTrue(decodeController("{\"request\":\"TIMEOUT\",\"ack\":true}").ack());
        for (String notTrue : new String[] {"false", "null", "1", "\"true\"", "{}"}) {
            assertFalse(decodeController("{\"request\":\"TIMEOUT\",\"ack\":" + notTrue + "}").ack(), notTrue);
        }
        ControllerMessage asking = ControllerMessage.request("SHUTDOWN").withAck();
        byte[] wire = Codec.encode(asking);
        assertEquals(asking, WireSamples.decodeController(wire));
        JsonNode tree = json(new String(wire, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(true, tree.get("ack").booleanValue());
        assertFalse(json(new String(Codec.encode(ControllerMessage.request("SHUTDOWN")),
                java.nio.charset.StandardCharsets.UTF_8)).has("ack"), "plain requests and replies carry no ack");
    }
}
