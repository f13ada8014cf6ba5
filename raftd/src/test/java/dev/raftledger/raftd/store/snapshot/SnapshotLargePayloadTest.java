package dev.raftledger.raftd.store.snapshot;

import static dev.raftledger.raftd.store.snapshot.SnapshotFixtures.generated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.snapshot.ChunkResult.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MB payload written by a generator, read in chunks, sent through a receiver: none of it
 * is ever held whole. The store streams it to disk while the writer runs (checked by watching
 * the temp file grow), and everything that reads it compares against the generator.
 */
@Timeout(120)
class SnapshotLargePayloadTest {

    @TempDir
    Path root;

    private static final long SIZE = 50L << 20;
    private static final int PIECE = 64 * 1024;

    private static long tempBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long sum = 0;
            for (Path f : files.filter(SnapshotFormat::isTemp).toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }

    /** Checks {@code bytes} are the generator's from {@code offset} on. */
    private static void assertGenerated(long offset, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != generated(offset + i)) {
                throw new AssertionError("byte " + (offset + i) + " is " + bytes[i] + ", expected " + generated(offset + i));
            }
        }
    }

    @Test
    void fiftyMegabytesStreamedThroughSaveReadAndReceive() throws Exception {
        Path dir = root.resolve("leader");
        SnapshotStore store = SnapshotStore.open(dir);
        CRC32C expectedCrc = new CRC32C();
        long[] onDiskAt40Mb = {-1};
        SnapshotMeta meta = store.save(1_000_000, 9, "", out -> {
            byte[] piece = new byte[PIECE];
            for (long at = 0; at < SIZE; at += PIECE) {
                for (int i = 0; i < PIECE; i++) {
                    piece[i] = generated(at + i);
                }
                out.write(piece);
                expectedCrc.update(piece);
                if (at + PIECE == 40L << 20) {
                    onDiskAt40Mb[0] = tempBytes(dir);
                }
            }
        });
        assertTrue(onDiskAt40Mb[0] >= 39L << 20,
                "the payload reaches the file while it is written, not at the end: " + onDiskAt40Mb[0] + " bytes after 40 MiB");
        assertEquals(SIZE, meta.payloadSize());
        assertEquals(expectedCrc.getValue(), meta.payloadCrc());
        assertEquals(Optional.of(meta), store.latest().snapshot(), "verified from the file");

        // the leader reads it in chunks and a follower receives them
        SnapshotStore follower = SnapshotStore.open(root.resolve("follower"));
        SnapshotReceiver receiver = follower.receiver();
        ChunkResult r;
        try (SnapshotReader reader = store.openReader(meta)) {
            long offset = 0;
            do {
                byte[] chunk = reader.read(offset, 60_000);
                assertGenerated(offset, chunk);
                r = receiver.accept(meta, offset, chunk, offset + chunk.length == SIZE);
                offset = r.nextOffset();
            } while (r.status() == Status.ACCEPTED);
        }
        assertEquals(ChunkResult.installed(meta), r);
        assertEquals(Optional.of(meta), follower.latest().snapshot());

        // the follower loads it as a stream
        try (SnapshotReader reader = follower.openReader(meta); InputStream in = reader.payloadStream()) {
            byte[] buf = new byte[100_000];
            long offset = 0;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                assertGenerated(offset, java.util.Arrays.copyOf(buf, n));
                offset += n;
            }
            assertEquals(SIZE, offset);
        }
    }
}
