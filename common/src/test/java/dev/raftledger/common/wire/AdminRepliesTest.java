package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SNAPSHOT's SAVED and TRANSFER_LEADER's replies as raftd writes them and raftctl reads them (LedgerRepliesGoldenTest pins raftd's bytes). */
class AdminRepliesTest {

    private static JsonNode json(String text) throws Exception {
        return Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatIsWrittenReadsBackTheSameInItsOrder() throws Exception {
        SnapshotReply saved = new SnapshotReply(41L, 3L, 5120L, 32L);
        assertEquals("{\"index\":41,\"term\":3,\"size\":5120,\"log_first_index\":32}", Codec.toJson(saved.toJson()));
        assertEquals(saved, SnapshotReply.fromJson(json(Codec.toJson(saved.toJson()))));
        TransferReply transfer = new TransferReply("Node1", "Node3", 7L);
        assertEquals("{\"from\":\"Node1\",\"to\":\"Node3\",\"term\":7}", Codec.toJson(transfer.toJson()));
        assertEquals(transfer, TransferReply.fromJson(json(Codec.toJson(transfer.toJson()))));
    }

    @Test
    void anythingElseReadsAsFarAsItGoes() throws Exception {
        assertEquals(new SnapshotReply(null, null, null, null), SnapshotReply.fromJson(null));
        assertEquals(new SnapshotReply(41L, null, null, 32L),
                SnapshotReply.fromJson(json("{\"index\":\"41\",\"size\":true,\"log_first_index\":32,\"crc\":1}")));
        assertEquals(new TransferReply(null, "Node3", null), TransferReply.fromJson(json("{\"to\":\"Node3\",\"x\":1}")));
        assertEquals(new TransferReply(null, null, null), TransferReply.fromJson(json("[]")));
    }
}
