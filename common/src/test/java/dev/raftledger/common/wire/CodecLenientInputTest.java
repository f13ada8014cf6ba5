package dev.raftledger.common.wire;

import static dev.raftledger.common.wire.WireSamples.decodeController;
import static dev.raftledger.common.wire.WireSamples.decodePeer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Input accepted in the shapes the seed and the controller convention actually send. */
class CodecLenientInputTest {

    @Test
    void seedRequestVoteWithStringNumbersIsAccepted() throws Exception {
        // the seed writes last_log_index as a string
        PeerMessage m = decodePeer("{\"term\": 3, \"candidateId\": \"Node2\", \"last_log_index\": \"-1\","
                + " \"last_log_term\": \"0\", \"sender_name\": \"Node2\", \"request\": \"VOTE_REQUEST\"}");
        assertEquals(RequestVote.of(3, "Node2", -1, 0), m);
    }

    @Test
    void termWrittenAsStringIsAccepted() throws Exception {
        PeerMessage m = decodePeer("{\"term\":\"3\",\"leaderId\":\"Node2\",\"prev_log_index\":\"-1\","
                + "\"prev_log_term\":\"0\",\"sender_name\":\"Node2\",\"request\":\"APPEND_RPC\"}");
        assertEquals(AppendEntry.heartbeat(3, "Node2", -1, 0), m);
    }

    @Test
    void numericStringsMayCarrySurroundingSpaces() throws Exception {
        PeerMessage m = decodePeer("{\"term\":\" 3 \",\"candidateId\":\"Node2\",\"last_log_index\":\" -1\","
                + "\"last_log_term\":\"0 \",\"sender_name\":\"Node2\",\"request\":\"VOTE_REQUEST\"}");
        assertEquals(RequestVote.of(3, "Node2", -1, 0), m);
    }

    @ParameterizedTest(name = "vote {0} -> granted={1}")
    @CsvSource(delimiter = '|', value = {
            "1       | true",
            "\"1\"   | true",
            "true    | true",
            "0       | false",
            "\"0\"   | false",
            "false   | false",
            "\" 1 \" | true"})
    void voteIsAcceptedAsNumberStringOrBoolean(String voteJson, boolean granted) throws Exception {
        PeerMessage m = decodePeer("{\"vote\":" + voteJson + ",\"from\":\"Node4\",\"to\":\"Node2\","
                + "\"request\":\"VOTE_ACK\",\"term\":3}");
        assertEquals(new VoteAck(3, granted, "Node4", "Node2"), m);
    }

    @Test
    void unknownExtraFieldsAreIgnored() throws Exception {
        PeerMessage m = decodePeer("{\"vote\":1,\"from\":\"Node4\",\"to\":\"Node2\",\"request\":\"VOTE_ACK\","
                + "\"term\":3,\"extra\":{\"nested\":[1,2,3]},\"comment\":\"hello\",\"n\":null}");
        assertEquals(new VoteAck(3, true, "Node4", "Node2"), m);
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        PeerMessage m = decodePeer("{\"request\":\"APPEND_RPC\",\"sender_name\":\"Node2\",\"prev_log_term\":0,"
                + "\"prev_log_index\":-1,\"leaderId\":\"Node2\",\"term\":3}");
        assertEquals(AppendEntry.heartbeat(3, "Node2", -1, 0), m);
    }

    @Test
    void theConventionsExactControllerExampleDecodes() throws Exception {
        ControllerMessage m = decodeController(
                "{\"sender_name\": \"Controller\", \"request\": \"LEADER_INFO\", \"term\": null, \"key\": null, \"value\": null}");
        assertEquals(ControllerMessage.request("LEADER_INFO"), m);
        assertNull(m.term());
        assertNull(m.keyText());
        assertNull(m.valueText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIMEOUT", "CONVERT_FOLLOWER", "SHUTDOWN", "STATUS", "SOMETHING_NEW"})
    void controllerRequestWithOnlyTheRequestFieldDecodes(String request) throws Exception {
        // a controller that leaves the null fields out entirely is still understood
        ControllerMessage m = decodeController("{\"request\":\"" + request + "\"}");
        assertEquals(new ControllerMessage(null, request, null, null, null), m);
    }

    @Test
    void controllerTermAcceptsANumericString() throws Exception {
        ControllerMessage m = decodeController("{\"sender_name\":\"Node1\",\"request\":\"LEADER_INFO\",\"term\":\"7\","
                + "\"key\":\"LEADER\",\"value\":\"Node1\"}");
        assertEquals(7L, m.term());
        assertEquals("LEADER", m.keyText());
        assertEquals("Node1", m.valueText());
    }

    @Test
    void largestTermAndIndexAreAccepted() throws Exception {
        long max = (1L << 53) - 1;
        PeerMessage m = decodePeer("{\"term\":" + max + ",\"candidateId\":\"Node2\",\"last_log_index\":\"" + max
                + "\",\"last_log_term\":" + max + ",\"sender_name\":\"Node2\",\"request\":\"VOTE_REQUEST\"}");
        assertEquals(RequestVote.of(max, "Node2", max, max), m);
    }

    @Test
    void sixtyFourCharacterNamesAreAccepted() throws Exception {
        String name = "N".repeat(64);
        PeerMessage m = decodePeer("{\"vote\":0,\"from\":\"" + name + "\",\"to\":\"" + name + "\",\"request\":\"VOTE_ACK\",\"term\":1}");
        assertEquals(new VoteAck(1, false, name, name), m);
    }

    @Test
    void datagramOfExactlyTheMaximumSizeIsAccepted() throws Exception {
        // padding with insignificant whitespace up to the limit, inclusive
        byte[] base = Codec.encode(WireSamples.REQUEST_VOTE);
        String padded = new String(base, java.nio.charset.StandardCharsets.UTF_8)
                + " ".repeat(Codec.MAX_DATAGRAM_BYTES - base.length);
        byte[] data = WireSamples.utf8(padded);
        assertEquals(Codec.MAX_DATAGRAM_BYTES, data.length);
        assertEquals(WireSamples.REQUEST_VOTE, decodePeer(data));
    }

    @Test
    void nestingUpToSixteenLevelsIsAccepted() throws Exception {
        // the message object is level 1, so an unknown field may hold 15 nested arrays
        String nested = "[".repeat(15) + "]".repeat(15);
        PeerMessage m = decodePeer("{\"vote\":1,\"from\":\"Node4\",\"to\":\"Node2\",\"request\":\"VOTE_ACK\","
                + "\"term\":3,\"x\":" + nested + "}");
        assertEquals(new VoteAck(3, true, "Node4", "Node2"), m);
    }
}
