package dev.raftledger.common.wire;

import static dev.raftledger.common.wire.WireSamples.bytes;
import static dev.raftledger.common.wire.WireSamples.json;
import static dev.raftledger.common.wire.WireSamples.tree;
import static dev.raftledger.common.wire.WireSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad datagram is refused with {@link MalformedMessageException} and nothing else:
 * the driver catches exactly that exception, so any other one (a NullPointerException, a
 * Jackson exception leaking through, a NumberFormatException) would kill a listener thread.
 */
class CodecMalformedInputTest {

    private static Arguments bad(String description, byte[] data) {
        return Arguments.of(Named.of(description, data));
    }

    private static Arguments bad(String description, String json) {
        return bad(description, utf8(json));
    }

    private static void assertMalformedPeer(byte[] data) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> Codec.decodePeer(data, 0, data.length));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank(), "the reason is logged, so it must say something");
    }

    private static void assertMalformedController(byte[] data) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> Codec.decodeController(data, 0, data.length));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    // ---- garbage that is not a message at all, for both decoders ---------------------------------

    static Stream<Arguments> garbage() {
        byte[] valid = Codec.encode(WireSamples.REQUEST_VOTE);
        byte[] oversized = new byte[Codec.MAX_DATAGRAM_BYTES + 1];
        Arrays.fill(oversized, (byte) ' ');
        System.arraycopy(valid, 0, oversized, 0, valid.length); // a valid message plus padding
        return Stream.of(
                bad("empty datagram", new byte[0]),
                bad("whitespace only", " \n\t\r "),
                bad("JSON null", "null"),
                bad("JSON array", "[]"),
                bad("array of a valid message", "[" + new String(valid, java.nio.charset.StandardCharsets.UTF_8) + "]"),
                bad("JSON string", "\"str\""),
                bad("JSON number", "42"),
                bad("JSON boolean", "true"),
                bad("plain text", "hello"),
                bad("truncated object", "{\"term\":3,\"candidateId\":\"No"),
                bad("valid message missing its last byte", Arrays.copyOf(valid, valid.length - 1)),
                bad("only an opening brace", "{"),
                bad("single-quoted JSON", "{'request':'VOTE_REQUEST'}"),
                bad("unquoted field names", "{request:\"VOTE_REQUEST\"}"),
                bad("JSON with a comment", "/* hi */{\"request\":\"LEADER_INFO\"}"),
                bad("NaN literal", "{\"request\":\"LEADER_INFO\",\"term\":NaN}"),
                bad("invalid UTF-8 bytes", new byte[] {'{', '"', 'r', 'e', 'q', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}),
                bad("lone UTF-8 continuation byte", new byte[] {'{', '"', 'a', (byte) 0x80, '"', ':', '1', '}'}),
                bad("overlong UTF-8 encoding", new byte[] {'{', '"', 'a', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'}),
                bad("NUL bytes", new byte[] {0, 0, 0, 0}),
                bad("64,001-byte datagram", oversized),
                bad("1000 levels of arrays in a field", "{\"request\":\"VOTE_ACK\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                bad("1000 levels of objects in a field", "{\"request\":\"LEADER_INFO\",\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}"),
                bad("17 levels of nesting", "{\"request\":\"LEADER_INFO\",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}"),
                bad("1000 unclosed arrays", "{\"request\":\"VOTE_ACK\",\"x\":" + "[".repeat(1000)),
                bad("missing request", "{\"term\":3,\"candidateId\":\"Node2\"}"),
                bad("request null", "{\"request\":null,\"term\":3}"),
                bad("request as number", "{\"request\":5}"),
                bad("request as object", "{\"request\":{\"name\":\"VOTE_ACK\"}}"),
                bad("request as array", "{\"request\":[\"VOTE_ACK\"]}"),
                bad("empty object", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsMalformedForPeers(byte[] data) {
        assertMalformedPeer(data);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsMalformedForTheController(byte[] data) {
        assertMalformedController(data);
    }

    // ---- peer messages with bad fields ----------------------------------------------------------

    /** The fields of each peer message type, by kind. */
    private static final Map<PeerMessage, List<String>> NUMBER_FIELDS = Map.of(
            WireSamples.REQUEST_VOTE, List.of("term", "last_log_index", "last_log_term"),
            WireSamples.ACK_GRANTED, List.of("term"),
            WireSamples.APPEND_ENTRY, List.of("term", "prev_log_index", "prev_log_term"),
            WireSamples.TIMEOUT_NOW, List.of("term"),
            WireSamples.INSTALL_SNAPSHOT, List.of("term", "last_included_index", "last_included_term", "offset",
                    "total_size", "crc"),
            WireSamples.SNAPSHOT_ACK, List.of("term", "last_included_index", "next_offset"));
    private static final Map<PeerMessage, List<String>> NAME_FIELDS = Map.of(
            WireSamples.REQUEST_VOTE, List.of("candidateId", "sender_name"),
            WireSamples.ACK_GRANTED, List.of("from", "to"),
            WireSamples.APPEND_ENTRY, List.of("leaderId", "sender_name"),
            WireSamples.TIMEOUT_NOW, List.of("from", "to"),
            WireSamples.INSTALL_SNAPSHOT, List.of("leaderId"),
            WireSamples.SNAPSHOT_ACK, List.of("from", "to"));

    /** Values no number field accepts, whatever its minimum: wrong types, floats, out of range. */
    static final List<String> BAD_NUMBERS = List.of(
            "{}", "{\"n\":3}", "[]", "[3]", "true", "false", "3.5", "3.0", "1e3", "\"abc\"", "\"3.5\"",
            "\"\"", "\"  \"", "\"0x10\"", "\"3 4\"", "\"1e3\"", "-2", "\"-2\"", "-9007199254740991",
            "9007199254740992", "\"9007199254740992\"", "9223372036854775807", "9223372036854775808",
            "\"9223372036854775808\"", "-9223372036854775809", "123456789012345678901234567890123456789012");

    private static final List<String> BAD_NAMES = List.of(
            "\"\"", "\"" + "N".repeat(65) + "\"", "\"" + "N".repeat(10_000) + "\"", "42", "true", "{}", "[\"Node2\"]");

    private static String label(PeerMessage m) {
        return m.request();
    }

    static Stream<Arguments> badPeerFields() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(bad("snapshot data not base64", "{\"term\":3,\"leaderId\":\"Node2\",\"last_included_index\":4,"
                        + "\"last_included_term\":1,\"offset\":0,\"total_size\":3,\"crc\":1,\"done\":true,"
                        + "\"data\":\"***\",\"request\":\"INSTALL_SNAPSHOT\"}"));
        cases.add(bad("snapshot data a number", "{\"term\":3,\"leaderId\":\"Node2\",\"last_included_index\":4,"
                        + "\"last_included_term\":1,\"offset\":0,\"total_size\":3,\"crc\":1,\"done\":true,"
                        + "\"data\":12,\"request\":\"INSTALL_SNAPSHOT\"}"));
        cases.add(bad("snapshot configuration not one", "{\"term\":3,\"leaderId\":\"Node2\",\"last_included_index\":4,"
                        + "\"last_included_term\":1,\"offset\":0,\"total_size\":3,\"crc\":1,\"done\":true,"
                        + "\"data\":\"AQID\",\"configuration\":\"{\\\"members\\\":[]}\",\"request\":\"INSTALL_SNAPSHOT\"}"));
        for (PeerMessage m : List.of(WireSamples.REQUEST_VOTE, WireSamples.ACK_GRANTED, WireSamples.APPEND_ENTRY,
                WireSamples.TIMEOUT_NOW, WireSamples.INSTALL_SNAPSHOT, WireSamples.SNAPSHOT_ACK)) {
            for (String field : NUMBER_FIELDS.get(m)) {
                for (String value : BAD_NUMBERS) {
                    cases.add(bad(label(m) + " " + field + "=" + abbreviate(value), with(m, field, value)));
                }
            }
            // terms (message and log terms) start at 0; indices start at -1
            for (String field : NUMBER_FIELDS.get(m)) {
                if (field.endsWith("term")) {
                    cases.add(bad(label(m) + " negative " + field, with(m, field, "-1")));
                    cases.add(bad(label(m) + " negative " + field + " as string", with(m, field, "\"-1\"")));
                }
            }
            for (String field : NAME_FIELDS.get(m)) {
                for (String value : BAD_NAMES) {
                    cases.add(bad(label(m) + " " + field + "=" + abbreviate(value), with(m, field, value)));
                }
            }
            // every field is required: absent or null
            for (Iterator<String> it = tree(m).fieldNames(); it.hasNext(); ) {
                String field = it.next();
                ObjectNode without = tree(m);
                without.remove(field);
                cases.add(bad(label(m) + " without " + field, bytes(without)));
                cases.add(bad(label(m) + " with " + field + "=null", with(m, field, "null")));
            }
        }
        for (String vote : List.of("2", "-1", "0.5", "1.0", "\"yes\"", "\"true\"", "\"\"", "{}", "[1]")) {
            cases.add(bad("VOTE_ACK vote=" + vote, with(WireSamples.ACK_GRANTED, "vote", vote)));
        }
        return cases.stream();
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "...(" + s.length() + ")";
    }

    private static byte[] with(Message m, String field, String rawJson) {
        ObjectNode o = tree(m);
        o.set(field, json(rawJson));
        return bytes(o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPeerFields")
    void peerMessageWithABadFieldIsMalformed(byte[] data) {
        assertMalformedPeer(data);
    }

    @Test
    void voteAckWithoutTermIsMalformedEvenInTheSeedsExactShape() {
        // the seed's own ack: accepted by the seed, refused here on purpose (see protocol.md)
        assertMalformedPeer(utf8("{\"vote\": 1, \"from\": \"Node4\", \"to\": \"Node2\", \"request\": \"VOTE_ACK\"}"));
    }

    @Test
    void lastLogIndexMinusTwoIsMalformed() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> WireSamples.decodePeer(with(WireSamples.REQUEST_VOTE, "last_log_index", "-2")));
        assertTrue(e.getMessage().contains("last_log_index"), e.getMessage());
    }

    @Test
    void termAboveTwoToTheFiftyThreeMinusOneIsMalformed() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> WireSamples.decodePeer(with(WireSamples.APPEND_ENTRY, "term", "9007199254740992")));
        assertTrue(e.getMessage().contains("term"), e.getMessage());
    }

    @Test
    void sixtyFiveCharacterNameIsMalformedAndTheReasonNamesTheField() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> WireSamples.decodePeer(with(WireSamples.ACK_GRANTED, "from", "\"" + "x".repeat(65) + "\"")));
        assertTrue(e.getMessage().contains("from"), e.getMessage());
    }

    static Stream<Arguments> unknownPeerRequests() {
        return Stream.of(
                bad("unknown request", "{\"request\":\"FOO\",\"term\":1}"),
                bad("lower-case request", with(WireSamples.REQUEST_VOTE, "request", "\"vote_request\"")),
                bad("empty request", with(WireSamples.APPEND_ENTRY, "request", "\"\"")),
                bad("controller request on a peer port", Codec.encode(ControllerMessage.request("LEADER_INFO"))),
                bad("request with trailing space", with(WireSamples.ACK_GRANTED, "request", "\"VOTE_ACK \"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownPeerRequests")
    void unknownPeerRequestIsMalformed(byte[] data) {
        assertMalformedPeer(data);
    }

    // ---- controller messages with bad fields ----------------------------------------------------

    /**
     * A controller message is refused only for its {@code request}: a bad term or sender_name is
     * ignored, not refused (see {@link CourseControllerShapesTest}).
     */
    static Stream<Arguments> badControllerFields() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(bad("empty request", with(WireSamples.LEADER_INFO, "request", "\"\"")));
        cases.add(bad("request null", with(WireSamples.LEADER_INFO, "request", "null")));
        cases.add(bad("request as number", with(WireSamples.LEADER_INFO, "request", "7")));
        cases.add(bad("request as object", with(WireSamples.LEADER_INFO, "request", "{\"LEADER_INFO\":1}")));
        ObjectNode withoutRequest = tree(WireSamples.LEADER_INFO);
        withoutRequest.remove("request");
        cases.add(bad("without request", bytes(withoutRequest)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badControllerFields")
    void controllerMessageWithABadFieldIsMalformed(byte[] data) {
        assertMalformedController(data);
    }

    /**
     * protocol.md: "one JSON object per datagram"; anything after the object makes the datagram
     * not JSON (the mapper fails on trailing tokens).
     */
    @Test
    void trailingContentAfterTheObjectIsMalformed() {
        String valid = new String(Codec.encode(WireSamples.ACK_GRANTED), java.nio.charset.StandardCharsets.UTF_8);
        assertMalformedPeer(utf8(valid + " trailing"));
        assertMalformedPeer(utf8(valid + valid));
        assertMalformedPeer(utf8(valid + "]"));
        assertMalformedController(utf8(new String(Codec.encode(WireSamples.LEADER_INFO),
                java.nio.charset.StandardCharsets.UTF_8) + "{\"request\":\"SHUTDOWN\"}"));
    }

    @Test
    void manyFieldsUpToTheSizeLimitAreStillRefusedOnlyByMalformed() {
        // a flat but huge object just under the size limit with a bad request: must be refused,
        // and by the request check, not by some parser resource error
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("{\"request\":[\"LEADER_INFO\"],\"term\":\"x\""));
        int i = 0;
        while (out.size() < Codec.MAX_DATAGRAM_BYTES - 40) {
            out.writeBytes(utf8(",\"f" + (i++) + "\":1"));
        }
        out.writeBytes(utf8("}"));
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> WireSamples.decodeController(out.toByteArray()));
        assertTrue(e.getMessage().contains("request"), e.getMessage());
    }
}
