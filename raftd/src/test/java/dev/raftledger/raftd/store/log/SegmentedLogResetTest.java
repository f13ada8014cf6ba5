package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resetTo: a follower that installed a snapshot throws its log away and goes on after it. */
class SegmentedLogResetTest {

    @TempDir
    Path dir;

    private void assertEmptyAt(SegmentedLog log, long next) throws Exception {
        assertEquals(next, log.firstIndex());
        assertEquals(next - 1, log.lastIndex());
        assertEquals(next - 1, log.durableIndex());
        assertEquals(0, log.lastTerm());
        assertEquals(List.of(), log.read(next, next + 100, 1000));
    }

    @Test
    void resetBeyondTheEndLeavesOneEmptySegmentNamedByTheNextIndex() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 299, 1);
            log.resetTo(1000);
            assertEmptyAt(log, 1000);
            assertEquals(List.of(dir.resolve("segment-00000000000000001000.log")), segmentFiles(dir));
            assertEquals(0, Files.size(segmentFiles(dir).get(0)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.termAt(500));
            assertTrue(e.getMessage().contains("compacted"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.append(999, 5, new byte[1]));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEmptyAt(log, 1000); // the next index survives a restart
            assertFalse(log.recovery().truncated());
            appendRange(log, 1000, 1199, 5); // several segments again
            assertEquals(1199, log.sync());
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(1000, log.firstIndex());
            assertHolds(log, 1199, i -> 5);
            assertTrue(log.recovery().segmentFiles() > 1);
        }
    }

    @Test
    void resetInsideTheLogDiscardsAllOfItToo() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 299, 1);
            log.resetTo(120); // the snapshot conflicts with the log: none of it is kept
            assertEmptyAt(log, 120);
            appendRange(log, 120, 130, 6);
            assertHolds(log, 130, i -> 6);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(120, log.firstIndex());
            assertHolds(log, 130, i -> 6);
        }
    }

    @Test
    void resetAfterCompactionAndOfAnEmptyLog() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            log.resetTo(0);
            assertEmptyAt(log, 0);
            appendRange(log, 0, 299, 1);
            log.compactThrough(200);
            log.resetTo(300); // exactly after the end
            assertEmptyAt(log, 300);
            log.resetTo(300); // twice in a row: the empty segment is replaced by itself
            assertEmptyAt(log, 300);
            assertEquals(1, segmentFiles(dir).size());
            assertThrows(IllegalArgumentException.class, () -> log.resetTo(-1));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEmptyAt(log, 300);
        }
    }
}
