package dev.raftledger.raftd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.core.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The durable term and vote: survives reopening, refuses another node's or a damaged file. */
class HardStateStoreTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(HardStateStore.FILE);
    }

    private Path temp() {
        return dir.resolve(HardStateStore.FILE + ".tmp");
    }

    /** Opens the data dir and the store, runs {@code body}, closes the dir (as a node's run). */
    private HardState inSession(String node, StoreAction body) throws Exception {
        try (DataDir d = DataDir.open(dir)) {
            HardStateStore store = HardStateStore.open(d, node);
            body.run(store);
            return store.current();
        }
    }

    @FunctionalInterface
    private interface StoreAction {
        void run(HardStateStore store) throws Exception;
    }

    private HardState reopen(String node) throws Exception {
        return inSession(node, store -> { });
    }

    @Test
    void freshDataDirStartsFromTheInitialState() throws Exception {
        assertEquals(HardState.INITIAL, reopen("Node2"));
        assertEquals(new HardState(0, null), HardState.INITIAL);
    }

    @Test
    void savedStateIsReadBackAfterReopening() throws Exception {
        inSession("Node2", store -> {
            store.save(new HardState(3, "Node4"));
            assertEquals(new HardState(3, "Node4"), store.current());
        });
        assertEquals(new HardState(3, "Node4"), reopen("Node2"));
    }

    @Test
    void termWithoutAVoteIsReadBackAsNullVote() throws Exception {
        inSession("Node2", store -> store.save(new HardState(8, null)));
        assertEquals(new HardState(8, null), reopen("Node2"));
    }

    @Test
    void theLastOfSeveralSavesWins() throws Exception {
        inSession("Node2", store -> {
            store.save(new HardState(1, "Node1"));
            store.save(new HardState(2, null));
            store.save(new HardState(2, "Node2"));
            store.save(new HardState(9_007_199_254_740_991L, "Node5"));
        });
        assertEquals(new HardState(9_007_199_254_740_991L, "Node5"), reopen("Node2"));
    }

    @Test
    void fileNamesTheNodeAndWritesTheTermAsANumber() throws Exception {
        inSession("Node2", store -> store.save(new HardState(3, "Node4")));
        JsonNode o = Codec.readTree(Files.readAllBytes(file()));
        assertEquals("Node2", o.get("node").textValue());
        assertTrue(o.get("term").isIntegralNumber());
        assertEquals(3, o.get("term").longValue());
        assertEquals("Node4", o.get("voted_for").textValue());

        inSession("Node2", store -> store.save(new HardState(4, null)));
        JsonNode after = Codec.readTree(Files.readAllBytes(file()));
        assertTrue(after.has("voted_for") && after.get("voted_for").isNull());
    }

    @Test
    void theFileIsOneSectorRewrittenInPlaceAndReadableByTheOldReader() throws Exception {
        // a data dir of 0.1.0: the object alone, no padding
        Files.createDirectories(dir);
        Files.writeString(file(), "{\"node\":\"Node2\",\"term\":4,\"voted_for\":\"Node1\",\"incarnation\":7}");
        Object[] inode = new Object[1];
        inSession("Node2", store -> {
            assertEquals(new HardState(4, "Node1"), store.current());
            assertEquals(HardStateStore.RECORD, Files.size(file()), "padded to one sector at the first write");
            inode[0] = Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            store.save(new HardState(5, "Node3"));
            store.save(new HardState(6, null));
            assertEquals(inode[0], Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "saves rewrite the same file in place (no rename)");
            assertEquals(HardStateStore.RECORD, Files.size(file()));
        });
        byte[] bytes = Files.readAllBytes(file());
        JsonNode o = Codec.readTree(bytes); // the reader 0.1.0 has: one object, trailing whitespace allowed
        assertEquals(6, o.get("term").longValue());
        assertTrue(o.get("voted_for").isNull());
        assertEquals('\n', bytes[bytes.length - 1]);
        assertEquals(new HardState(6, null), reopen("Node2"));
    }

    @Test
    void aStateTooLongForASectorIsStillSavedTheSlowWay() throws Exception {
        String far = "\u0416".repeat(64); // 64 characters of two bytes each, twice: past 512 bytes with the rest
        byte[] json = ("{\"node\":\"" + far + "\",\"voted_for\":\"" + far + "\",\"term\":1,\"incarnation\":1}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.length < HardStateStore.RECORD, "two-byte names fit");
        byte[] longer = new byte[HardStateStore.RECORD + 3];
        assertEquals(longer.length, HardStateStore.padded(longer).length, "not cut, not padded");
        assertEquals(HardStateStore.RECORD, HardStateStore.padded(json).length);
    }

    @Test
    void noTemporaryFileRemainsAfterASave() throws Exception {
        inSession("Node2", store -> {
            store.save(new HardState(1, "Node2"));
            assertFalse(Files.exists(temp()));
            store.save(new HardState(2, "Node3"));
            assertFalse(Files.exists(temp()));
        });
        try (var files = Files.list(dir)) {
            // only the state file and the lock file: nothing half-written left behind
            assertEquals(List.of("hardstate.json", "raftd.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void savingAnEqualStateDoesNotRewriteTheFile() throws Exception {
        inSession("Node2", store -> {
            store.save(new HardState(5, "Node3"));
            // Replace the file by an equivalent but differently formatted one: if the next save
            // of the same state wrote anything, this formatting would be gone.
            String marker = "{\n  \"node\" : \"Node2\",\n  \"term\" : 5,\n  \"voted_for\" : \"Node3\"\n}\n";
            Files.writeString(file(), marker);

            store.save(new HardState(5, "Node3"));

            assertEquals(marker, Files.readString(file()), "an unchanged state must not cost a write and two fsyncs");
            assertFalse(Files.exists(temp()));

            store.save(new HardState(6, null));
            assertNotEquals(marker, Files.readString(file()), "a changed state is written");
        });
        assertEquals(new HardState(6, null), reopen("Node2"));
    }

    @Test
    void everyOpeningRecordsAGrowingIncarnationAndKeepsTheState() throws Exception {
        long[] clock = {1_000};
        try (DataDir d = DataDir.open(dir)) {
            HardStateStore store = HardStateStore.open(d, "Node2", () -> clock[0]);
            assertEquals(1_000, store.incarnation(), "a fresh start takes the clock");
            assertTrue(Files.exists(file()), "the incarnation is on disk before the node runs");
            store.save(new HardState(4, "Node3"));
        }
        clock[0] = 500; // the clock stepped back: the incarnation still grows
        try (DataDir d = DataDir.open(dir)) {
            HardStateStore store = HardStateStore.open(d, "Node2", () -> clock[0]);
            assertEquals(1_001, store.incarnation());
            assertEquals(new HardState(4, "Node3"), store.current());
        }
        clock[0] = 9_000;
        try (DataDir d = DataDir.open(dir)) {
            assertEquals(9_000, HardStateStore.open(d, "Node2", () -> clock[0]).incarnation());
        }
        assertEquals(new HardState(4, "Node3"), reopen("Node2"));
    }

    @Test
    void anotherNodesFileIsRefusedNamingBothNodes() throws Exception {
        inSession("Node2", store -> store.save(new HardState(3, "Node2")));

        StoreException e = assertThrows(StoreException.class, () -> reopen("Node3"));
        assertTrue(e.getMessage().contains("Node2") && e.getMessage().contains("Node3"), e.getMessage());
        // and the file is left as it was, for its real owner
        assertEquals(new HardState(3, "Node2"), reopen("Node2"));
    }

    @Test
    void leftoverTemporaryFileFromACrashDoesNotMatter() throws Exception {
        inSession("Node2", store -> store.save(new HardState(3, "Node4")));
        // a crash between writing the temp file and renaming it leaves a partial temp file
        Files.writeString(temp(), "{\"node\":\"Node2\",\"ter");

        assertEquals(new HardState(3, "Node4"), reopen("Node2"));
        inSession("Node2", store -> store.save(new HardState(4, "Node1")));
        assertFalse(Files.exists(temp()));
        assertEquals(new HardState(4, "Node1"), reopen("Node2"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "{\"node\":\"Node2\",\"term\":",                          // truncated JSON
            "not json at all",
            "{\"node\":\"Node2\",\"voted_for\":\"Node1\"}",           // missing term
            "{\"node\":\"Node2\",\"term\":null,\"voted_for\":null}",  // null term
            "{\"node\":\"Node2\",\"term\":-1,\"voted_for\":null}",    // negative term
            "{\"node\":\"Node2\",\"term\":\"3\",\"voted_for\":null}", // term as string
            "{\"node\":\"Node2\",\"term\":3.5,\"voted_for\":null}",   // fractional term
            "{\"node\":\"Node2\",\"term\":99999999999999999999999,\"voted_for\":null}", // beyond long
            "{\"term\":3,\"voted_for\":null}",                       // no owner
            "[]",
            "null",
            ""})
    void damagedFileIsRefused(String content) throws Exception {
        Files.writeString(file(), content);
        StoreException e = assertThrows(StoreException.class, () -> reopen("Node2"));
        assertTrue(e.getMessage().contains(HardStateStore.FILE), e.getMessage());
    }

    /**
     * A vote is a node name or null. Anything else in voted_for is damage: read leniently,
     * {} and [] would become the vote "" and 5 the vote "5", and the node would start as if
     * that were a real vote instead of refusing the file.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"5", "{}", "[]", "true", "\"\""})
    void votedForOfTheWrongTypeIsRefused(String votedFor) throws Exception {
        Files.writeString(file(), "{\"node\":\"Node2\",\"term\":3,\"voted_for\":" + votedFor + "}");
        assertThrows(StoreException.class, () -> reopen("Node2"));
    }

    @Test
    void unreadableFileIsAStoreException() throws Exception {
        // hardstate.json as a directory: reading it fails with an IOException, reported as such
        Files.createDirectory(file());
        StoreException e = assertThrows(StoreException.class, () -> reopen("Node2"));
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void failedSaveThrowsAndKeepsTheOldState() throws Exception {
        inSession("Node2", store -> {
            store.save(new HardState(1, "Node2"));
            // make the rename target impossible: a non-empty directory in place of the file
            Files.delete(file());
            Files.createDirectories(file().resolve("blocker"));
            assertThrows(StoreException.class, () -> store.save(new HardState(2, "Node3")));
            assertEquals(new HardState(1, "Node2"), store.current(), "current() is what is on disk");
        });
    }

    @Test
    void negativeTermCannotEvenBeConstructed() {
        assertThrows(IllegalArgumentException.class, () -> new HardState(-1, null));
    }

    @Test
    void storeExceptionCarriesItsCause() {
        IOException cause = new IOException("disk on fire");
        StoreException e = new StoreException("cannot save", cause);
        assertEquals("cannot save", e.getMessage());
        assertEquals(cause, e.getCause());
    }
}
