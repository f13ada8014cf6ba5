package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COMMITTED as raftd writes it and raftctl reads it (LedgerRepliesGoldenTest and MemberRequestsTest pin raftd's bytes). */
class CommittedReplyTest {

    private static JsonNode json(String text) throws Exception {
        return Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStoresAndAChangesReadBackTheSame() throws Exception {
        CommittedReply store = new CommittedReply(12, 3);
        assertEquals("{\"index\":12,\"term\":3}", Codec.toJson(store.toJson()));
        assertEquals(store, CommittedReply.fromJson(json(Codec.toJson(store.toJson()))));
        CommittedReply change = new CommittedReply(13L, 3L, List.of(
                new MembersReply.Member("Node6", "10.0.0.16", "learner", null, null, null, null)));
        assertEquals(change, CommittedReply.fromJson(json(Codec.toJson(change.toJson()))));
    }

    @Test
    void anythingElseReadsAsFarAsItGoes() throws Exception {
        assertEquals(new CommittedReply(null, null, null), CommittedReply.fromJson(null));
        assertEquals(new CommittedReply(null, null, null), CommittedReply.fromJson(json("\"done\"")));
        assertEquals(new CommittedReply(7L, null, null),
                CommittedReply.fromJson(json("{\"index\":\"7\",\"term\":1.5,\"members\":{},\"extra\":1}")));
    }
}
