package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RETRIEVE's COMMITED_LOGS as raftd writes it and raftctl reads it (LedgerRepliesGoldenTest pins raftd's bytes). */
class RetrieveReplyTest {

    private static JsonNode json(String text) throws Exception {
        return Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatIsWrittenReadsBackTheSameInItsOrder() throws Exception {
        String text = "[{\"term\":1,\"key\":\"k\",\"value\":{\"v\":1}},{\"term\":2,\"key\":2,\"value\":\"two\"}]";
        RetrieveReply r = RetrieveReply.fromJson(json(text));
        assertEquals(2, r.entries().size());
        assertEquals(text, Codec.toJson(r.toJson()));
    }

    @Test
    void fieldsAreKeptAsSentAndWhatIsAbsentIsNull() throws Exception {
        RetrieveReply r = RetrieveReply.fromJson(json("[{\"term\":\"3\",\"key\":\"k\",\"extra\":1}, 7]"));
        RetrieveReply.Stored first = r.entries().get(0);
        assertEquals("3", first.term().textValue(), "as the leader sent it");
        assertNull(first.value());
        assertEquals(new RetrieveReply.Stored(null, null, null), r.entries().get(1), "not an object");
        assertEquals(List.of(), RetrieveReply.fromJson(json("[]")).entries());
    }

    @Test
    void aValueThatIsNotAnArrayIsMalformed() {
        assertEquals("COMMITED_LOGS that is not an array",
                assertThrows(MalformedMessageException.class, () -> RetrieveReply.fromJson(json("{}"))).getMessage());
        assertThrows(MalformedMessageException.class, () -> RetrieveReply.fromJson(null));
    }
}
