package dev.raftledger.raftd.store.snapshot;

import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.CONFIG;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.crc;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.cut;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.file;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.flipByte;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.names;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saving, retention, finding the newest valid snapshot, cleaning up after a crash. */
class SnapshotStoreTest {

    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("snapshots");
    }

    private static byte[] readAll(SnapshotStore store, SnapshotMeta meta) throws Exception {
        try (SnapshotReader reader = store.openReader(meta); InputStream in = reader.payloadStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void roundTripAcrossReopening() throws Exception {
        byte[] payload = payload(41, 10_000);
        SnapshotMeta meta;
        {
            SnapshotStore store = SnapshotStore.open(dir());
            meta = store.save(41, 3, CONFIG, payload);
            assertEquals(new SnapshotMeta(41, 3, CONFIG, payload.length, crc(payload)), meta);
            assertEquals(List.of("snapshot-00000000000000000041-3.snap"), names(dir()));
            assertEquals(SnapshotFormat.headerBytes(CONFIG) + payload.length, Files.size(file(dir(), 41, 3)));
            assertArrayEquals(payload, readAll(store, meta));
        }
        SnapshotStore store = SnapshotStore.open(dir());
        LatestSnapshot latest = store.latest();
        assertEquals(Optional.of(meta), latest.snapshot());
        assertEquals(List.of(), latest.rejected());
        assertArrayEquals(payload, readAll(store, latest.snapshot().orElseThrow()));
    }

    @Test
    void anEmptyPayloadAndAnEmptyConfiguration() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta meta = store.save(0, 1, "", new byte[0]);
        assertEquals(new SnapshotMeta(0, 1, "", 0, crc(new byte[0])), meta);
        assertEquals(Optional.of(meta), store.latest().snapshot());
        try (SnapshotReader reader = store.openReader(meta)) {
            assertEquals(0, reader.read(0, 100).length);
        }
    }

    @Test
    void anEmptyDirectoryHasNoSnapshot() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        assertTrue(Files.isDirectory(dir()));
        LatestSnapshot latest = store.latest();
        assertEquals(Optional.empty(), latest.snapshot());
        assertEquals(List.of(), latest.rejected());
    }

    @Test
    void keepsTheNewestTwo() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        for (long i = 1; i <= 5; i++) {
            store.save(i * 100, i, CONFIG, payload(i * 100, 500));
        }
        assertEquals(List.of("snapshot-00000000000000000400-4.snap", "snapshot-00000000000000000500-5.snap"), names(dir()));
        assertEquals(500, store.latest().snapshot().orElseThrow().lastIncludedIndex());
        // ordered by index, not by the text of the name or by the time of saving
        store.save(1000, 5, CONFIG, payload(1000, 10));
        assertEquals(List.of("snapshot-00000000000000000500-5.snap", "snapshot-00000000000000001000-5.snap"), names(dir()));
    }

    @Test
    void anOlderSnapshotSavedLateIsKeptUntilTheNextSaveButNeverChosen() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        store.save(100, 1, CONFIG, payload(100, 50));
        store.save(200, 1, CONFIG, payload(200, 50));
        SnapshotMeta late = store.save(150, 1, CONFIG, payload(150, 50));
        assertArrayEquals(payload(150, 50), readAll(store, late), "readable right after saving");
        assertEquals(200, store.latest().snapshot().orElseThrow().lastIncludedIndex());
        store.save(300, 2, CONFIG, payload(300, 50));
        assertEquals(List.of("snapshot-00000000000000000200-1.snap", "snapshot-00000000000000000300-2.snap"), names(dir()));
        StoreException e = assertThrows(StoreException.class, () -> store.openReader(late));
        assertTrue(e.getMessage().contains("no snapshot file"), e.getMessage());
    }

    @Test
    void savingAgainAtTheSamePointReplacesTheFile() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        store.save(100, 2, CONFIG, payload(100, 50));
        SnapshotMeta again = store.save(100, 2, CONFIG, payload(101, 70));
        assertEquals(List.of("snapshot-00000000000000000100-2.snap"), names(dir()));
        assertEquals(Optional.of(again), store.latest().snapshot());
        assertArrayEquals(payload(101, 70), readAll(store, again));
    }

    /** Damage to the newest: in the header, in the payload, a torn end, extra bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"magic", "index", "config", "headerCrc", "payload", "lastPayloadByte", "torn", "tornHeader", "extra", "empty"})
    void aDamagedNewestFallsBackToTheOlderAndIsMovedAside(String damage) throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta older = store.save(100, 1, CONFIG, payload(100, 5000));
        store.save(200, 2, CONFIG, payload(200, 5000));
        Path newest = file(dir(), 200, 2);
        int header = SnapshotFormat.headerBytes(CONFIG);
        switch (damage) {
            case "magic" -> flipByte(newest, 1);
            case "index" -> flipByte(newest, 15);
            case "config" -> flipByte(newest, 45);
            case "headerCrc" -> flipByte(newest, header - 2);
            case "payload" -> flipByte(newest, header + 2500);
            case "lastPayloadByte" -> flipByte(newest, header + 4999);
            case "torn" -> cut(newest, header + 4000);
            case "tornHeader" -> cut(newest, 30);
            case "extra" -> Files.write(newest, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            case "empty" -> cut(newest, 0);
            default -> throw new AssertionError(damage);
        }

        LatestSnapshot latest = SnapshotStore.open(dir()).latest();
        assertEquals(Optional.of(older), latest.snapshot());
        assertEquals(1, latest.rejected().size());
        LatestSnapshot.Rejected r = latest.rejected().get(0);
        assertEquals(newest, r.file());
        assertEquals(dir().resolve("snapshot-00000000000000000200-2.snap.corrupt"), r.movedTo());
        assertTrue(Files.exists(r.movedTo()), "kept for the operator");
        assertTrue(!r.reason().isBlank());
        assertEquals(List.of("snapshot-00000000000000000100-1.snap", "snapshot-00000000000000000200-2.snap.corrupt"),
                names(dir()));

        // the damaged file no longer counts for retention: the older valid one survives the next save
        SnapshotStore reopened = SnapshotStore.open(dir());
        reopened.save(300, 3, CONFIG, payload(300, 10));
        assertEquals(List.of("snapshot-00000000000000000100-1.snap", "snapshot-00000000000000000200-2.snap.corrupt",
                "snapshot-00000000000000000300-3.snap"), names(dir()));
    }

    @Test
    void theReasonsSayWhatIsWrong() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        store.save(100, 1, CONFIG, payload(100, 5000));
        store.save(200, 2, CONFIG, payload(200, 5000));
        store.save(300, 2, CONFIG, payload(300, 5000));
        int header = SnapshotFormat.headerBytes(CONFIG);
        flipByte(file(dir(), 300, 2), header + 10);
        cut(file(dir(), 200, 2), header + 10);
        LatestSnapshot latest = store.latest();
        assertEquals(Optional.empty(), latest.snapshot(), "100 was deleted by retention, nothing valid is left");
        assertEquals(2, latest.rejected().size());
        assertTrue(latest.rejected().get(0).reason().contains("payload checksum mismatch"), latest.rejected().get(0).reason());
        assertTrue(latest.rejected().get(1).reason().contains("torn"), latest.rejected().get(1).reason());
    }

    @Test
    void aFileWhoseNameDisagreesWithItsHeaderIsRejected() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta meta = store.save(100, 1, CONFIG, payload(100, 50));
        Files.copy(file(dir(), 100, 1), file(dir(), 900, 1));
        LatestSnapshot latest = store.latest();
        assertEquals(Optional.of(meta), latest.snapshot());
        assertTrue(latest.rejected().get(0).reason().contains("the name says index 900"), latest.rejected().get(0).reason());
    }

    @Test
    void tempFilesLeftByACrashAreDeletedAtOpen() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta meta = store.save(100, 1, CONFIG, payload(100, 50));
        Path temp1 = dir().resolve("snapshot-00000000000000000200-2.snap.12345.tmp");
        Path temp2 = dir().resolve("snapshot-00000000000000000300-2.snap.999.tmp");
        Files.write(temp1, payload(200, 30));
        Files.write(temp2, new byte[0]);
        Files.writeString(dir().resolve("README"), "other files are left alone");

        SnapshotStore reopened = SnapshotStore.open(dir());
        assertEquals(List.of(temp1, temp2), reopened.deletedTempFiles().stream().sorted().toList());
        assertEquals(List.of("README", "snapshot-00000000000000000100-1.snap"), names(dir()));
        assertEquals(Optional.of(meta), reopened.latest().snapshot());
    }

    @Test
    void aFailingWriterInstallsNothingAndLeavesNoTempFile() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta meta = store.save(100, 1, CONFIG, payload(100, 50));
        StoreException e = assertThrows(StoreException.class, () -> store.save(200, 2, CONFIG, out -> {
            out.write(payload(200, 5000));
            throw new IOException("the ledger could not be serialized");
        }));
        assertTrue(e.getMessage().contains("the ledger could not be serialized"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> store.save(200, 2, CONFIG, out -> {
            throw new IllegalStateException("a bug in the writer");
        }));
        assertEquals(List.of("snapshot-00000000000000000100-1.snap"), names(dir()));
        assertEquals(Optional.of(meta), store.latest().snapshot());
    }

    @Test
    void aWriterThatClosesTheStreamIsFine() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        SnapshotMeta meta = store.save(7, 1, CONFIG, out -> {
            try (out) {
                out.write('x');
                out.write(payload(7, 100));
            }
        });
        assertEquals(101, meta.payloadSize());
        assertEquals(Optional.of(meta), store.latest().snapshot());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsWritten() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        assertThrows(IllegalArgumentException.class, () -> store.save(-1, 1, CONFIG, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> store.save(5, 0, CONFIG, new byte[1]));
        assertThrows(NullPointerException.class, () -> store.save(5, 1, null, new byte[1]));
        String huge = "x".repeat(SnapshotMeta.MAX_CONFIGURATION_BYTES + 1);
        assertThrows(IllegalArgumentException.class, () -> store.save(5, 1, huge, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotMeta(5, 1, "", 0, 1L << 32));
        assertEquals(List.of(), names(dir()));
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        Files.writeString(root.resolve("file"), "not a directory");
        StoreException e = assertThrows(StoreException.class, () -> SnapshotStore.open(root.resolve("file/snapshots")));
        assertTrue(e.getMessage().contains("cannot open the snapshot directory"), e.getMessage());
    }

    @Test
    void aDirectoryNamedLikeASnapshotIsIgnored() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        store.save(100, 1, CONFIG, payload(100, 50));
        Files.createDirectory(file(dir(), 500, 1));
        LatestSnapshot latest = store.latest();
        assertEquals(100, latest.snapshot().orElseThrow().lastIncludedIndex());
        assertEquals(List.of(), latest.rejected());
    }

    @Test
    void savesFromSeveralThreadsKeepTheNewestTwo() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir());
        int threads = 4;
        int each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                saves.add(pool.submit(() -> {
                    for (int k = 0; k < each; k++) {
                        long index = (long) k * threads + thread;
                        store.save(index, 1, CONFIG, payload(index, 20_000));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : saves) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long top = (long) threads * each - 1;
        List<String> left = names(dir());
        // the newest two, and perhaps an older one installed last (kept so its saver can read it)
        assertTrue(left.contains(SnapshotFormat.fileName(top - 1, 1)) && left.contains(SnapshotFormat.fileName(top, 1))
                && left.size() <= 3 && left.stream().allMatch(n -> n.endsWith(".snap")), left.toString());
        SnapshotMeta latest = store.latest().snapshot().orElseThrow();
        assertEquals(top, latest.lastIncludedIndex());
        assertArrayEquals(payload(top, 20_000), readAll(store, latest));
        store.save(top + 1, 1, CONFIG, payload(top + 1, 10));
        assertEquals(List.of(SnapshotFormat.fileName(top, 1), SnapshotFormat.fileName(top + 1, 1)), names(dir()));
    }
}
