package dev.raftledger.common.wire;

import static dev.raftledger.common.wire.WireSamples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact shape of what a node writes: the field names and order of docs/protocol.md,
 * numbers as JSON numbers (never strings, even though strings are accepted on input) and the
 * controller convention's unused fields as explicit JSON nulls.
 */
class CodecOutputShapeTest {

    private static JsonNode encoded(Message m) throws Exception {
        return Codec.readTree(Codec.encode(m));
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertIntegralNumber(JsonNode o, String field, long expected) {
        JsonNode n = o.get(field);
        assertTrue(n != null && n.isIntegralNumber(), "'" + field + "' must be a JSON integer, got " + n);
        assertEquals(expected, n.longValue(), field);
    }

    private static void assertText(JsonNode o, String field, String expected) {
        JsonNode n = o.get(field);
        assertTrue(n != null && n.isTextual(), "'" + field + "' must be a JSON string, got " + n);
        assertEquals(expected, n.textValue(), field);
    }

    @Test
    void requestVoteHasTheSeedsFieldsInProtocolOrder() throws Exception {
        JsonNode o = encoded(RequestVote.of(3, "Node2", -1, 0));
        assertEquals(List.of("term", "candidateId", "last_log_index", "last_log_term", "sender_name", "request"),
                fieldNames(o));
        assertIntegralNumber(o, "term", 3);
        assertText(o, "candidateId", "Node2");
        assertIntegralNumber(o, "last_log_index", -1); // the seed writes "-1"; we write a number
        assertIntegralNumber(o, "last_log_term", 0);
        assertText(o, "sender_name", "Node2");
        assertText(o, "request", "VOTE_REQUEST");
    }

    @Test
    void grantedVoteAckWritesVoteAsNumberOneAndCarriesTheTerm() throws Exception {
        JsonNode o = encoded(new VoteAck(3, true, "Node4", "Node2"));
        assertEquals(List.of("vote", "from", "to", "request", "term"), fieldNames(o));
        assertIntegralNumber(o, "vote", 1);
        assertText(o, "from", "Node4");
        assertText(o, "to", "Node2");
        assertText(o, "request", "VOTE_ACK");
        assertIntegralNumber(o, "term", 3);
    }

    @Test
    void deniedVoteAckWritesVoteAsNumberZero() throws Exception {
        JsonNode o = encoded(new VoteAck(8, false, "Node1", "Node5"));
        assertIntegralNumber(o, "vote", 0);
        assertIntegralNumber(o, "term", 8);
    }

    @Test
    void appendEntryHasTheSeedsFieldsInProtocolOrder() throws Exception {
        JsonNode o = encoded(new AppendEntry(4, "Node2", 17, 3, "Node2"));
        assertEquals(List.of("term", "leaderId", "prev_log_index", "prev_log_term", "sender_name", "request"),
                fieldNames(o));
        assertIntegralNumber(o, "term", 4);
        assertText(o, "leaderId", "Node2");
        assertIntegralNumber(o, "prev_log_index", 17);
        assertIntegralNumber(o, "prev_log_term", 3);
        assertText(o, "sender_name", "Node2");
        assertText(o, "request", "APPEND_RPC");
    }

    @Test
    void controllerRequestWritesEveryUnusedFieldAsJsonNull() throws Exception {
        JsonNode o = encoded(ControllerMessage.request("LEADER_INFO"));
        assertEquals(List.of("sender_name", "request", "term", "key", "value"), fieldNames(o));
        assertText(o, "sender_name", "Controller");
        assertText(o, "request", "LEADER_INFO");
        // present and null, not absent: the convention's controllers index these fields
        for (String field : List.of("term", "key", "value")) {
            assertTrue(o.has(field), field + " must be present");
            assertTrue(o.get(field).isNull(), field + " must be JSON null, got " + o.get(field));
        }
    }

    @Test
    void controllerReplyWritesTermAsNumberAndKeyValueAsGivenJson() throws Exception {
        JsonNode status = json("{\"state\":\"follower\",\"term\":5,\"counters\":{\"a\":1}}");
        JsonNode o = encoded(new ControllerMessage("Node3", "STATUS", 5L, json("\"STATUS\""), status));
        assertEquals(List.of("sender_name", "request", "term", "key", "value"), fieldNames(o));
        assertIntegralNumber(o, "term", 5);
        assertText(o, "key", "STATUS");
        assertTrue(o.get("value").isObject());
        assertEquals(status, o.get("value"));
        assertIntegralNumber(o.get("value"), "term", 5);
    }

    @Test
    void numbersAreNeverQuotedInTheRawBytes() {
        String raw = new String(Codec.encode(new RequestVote(12, "Node3", -1, 0, "Node3")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(raw.contains("\"term\":12"), raw);
        assertTrue(raw.contains("\"last_log_index\":-1"), raw);
        assertTrue(raw.contains("\"last_log_term\":0"), raw);
    }

    @Test
    void encodingIsOneCompactJsonObject() {
        String raw = new String(Codec.encode(WireSamples.ACK_GRANTED), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(raw.startsWith("{") && raw.endsWith("}"), raw);
        assertTrue(raw.indexOf('\n') < 0, "one datagram, one line: " + raw);
    }

    /** A VoteAck's bytes, pinned: the voter's disk alarm rides on it only when raised, as on an AppendReply. */
    @Test
    void voteAckCarriesTheDiskAlarmOnlyWhenRaised() throws Exception {
        VoteAck plain = new VoteAck(5, true, "Node4", "Node2", true);
        assertEquals("{\"vote\":1,\"from\":\"Node4\",\"to\":\"Node2\",\"request\":\"VOTE_ACK\",\"term\":5,"
                + "\"pre_vote\":true}", new String(Codec.encode(plain), java.nio.charset.StandardCharsets.UTF_8));
        VoteAck alarmed = plain.withNoSpace();
        assertEquals("{\"vote\":1,\"from\":\"Node4\",\"to\":\"Node2\",\"request\":\"VOTE_ACK\",\"term\":5,"
                + "\"pre_vote\":true,\"no_space\":true}",
                new String(Codec.encode(alarmed), java.nio.charset.StandardCharsets.UTF_8));
        byte[] p = Codec.encode(plain);
        byte[] a = Codec.encode(alarmed);
        assertEquals(plain, Codec.decodePeer(p, 0, p.length));
        assertEquals(alarmed, Codec.decodePeer(a, 0, a.length));
        assertTrue(alarmed.noSpace() && alarmed.granted() && alarmed.preVote(), "the alarm keeps the rest");
    }

    /** An AppendReply's bytes, pinned; the disk alarm appears only when raised, so older nodes see the same bytes. */
    @Test
    void appendReplyCarriesTheDiskAlarmOnlyWhenRaised() throws Exception {
        AppendReply plain = AppendReply.accepted(4, "Node2", "Node1", 17).withReadSeq(3).withIncarnation(9);
        assertEquals("{\"term\":4,\"success\":true,\"from\":\"Node2\",\"to\":\"Node1\",\"match_index\":17,"
                + "\"reject_index\":-1,\"conflict_index\":-1,\"conflict_term\":0,\"read_seq\":3,\"incarnation\":9,"
                + "\"request\":\"APPEND_REPLY\"}",
                new String(Codec.encode(plain), java.nio.charset.StandardCharsets.UTF_8));
        AppendReply alarmed = plain.withNoSpace();
        assertEquals("{\"term\":4,\"success\":true,\"from\":\"Node2\",\"to\":\"Node1\",\"match_index\":17,"
                + "\"reject_index\":-1,\"conflict_index\":-1,\"conflict_term\":0,\"read_seq\":3,\"incarnation\":9,"
                + "\"no_space\":true,\"request\":\"APPEND_REPLY\"}",
                new String(Codec.encode(alarmed), java.nio.charset.StandardCharsets.UTF_8));
        byte[] p = Codec.encode(plain);
        byte[] a = Codec.encode(alarmed);
        assertEquals(plain, Codec.decodePeer(p, 0, p.length));
        assertEquals(alarmed, Codec.decodePeer(a, 0, a.length));
        assertEquals(alarmed.withReadSeq(5).withIncarnation(10), plain.withReadSeq(5).withIncarnation(10).withNoSpace(),
                "the alarm survives the other stamps");
    }

    /**
     * The feature level appears only when above 0, so a follower of a release before it sends the
     * same bytes as before and is read as level 0; a release before it reads a reply with it as
     * it always did (unknown fields are ignored: the release v0.1.0's decoder reads only the fields
     * it names).
     */
    @Test
    void appendReplyCarriesItsFeatureLevelOnlyWhenSaid() throws Exception {
        AppendReply plain = AppendReply.accepted(4, "Node2", "Node1", 17).withIncarnation(9);
        AppendReply said = plain.withFeatureLevel(1);
        assertEquals("{\"term\":4,\"success\":true,\"from\":\"Node2\",\"to\":\"Node1\",\"match_index\":17,"
                + "\"reject_index\":-1,\"conflict_index\":-1,\"conflict_term\":0,\"incarnation\":9,"
                + "\"feature_level\":1,\"request\":\"APPEND_REPLY\"}",
                new String(Codec.encode(said), java.nio.charset.StandardCharsets.UTF_8));
        byte[] p = Codec.encode(plain);
        byte[] s = Codec.encode(said);
        assertEquals(0, ((AppendReply) Codec.decodePeer(p, 0, p.length)).featureLevel());
        assertEquals(said, Codec.decodePeer(s, 0, s.length));
        assertEquals(said.withNoSpace().withReadSeq(2), plain.withNoSpace().withReadSeq(2).withFeatureLevel(1),
                "the level survives the other stamps");
        byte[] bad = "{\"term\":4,\"success\":true,\"from\":\"Node2\",\"to\":\"Node1\",\"match_index\":17,\"reject_index\":-1,\"conflict_index\":-1,\"conflict_term\":0,\"feature_level\":-1,\"request\":\"APPEND_REPLY\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(MalformedMessageException.class,
                () -> Codec.decodePeer(bad, 0, bad.length), "a negative level is malformed, as every counter");
    }
}
