package dev.raftledger.raftd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's lock: one owner at a time, released on close. */
class DataDirTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheDirectoryWithMissingParents() throws Exception {
        Path dir = tmp.resolve("a/b/c/node2");
        try (DataDir d = DataDir.open(dir)) {
            assertTrue(Files.isDirectory(dir));
            assertEquals(dir, d.path());
            assertTrue(Files.exists(dir.resolve("raftd.lock")));
        }
    }

    @Test
    void opensAnExistingDirectoryKeepingItsFiles() throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "x");
        try (DataDir d = DataDir.open(tmp)) {
            assertEquals("x", Files.readString(d.path().resolve("keep.txt")));
        }
    }

    @Test
    void secondOpenWhileTheFirstIsOpenFails() throws Exception {
        Path dir = tmp.resolve("node1");
        try (DataDir first = DataDir.open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> DataDir.open(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            // the failed attempt did not disturb the first owner
            assertEquals(dir, first.path());
            assertThrows(StoreException.class, () -> DataDir.open(dir));
        }
    }

    @Test
    void afterCloseTheDirectoryOpensAgain() throws Exception {
        Path dir = tmp.resolve("node1");
        DataDir.open(dir).close();
        try (DataDir again = DataDir.open(dir)) {
            assertEquals(dir, again.path());
        }
        // and once more after a failed second open, which must not have kept anything locked
        try (DataDir first = DataDir.open(dir)) {
            assertThrows(StoreException.class, () -> DataDir.open(first.path()));
        }
        DataDir.open(dir).close();
    }

    @Test
    void twoDifferentDirectoriesOpenTogether() throws Exception {
        try (DataDir a = DataDir.open(tmp.resolve("node1")); DataDir b = DataDir.open(tmp.resolve("node2"))) {
            assertEquals(tmp.resolve("node1"), a.path());
            assertEquals(tmp.resolve("node2"), b.path());
        }
    }

    @Test
    void pathThatIsARegularFileIsRefused() throws Exception {
        Path file = tmp.resolve("not-a-dir");
        Files.writeString(file, "x");
        StoreException e = assertThrows(StoreException.class, () -> DataDir.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void syncDirectoryWorksOnAnOpenDirectory() throws Exception {
        try (DataDir d = DataDir.open(tmp.resolve("node1"))) {
            Files.writeString(d.path().resolve("f"), "x");
            d.syncDirectory(); // must not throw on a normal directory
        }
    }
}
