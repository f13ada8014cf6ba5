package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The STATUS object as raftd writes it and raftctl reads it (StatusReportTest pins raftd's bytes). */
class StatusReplyTest {

    private static StatusReply sample(Map<String, Long> match, Map<String, Long> heard) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("elections_started", 3L);
        counters.put("controller_requests", 9L);
        return new StatusReply("Node1", "10.0.0.11", "leader", 4L, "Node1", "Node1", null, 41L, 4L, 42L, 40L, 39L,
                41L, 0L, 20L, 3L, 4096L, match, heard, 5000L, "1.2.3", counters);
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        Map<String, Long> match = new LinkedHashMap<>();
        match.put("Node2", 41L);
        match.put("Node3", 12L);
        Map<String, Long> heard = new LinkedHashMap<>();
        heard.put("Node2", 20L);
        heard.put("Node3", null); // not heard in this term
        StatusReply s = sample(match, heard);
        byte[] bytes = Codec.toJson(s.toJson()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(s, StatusReply.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes)));
    }

    @Test
    void aFollowerWritesNoFollowerMaps() {
        JsonNode o = sample(Map.of(), null).toJson();
        assertFalse(o.has("follower_match_index"));
        assertFalse(o.has("follower_heard_ms"));
        assertEquals(true, o.get("heartbeat_age_ms").isNull(), "unknown is null, not absent");
    }

    @Test
    void anotherVersionsObjectIsReadLeniently() throws Exception {
        JsonNode v = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"name\":\"Node9\",\"term\":\"seven\",\"state\":5,\"commit_index\":12,\"future_field\":[1],"
                        + "\"follower_heard_ms\":{\"Node2\":\"soon\",\"Node3\":7},\"counters\":[]}");
        StatusReply s = StatusReply.fromJson(v);
        assertEquals("Node9", s.name());
        assertNull(s.term(), "a term of the wrong type is not known");
        assertNull(s.state());
        assertEquals(12L, s.commitIndex());
        assertNull(s.lastLogIndex(), "missing");
        assertNull(s.followerHeardMs().get("Node2"));
        assertEquals(7L, s.followerHeardMs().get("Node3"));
        assertNull(s.counters(), "not an object");
        assertNull(StatusReply.fromJson(null).name());
    }
}
