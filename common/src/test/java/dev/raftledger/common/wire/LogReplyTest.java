package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LOG reply as raftd writes it and raftctl reads it (LedgerRepliesGoldenTest pins raftd's bytes). */
class LogReplyTest {

    private static JsonNode json(String text) throws Exception {
        return Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatIsWrittenReadsBackTheSameInItsOrder() throws Exception {
        LogReply r = new LogReply(41L, 0L, List.of(new LogReply.Item(0, 1, Codec.objectNode()),
                new LogReply.Item(1, 1, json("{\"key\":\"k\",\"value\":[1,\"two\"]}"))));
        String text = Codec.toJson(r.toJson());
        assertEquals("{\"applied_index\":41,\"first_index\":0,\"entries\":[{\"index\":0,\"term\":1,\"data\":{}},"
                + "{\"index\":1,\"term\":1,\"data\":{\"key\":\"k\",\"value\":[1,\"two\"]}}]}", text);
        assertEquals(r, LogReply.fromJson(json(text)));
    }

    @Test
    void fieldsItDoesNotKnowAreIgnoredAndWhatIsNotSaidIsNull() throws Exception {
        LogReply r = LogReply.fromJson(json("{\"entries\":[{\"index\":\"4\",\"term\":2,\"crc\":9}],\"more\":true}"));
        assertNull(r.appliedIndex());
        assertNull(r.firstIndex());
        assertEquals(List.of(new LogReply.Item(4, 2, Codec.objectNode())), r.entries(), "no data: an empty object");
    }

    @Test
    void whatAPageCannotDoWithoutIsMalformed() {
        assertEquals("a reply without an object value",
                assertThrows(MalformedMessageException.class, () -> LogReply.fromJson(json("\"x\""))).getMessage());
        assertEquals("a log page without \"entries\"",
                assertThrows(MalformedMessageException.class, () -> LogReply.fromJson(json("{\"applied_index\":3}")))
                        .getMessage());
        assertEquals("a log entry without index or term", assertThrows(MalformedMessageException.class,
                () -> LogReply.fromJson(json("{\"entries\":[{\"index\":3,\"data\":{}}]}"))).getMessage());
    }
}
