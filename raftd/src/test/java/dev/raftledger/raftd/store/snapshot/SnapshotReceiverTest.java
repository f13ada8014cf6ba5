package dev.raftledger.raftd.store.snapshot;

import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.CONFIG;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.crc;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.names;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.snapshot.ChunkResult.Status;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receiving a snapshot from the leader in chunks. */
class SnapshotReceiverTest {

    @TempDir
    Path dir;

    private static final int CHUNK = 1000;

    private static SnapshotMeta metaOf(long index, long term, byte[] payload) {
        return new SnapshotMeta(index, term, CONFIG, payload.length, crc(payload));
    }

    private static byte[] chunk(byte[] payload, long offset) {
        return Arrays.copyOfRange(payload, (int) offset, (int) Math.min(payload.length, offset + CHUNK));
    }

    private static boolean last(byte[] payload, long offset) {
        return offset + CHUNK >= payload.length;
    }

    /** Sends every chunk of {@code payload} in order; returns the last result. */
    private static ChunkResult sendAll(SnapshotReceiver receiver, SnapshotMeta meta, byte[] payload) throws Exception {
        ChunkResult r = null;
        long offset = 0;
        do {
            r = receiver.accept(meta, offset, chunk(payload, offset), last(payload, offset));
            offset = r.nextOffset();
        } while (r.status() == Status.ACCEPTED);
        return r;
    }

    private static byte[] installedPayload(SnapshotStore store, SnapshotMeta meta) throws Exception {
        try (SnapshotReader reader = store.openReader(meta); InputStream in = reader.payloadStream()) {
            return in.readAllBytes();
        }
    }

    private static List<String> tempFiles(Path dir) throws Exception {
        return names(dir).stream().filter(n -> n.endsWith(".tmp")).toList();
    }

    @Test
    void chunksInOrderInstallTheSnapshot() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] payload = payload(500, 10_500);
        SnapshotMeta meta = metaOf(500, 3, payload);
        SnapshotReceiver receiver = store.receiver();

        ChunkResult first = receiver.accept(meta, 0, chunk(payload, 0), false);
        assertEquals(ChunkResult.accepted(CHUNK), first);
        assertEquals(meta, receiver.inProgress());
        assertEquals(CHUNK, receiver.received());
        assertEquals(1, tempFiles(dir).size(), "received into a temp file");
        assertEquals(Optional.empty(), store.latest().snapshot(), "nothing is installed before the last chunk");

        // a leader that starts over at 0 is told to go on from where the transfer is
        ChunkResult r = receiver.accept(meta, 0, chunk(payload, 0), false);
        assertEquals(ChunkResult.Status.WRONG_OFFSET, r.status());
        assertEquals(CHUNK, r.nextOffset());

        long offset = r.nextOffset();
        do {
            r = receiver.accept(meta, offset, chunk(payload, offset), last(payload, offset));
            offset = r.nextOffset();
        } while (r.status() == Status.ACCEPTED);
        assertEquals(ChunkResult.installed(meta), r);
        assertEquals(meta, r.installed());
        assertNull(receiver.inProgress());
        assertEquals(List.of("snapshot-00000000000000000500-3.snap"), names(dir));
        assertEquals(Optional.of(meta), SnapshotStore.open(dir).latest().snapshot());
        assertArrayEquals(payload, installedPayload(store, meta));

        // a duplicated last chunk (UDP) does not start it over
        long lastOffset = (payload.length - 1) / CHUNK * CHUNK;
        assertEquals(ChunkResult.installed(meta), receiver.accept(meta, lastOffset, chunk(payload, lastOffset), true));
        assertEquals(List.of("snapshot-00000000000000000500-3.snap"), names(dir));
    }

    @Test
    void aChunkAtAnUnexpectedOffsetIsRefusedAndTheTransferGoesOn() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] payload = payload(600, 5500);
        SnapshotMeta meta = metaOf(600, 2, payload);
        SnapshotReceiver receiver = store.receiver();

        ChunkResult r = receiver.accept(meta, 2000, chunk(payload, 2000), false);
        assertEquals(Status.WRONG_OFFSET, r.status());
        assertEquals(0, r.nextOffset(), "a transfer starts at 0");
        assertTrue(r.reason().contains("starts at offset 0"), r.reason());
        assertEquals(List.of(), names(dir), "nothing written");

        receiver.accept(meta, 0, chunk(payload, 0), false);
        receiver.accept(meta, 1000, chunk(payload, 1000), false);
        r = receiver.accept(meta, 3000, chunk(payload, 3000), false); // 2000 was lost
        assertEquals(ChunkResult.Status.WRONG_OFFSET, r.status());
        assertEquals(2000, r.nextOffset());
        r = receiver.accept(meta, 1000, chunk(payload, 1000), false); // a duplicate
        assertEquals(2000, r.nextOffset());
        assertEquals(Status.WRONG_OFFSET, r.status());

        long offset = r.nextOffset(); // the leader resends from there
        do {
            r = receiver.accept(meta, offset, chunk(payload, offset), last(payload, offset));
            offset = r.nextOffset();
        } while (r.status() == Status.ACCEPTED);
        assertEquals(Status.INSTALLED, r.status());
        assertArrayEquals(payload, installedPayload(store, meta));
    }

    @Test
    void aChecksumMismatchInstallsNothing() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotMeta older = store.save(100, 1, CONFIG, payload(100, 10));
        byte[] payload = payload(700, 3500);
        SnapshotMeta meta = metaOf(700, 2, payload);
        byte[] garbled = payload.clone();
        garbled[1234] ^= 1;
        SnapshotReceiver receiver = store.receiver();

        ChunkResult r = sendAll(receiver, meta, garbled);
        assertEquals(Status.FAILED, r.status());
        assertEquals(0, r.nextOffset());
        assertTrue(r.reason().contains("checksum"), r.reason());
        assertNull(receiver.inProgress());
        assertEquals(List.of("snapshot-00000000000000000100-1.snap"), names(dir), "nothing installed, no temp file left");
        assertEquals(Optional.of(older), store.latest().snapshot());

        assertEquals(Status.INSTALLED, sendAll(receiver, meta, payload).status(), "the leader starts over");
    }

    @Test
    void aWrongSizeInstallsNothing() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] payload = payload(700, 3500);
        SnapshotMeta meta = metaOf(700, 2, payload);
        SnapshotReceiver receiver = store.receiver();

        receiver.accept(meta, 0, chunk(payload, 0), false);
        ChunkResult r = receiver.accept(meta, 1000, chunk(payload, 1000), true); // "done" too early
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.reason().contains("2000 bytes"), r.reason());
        assertEquals(List.of(), names(dir));

        receiver.accept(meta, 0, chunk(payload, 0), false);
        r = receiver.accept(meta, 1000, new byte[3000], false); // beyond the payload
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.reason().contains("beyond"), r.reason());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aNewSnapshotRestartsTheTransfer() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] first = payload(800, 4000);
        byte[] second = payload(900, 4200);
        SnapshotMeta firstMeta = metaOf(800, 2, first);
        SnapshotMeta secondMeta = metaOf(900, 3, second);
        SnapshotReceiver receiver = store.receiver();

        receiver.accept(firstMeta, 0, chunk(first, 0), false);
        receiver.accept(firstMeta, 1000, chunk(first, 1000), false);
        // a chunk of another snapshot in the middle is refused and leaves the transfer alone
        ChunkResult r = receiver.accept(secondMeta, 2000, chunk(second, 2000), false);
        assertEquals(ChunkResult.Status.WRONG_OFFSET, r.status());
        assertEquals(0, r.nextOffset());
        assertEquals(firstMeta, receiver.inProgress());
        assertEquals(2000, receiver.received());

        // at offset 0 it replaces the transfer
        assertEquals(ChunkResult.accepted(1000), receiver.accept(secondMeta, 0, chunk(second, 0), false));
        assertEquals(secondMeta, receiver.inProgress());
        assertEquals(1, tempFiles(dir).size(), "the first transfer's temp file is gone");
        assertEquals(Status.WRONG_OFFSET, receiver.accept(firstMeta, 2000, chunk(first, 2000), false).status(),
                "a late chunk of the first transfer");

        long offset = 1000;
        do {
            r = receiver.accept(secondMeta, offset, chunk(second, offset), last(second, offset));
            offset = r.nextOffset();
        } while (r.status() == Status.ACCEPTED);
        assertEquals(ChunkResult.installed(secondMeta), r);
        assertEquals(List.of("snapshot-00000000000000000900-3.snap"), names(dir));
        assertArrayEquals(second, installedPayload(store, secondMeta));

        // a later transfer of a newer snapshot replaces it as the newest, keeping it as the fallback
        byte[] third = payload(1000, 100);
        SnapshotMeta thirdMeta = metaOf(1000, 3, third);
        assertEquals(ChunkResult.installed(thirdMeta), sendAll(receiver, thirdMeta, third));
        assertEquals(Optional.of(thirdMeta), store.latest().snapshot());
        assertEquals(List.of("snapshot-00000000000000000900-3.snap", "snapshot-00000000000000001000-3.snap"), names(dir));
    }

    @Test
    void anEmptyPayloadInOneChunk() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotMeta meta = metaOf(5, 1, new byte[0]);
        assertEquals(ChunkResult.installed(meta), store.receiver().accept(meta, 0, new byte[0], true));
        assertEquals(Optional.of(meta), store.latest().snapshot());
    }

    @Test
    void abortAndCloseDeleteTheTempFile() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] payload = payload(900, 3000);
        SnapshotMeta meta = metaOf(900, 3, payload);
        SnapshotReceiver receiver = store.receiver();
        receiver.accept(meta, 0, chunk(payload, 0), false);
        assertEquals(1, tempFiles(dir).size());
        receiver.abort();
        assertNull(receiver.inProgress());
        assertEquals(List.of(), names(dir));
        assertEquals(Status.WRONG_OFFSET, receiver.accept(meta, 1000, chunk(payload, 1000), false).status());

        try (SnapshotReceiver r2 = store.receiver()) {
            r2.accept(meta, 0, chunk(payload, 0), false);
            assertEquals(1, tempFiles(dir).size());
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aTransferCutByACrashLeavesATempFileThatOpenDeletes() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        byte[] payload = payload(900, 3000);
        SnapshotReceiver receiver = store.receiver();
        receiver.accept(metaOf(900, 3, payload), 0, chunk(payload, 0), false);
        // the process dies here: no abort
        SnapshotStore reopened = SnapshotStore.open(dir);
        assertEquals(1, reopened.deletedTempFiles().size());
        assertEquals(List.of(), names(dir));
        assertEquals(Optional.empty(), reopened.latest().snapshot());
        receiver.abort(); // closes the channel of the "dead" transfer
    }
}
