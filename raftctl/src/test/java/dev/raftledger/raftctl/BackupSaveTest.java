package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * raftctl backup save against a fake node that serves BACKUP from a snapshot file (a hand-made
 * backup's, JsonSchemaTest.backup) in small chunks: lost requests are asked again and the copy
 * checks out; a node that stops answering or sends something else leaves no FILE; the progress
 * line shows on a terminal only, never with --json.
 */
class BackupSaveTest {

    @TempDir
    Path home;

    /** The snapshot file inside a hand-made backup: what a node would serve. */
    private byte[] snapshotFile(boolean damaged) throws IOException {
        byte[] all = Files.readAllBytes(Path.of(JsonSchemaTest.backup(home, damaged)));
        int n = ByteBuffer.wrap(all).getInt(8);
        return Arrays.copyOfRange(all, 12 + n + 4, all.length);
    }

    /**
     * A node serving BACKUP from {@code file} in chunks of {@code chunk} bytes; {@code lose}
     * decides, per chunk request (its offset), whether to lose it.
     */
    private static Function<ControllerMessage, ControllerMessage> serving(byte[] file, int chunk,
                                                                          java.util.function.LongPredicate lose) {
        return r -> {
            if (!"BACKUP".equals(r.request())) {
                return null;
            }
            ObjectNode v = Codec.objectNode();
            v.put("index", 3);
            v.put("term", 1);
            if (r.value() == null || !r.value().has("offset")) {
                v.put("size", file.length);
                v.put("payload_size", 0);
                v.put("crc", ByteBuffer.wrap(file).getInt(32) & 0xFFFF_FFFFL);
                v.put("node", "Node2");
                v.put("cluster_id", "0123456789abcdef");
                v.put("version", "0.1.0");
                v.put("chunk", chunk);
                return new ControllerMessage("Node2", "BACKUP", 1L, TextNode.valueOf("BACKUP"), v);
            }
            long offset = r.value().get("offset").asLong();
            if (lose.test(offset)) {
                return null;
            }
            v.put("offset", offset);
            v.put("data", Base64.getEncoder().encodeToString(Arrays.copyOfRange(file, (int) offset,
                    (int) Math.min(file.length, offset + chunk))));
            return new ControllerMessage("Node2", "BACKUP", 1L, TextNode.valueOf("CHUNK"), v);
        };
    }

    private static Environment terminal(Path home) {
        return new Environment(Map.of(), home, () -> {
            throw new IOException("no terminal in this test");
        }, false, true);
    }

    @Test
    void lostChunksAreAskedAgainAndTheCopyChecksOut() throws Exception {
        try (FakeCluster f = FakeCluster.start(3)) {
            byte[] file = snapshotFile(false);
            Set<Long> seen = new HashSet<>();
            AtomicInteger lost = new AtomicInteger();
            // every chunk's first request is lost: each is answered only when asked again
            f.node("Node2").replyWith(serving(file, 64, offset -> {
                synchronized (seen) {
                    boolean first = seen.add(offset);
                    if (first) {
                        lost.incrementAndGet();
                    }
                    return first;
                }
            }));
            Path out = home.resolve("saved.backup");
            Run run = Run.of(terminal(home), f.args("backup", "save", "--node", "Node2", "--wait", "5s", out.toString()));
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(lost.get() >= file.length / 64, "every chunk was lost once: " + lost.get());
            assertTrue(run.out().contains("backup of Node2 saved and checked"), run.out());
            assertTrue(run.out().contains("expenses    2 "), run.out());
            assertTrue(run.err().contains("\rbackup: ") && run.err().contains("(100%)"),
                    "progress on a terminal: " + run.err());
            assertFalse(Files.exists(home.resolve("saved.backup.part")));
            Run inspect = Run.of(home, f.args("--json", "backup", "inspect", out.toString()));
            assertEquals(0, inspect.code(), inspect.err());
            JsonNode doc = Codec.readTree(inspect.out());
            assertEquals("0123456789abcdef", doc.get("cluster_id").asText());
            assertEquals("Node2", doc.get("node").asText());
            assertEquals(1, doc.get("stores").asInt());
        }
    }

    @Test
    void withJsonThereIsNoProgressEvenOnATerminal() throws Exception {
        try (FakeCluster f = FakeCluster.start(3)) {
            f.node("Node2").replyWith(serving(snapshotFile(false), 100, offset -> false));
            Run run = Run.of(terminal(home), f.args("--json", "backup", "save", "--node", "Node2",
                    home.resolve("b").toString()));
            assertEquals(0, run.code(), run.err());
            assertEquals("", run.err());
            assertTrue(Codec.readTree(run.out()).get("ok").asBoolean());
        }
    }

    @Test
    void aCopyThatDoesNotCheckOutIsNotCalledDone() throws Exception {
        try (FakeCluster f = FakeCluster.start(3)) {
            f.node("Node2").replyWith(serving(snapshotFile(true), 100, offset -> false));
            Path out = home.resolve("bad.backup");
            Run run = Run.of(home, f.args("backup", "save", "--node", "Node2", out.toString()));
            assertEquals(1, run.code(), run.out());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().contains("does not check out") && run.err().contains("checksum"), run.err());
            assertFalse(Files.exists(out), "FILE is not written");
        }
    }

    @Test
    void aNodeThatStopsAnsweringLeavesNoFile() throws Exception {
        try (FakeCluster f = FakeCluster.start(3)) {
            byte[] file = snapshotFile(false);
            f.node("Node2").replyWith(serving(file, 64, offset -> offset >= 128)); // silent after two chunks
            Path out = home.resolve("cut.backup");
            Run run = Run.of(home, f.args("backup", "save", "--node", "Node2", "--wait", "600ms", out.toString()));
            assertEquals(1, run.code(), run.out());
            assertTrue(run.err().contains("stopped answering: 128 of " + file.length + " bytes received"), run.err());
            assertFalse(Files.exists(out));
            assertEquals("", run.out(), "no progress and no result on stdout");
        }
    }
}
