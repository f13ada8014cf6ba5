package dev.raftledger.raftd.store.snapshot;

import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.CONFIG;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.file;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.flipByte;
import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a snapshot's payload in chunks (InstallSnapshot) and as a stream (loading). */
class SnapshotReaderTest {

    @TempDir
    Path dir;

    private static final byte[] PAYLOAD = payload(777, 100_003);

    private SnapshotStore store;
    private SnapshotMeta meta;

    private void save() throws Exception {
        store = SnapshotStore.open(dir);
        meta = store.save(777, 4, CONFIG, PAYLOAD);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 4096, 65_000, 100_003, 1 << 20})
    void chunksInOrderMakeTheWhole(int chunk) throws Exception {
        save();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (SnapshotReader reader = store.openReader(meta)) {
            assertEquals(meta, reader.meta());
            long offset = 0;
            while (offset < meta.payloadSize()) {
                byte[] bytes = reader.read(offset, chunk);
                assertEquals(Math.min(chunk, meta.payloadSize() - offset), bytes.length);
                all.write(bytes);
                offset += bytes.length;
            }
            assertEquals(0, reader.read(meta.payloadSize(), chunk).length, "nothing at the end");
        }
        assertArrayEquals(PAYLOAD, all.toByteArray());
    }

    @Test
    void chunksAtAnyOffsetAndResends() throws Exception {
        save();
        try (SnapshotReader reader = store.openReader(meta)) {
            assertArrayEquals(Arrays.copyOfRange(PAYLOAD, 5000, 5100), reader.read(5000, 100));
            assertArrayEquals(Arrays.copyOfRange(PAYLOAD, 99_999, 100_003), reader.read(99_999, 100));
            // an in-order pass with a resend of an earlier stretch in the middle still reads the whole
            for (long off = 0; off < meta.payloadSize(); off += 30_000) {
                reader.read(off, 30_000);
                if (off == 60_000) {
                    reader.read(30_000, 30_000);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> reader.read(-1, 10));
            assertThrows(IllegalArgumentException.class, () -> reader.read(100_004, 10));
            assertThrows(IllegalArgumentException.class, () -> reader.read(0, 0));
        }
    }

    @Test
    void theStreamReadsTheWholePayload() throws Exception {
        save();
        try (SnapshotReader reader = store.openReader(meta); InputStream in = reader.payloadStream()) {
            assertEquals(PAYLOAD[0] & 0xFF, in.read());
            byte[] rest = in.readAllBytes();
            assertArrayEquals(Arrays.copyOfRange(PAYLOAD, 1, PAYLOAD.length), rest);
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aPayloadDamagedAfterSavingIsCaughtAtTheEndOfAnInOrderPass() throws Exception {
        save();
        flipByte(file(dir, 777, 4), SnapshotFormat.headerBytes(CONFIG) + 50_000);
        try (SnapshotReader reader = store.openReader(meta)) {
            reader.read(0, 60_000); // the damage is in here, but only the whole can be checked
            StoreException e = assertThrows(StoreException.class, () -> reader.read(60_000, 60_000));
            assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
            try (InputStream in = reader.payloadStream()) {
                IOException io = assertThrows(IOException.class, in::readAllBytes);
                assertTrue(io.getMessage().contains("is damaged"), io.getMessage());
            }
        }
    }

    @Test
    void aReaderForAnotherMetaIsRefused() throws Exception {
        save();
        SnapshotMeta other = new SnapshotMeta(777, 4, CONFIG, meta.payloadSize(), meta.payloadCrc() ^ 1);
        StoreException e = assertThrows(StoreException.class, () -> store.openReader(other));
        assertTrue(e.getMessage().contains("not the"), e.getMessage());
        SnapshotMeta missing = new SnapshotMeta(778, 4, CONFIG, 1, 0);
        e = assertThrows(StoreException.class, () -> store.openReader(missing));
        assertTrue(e.getMessage().contains("no snapshot file"), e.getMessage());
    }

    @Test
    void aReaderKeepsReadingASnapshotThatRetentionDeleted() throws Exception {
        save();
        try (SnapshotReader reader = store.openReader(meta)) {
            store.save(800, 4, CONFIG, payload(800, 10));
            store.save(900, 4, CONFIG, payload(900, 10));
            assertThrows(StoreException.class, () -> store.openReader(meta), "deleted");
            try (InputStream in = reader.payloadStream()) {
                assertArrayEquals(PAYLOAD, in.readAllBytes());
            }
        }
    }
}
