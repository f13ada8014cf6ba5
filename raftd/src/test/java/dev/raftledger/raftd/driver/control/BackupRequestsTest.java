package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Refusal;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKUP on the node: the start saves a snapshot and describes it; chunks put together are the
 * snapshot file byte for byte, each reply fits the client's path (64,000 bytes to loopback,
 * --max-datagram-bytes elsewhere, sealed); a bad offset, a value of another shape and a
 * snapshot no longer served are refused.
 */
class BackupRequestsTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.99", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    @TempDir
    Path dir;

    private final List<ControllerMessage> later = new ArrayList<>();
    private SnapshotMeta next;

    private BackupRequests backups(ClusterAuth auth) throws Exception {
        RaftCore core = new RaftCore("Node1", List.of("Node1", "Node2", "Node3"), Timings.SEED, new HardState(0, null),
                LogPosition.EMPTY, new SplittableRandom(7), 0);
        Replies replies = new Replies(core, new DatagramBudget(DatagramBudget.DEFAULT_BYTES, auth));
        SnapshotStore store = SnapshotStore.open(dir.resolve("snapshots"));
        return new BackupRequests(replies, (now, done) -> done.accept(new LoopEvent.SnapshotSaved(next, null, 0)),
                (to, reply) -> later.add(reply), store::openReader, "Node1", "0123456789abcdef");
    }

    private SnapshotMeta save(long index, int bytes) throws Exception {
        byte[] payload = new byte[bytes];
        new SplittableRandom(index).nextBytes(payload);
        return SnapshotStore.open(dir.resolve("snapshots")).save(index, 1, "", payload);
    }

    private static ControllerMessage chunkRequest(long index, long offset) {
        ObjectNode v = Codec.objectNode();
        v.put("index", index);
        v.put("term", 1);
        v.put("offset", offset);
        return new ControllerMessage("Controller", "BACKUP", null, null, v);
    }

    private ControllerMessage start(BackupRequests b, InetSocketAddress from) {
        assertNull(b.handle(ControllerMessage.request("BACKUP"), from, 0).reply(), "answered once the snapshot is durable");
        return later.remove(later.size() - 1);
    }

    @Test
    void theChunksAreTheSnapshotFileAndEachFitsItsPath() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        for (ClusterAuth auth : List.of(ClusterAuth.none(), ClusterAuth.fromFile(key))) {
            BackupRequests b = backups(auth);
            next = save(41, 200_000);
            later.clear();
            for (InetSocketAddress client : List.of(REMOTE, LOCAL)) {
                ControllerMessage described = start(b, client);
                assertEquals("BACKUP", described.keyText());
                long size = described.value().get("size").asLong();
                int chunk = described.value().get("chunk").asInt();
                byte[] file = Files.readAllBytes(dir.resolve("snapshots").resolve(
                        String.format("snapshot-%020d-%d.snap", 41, 1)));
                assertEquals(file.length, size);
                assertEquals("0123456789abcdef", described.value().get("cluster_id").asText());
                int limit = client == LOCAL ? Codec.MAX_DATAGRAM_BYTES : DatagramBudget.DEFAULT_BYTES;
                assertTrue(chunk > limit * 3 / 4 - 300, "a chunk fills the datagram: " + chunk + " of " + limit);
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                for (long offset = 0; offset < size; offset += chunk) {
                    ControllerMessage r = b.handle(chunkRequest(41, offset), client, 0).reply();
                    assertEquals("CHUNK", r.keyText(), r.toString());
                    int sent = auth.seal(Codec.encode(r), "Node2").length;
                    assertTrue(sent <= limit, sent + " bytes over " + limit + (auth.enabled() ? " sealed" : ""));
                    copy.write(Base64.getDecoder().decode(r.value().get("data").asText()));
                }
                assertArrayEquals(file, copy.toByteArray(), "byte for byte");
                ControllerMessage end = b.handle(chunkRequest(41, size), client, 0).reply();
                assertEquals("", end.value().get("data").asText(), "nothing at the end");
            }
        }
    }

    @Test
    void badRequestsAreRefusedAndAnOldSnapshotIsGoneAfterFourNewerBackups() throws Exception {
        BackupRequests b = backups(ClusterAuth.none());
        next = save(10, 1_000);
        start(b, REMOTE);
        assertEquals("INVALID", Refusal.from(b.handle(chunkRequest(10, 5_000), REMOTE, 0).reply()).get().code());
        assertEquals("INVALID", Refusal.from(b.handle(chunkRequest(10, -1), REMOTE, 0).reply()).get().code());
        assertEquals("SNAPSHOT_GONE", Refusal.from(b.handle(chunkRequest(99, 0), REMOTE, 0).reply()).get().code());
        ControllerMessage odd = new ControllerMessage("Controller", "BACKUP", null, null, Codec.readTree("[1,2]"));
        assertEquals("MALFORMED", Refusal.from(b.handle(odd, REMOTE, 0).reply()).get().code());
        for (long index = 11; index <= 14; index++) {
            next = save(index, 1_000);
            start(b, REMOTE);
        }
        assertEquals("SNAPSHOT_GONE", Refusal.from(b.handle(chunkRequest(10, 0), REMOTE, 0).reply()).get().code());
        assertEquals("CHUNK", b.handle(chunkRequest(11, 0), REMOTE, 0).reply().keyText(), "the last four stay");
        next = null;
        ControllerMessage failed = start(b, REMOTE);
        assertEquals("SNAPSHOT_FAILED", Refusal.from(failed).get().code());
        b.closeAll();
    }
}
