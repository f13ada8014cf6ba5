package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An entry's bytes cross the wire as they are: the leader writes them into each AppendEntry
 * without decoding them to text, and a follower keeps the bytes of each {@code data} object as
 * they arrived ({@link Codec#parsePeerObject}) instead of building a tree and encoding it back.
 * For what leaders write (compact JSON) the bytes, and every refusal, are those of the tree path.
 */
class CodecRawEntriesTest {

    private static final List<String> PAYLOADS = List.of("{}",
            "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":7,\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"café\","
                    + "\"description\":\"a \\\"b\\\" \\\\ \\n \\u0001 😀 €\",\"payer\":\"zoë\",\"date\":\"2026-11-25\",\"time\":1796601600000,"
                    + "\"session_ttl\":86400000,\"by\":\"alice\"}",
            "{\"key\":\"k\",\"value\":{\"nested\":[1,2.5,-3,true,false,null,{\"x\":\"y\"}]}}",
            "{\"configuration\":\"{\\\"members\\\":[]}\"}");

    private static AppendEntry append(List<String> payloads) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            entries.add(new Entry(10 + i, 3, Payload.ofJson(Codec.toBytes(tree(payloads.get(i))))));
        }
        return new AppendEntry(3, "Node2", 9, 2, "Node2", entries, 8, 4);
    }

    private static JsonNode tree(String json) {
        try {
            return Codec.readTree(json);
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }

    /** The AppendEntry as the codec wrote it before: each entry's data written from its text. */
    private static String expected(AppendEntry ae) {
        StringBuilder s = new StringBuilder("{\"term\":3,\"leaderId\":\"Node2\",\"prev_log_index\":9,\"prev_log_term\":2,"
                + "\"sender_name\":\"Node2\",\"request\":\"APPEND_RPC\",\"read_seq\":4,\"leader_commit\":8,\"entries\":[");
        for (int i = 0; i < ae.entries().size(); i++) {
            s.append(i == 0 ? "" : ",").append("{\"term\":3,\"data\":").append(ae.entries().get(i).data().text()).append('}');
        }
        return s.append("]}").toString();
    }

    @Test
    void theLeaderWritesEachEntrysBytesAsTheyAre() {
        AppendEntry ae = append(PAYLOADS);
        assertEquals(expected(ae), new String(Codec.encode(ae), StandardCharsets.UTF_8));
        // and entries larger than the generator's buffer (8 KB) go through its other path
        String big = "{\"d\":\"" + "é".repeat(6_000) + "\"}";
        AppendEntry large = append(List.of(big, big));
        assertEquals(expected(large), new String(Codec.encode(large), StandardCharsets.UTF_8));
    }

    @Test
    void aFollowerKeepsTheBytesItWasSentWhichAreThoseTheTreeGave() throws Exception {
        AppendEntry ae = append(PAYLOADS);
        byte[] wire = Codec.encode(ae);
        // inside a larger buffer, as a datagram may be
        byte[] buffer = new byte[wire.length + 20];
        System.arraycopy(wire, 0, buffer, 7, wire.length);
        AppendEntry raw = (AppendEntry) Codec.decodePeer(buffer, 7, wire.length);
        AppendEntry viaTree = (AppendEntry) Codec.decodePeer(Codec.parseObject(wire, 0, wire.length));
        assertEquals(viaTree, raw);
        assertEquals(ae, raw);
        for (int i = 0; i < ae.entries().size(); i++) {
            assertArrayEquals(ae.entries().get(i).data().bytes(), raw.entries().get(i).data().bytes());
        }
    }

    @Test
    void dataIsKeptAsSentNotEncodedAgain() throws Exception {
        String sent = "{\"term\":1,\"leaderId\":\"Node2\",\"prev_log_index\":-1,\"prev_log_term\":0,\"sender_name\":\"Node2\","
                + "\"request\":\"APPEND_RPC\",\"leader_commit\":-1,\"entries\":[{\"term\":1,\"data\":{ \"key\" : \"k\", \"value\":1.50 }}]}";
        byte[] b = sent.getBytes(StandardCharsets.UTF_8);
        AppendEntry ae = (AppendEntry) Codec.decodePeer(b, 0, b.length);
        assertEquals("{ \"key\" : \"k\", \"value\":1.50 }", ae.entries().get(0).data().text());
    }

    @Test
    void malformedEntriesAreRefusedWithTheSameErrorsAsBefore() {
        String head = "{\"term\":1,\"leaderId\":\"Node2\",\"prev_log_index\":-1,\"prev_log_term\":0,\"sender_name\":\"Node2\","
                + "\"request\":\"APPEND_RPC\",\"leader_commit\":-1,\"entries\":";
        List<String> bad = List.of(
                head + "[{\"term\":1,\"data\":{\"a\":1,\"a\":2}}]}",
                head + "[{\"term\":1,\"data\":{\"a\":" + "[".repeat(20) + "1" + "]".repeat(20) + "}}]}",
                head + "[{\"term\":1,\"data\":{\"a\":1}]}",
                head + "[{\"term\":1,\"data\":{\"a\":1}}]} trailing",
                head + "[{\"term\":1,\"data\":[1]}]}",
                head + "[{\"term\":1,\"data\":\"text\"}]}",
                head + "[{\"term\":1}]}",
                head + "[{\"term\":0,\"data\":{}}]}",
                head + "[{\"data\":{},\"data\":{}}]}",
                head + "[7]}",
                head + "{\"term\":1}}",
                head + "[{\"term\":1,\"data\":{\"a\":tru}}]}");
        for (String s : bad) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            MalformedMessageException viaTree = assertThrows(MalformedMessageException.class,
                    () -> Codec.decodePeer(Codec.parseObject(b, 0, b.length)), s);
            MalformedMessageException now = assertThrows(MalformedMessageException.class,
                    () -> Codec.decodePeer(b, 0, b.length), s);
            assertEquals(viaTree.getMessage(), now.getMessage(), s);
        }
    }
}
