package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.record;
import static dev.raftledger.raftd.store.log.LogFixtures.segmentFiles;
import static dev.raftledger.raftd.store.log.LogFixtures.writeSegment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compactThrough: whole segments at the front are deleted, nothing after the index is lost. */
class SegmentedLogCompactionTest {

    @TempDir
    Path dir;

    /** Opens the log filled with 0-299 of term 1 (several 4 KiB segments). */
    private SegmentedLog filled() throws Exception {
        SegmentedLog log = SegmentedLog.open(dir, SMALL);
        appendRange(log, 0, 299, 1);
        assertTrue(segmentFiles(dir).size() >= 5, "the tests need several segments: " + segmentFiles(dir));
        return log;
    }

    /** The first index a compaction through {@code index} must leave: the base of the segment holding index + 1. */
    private static long expectedFirst(List<Path> files, long index) {
        long first = Segment.baseIndexOf(files.get(0));
        for (Path f : files) {
            long base = Segment.baseIndexOf(f);
            if (base <= index + 1) {
                first = base;
            }
        }
        return first;
    }

    private static long totalSize(List<Path> files) throws Exception {
        long sum = 0;
        for (Path f : files) {
            sum += Files.size(f);
        }
        return sum;
    }

    private void assertReopened(long first, long last, LongUnaryOperator termOf) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertFalse(log.recovery().truncated(), log.recovery().summary());
            assertEquals(first, log.firstIndex());
            assertEquals(first, log.recovery().firstIndex());
            assertEquals(last, log.durableIndex(), "what recovery found is durable");
            assertHolds(log, last, termOf);
        }
    }

    @Test
    void deletesTheSegmentsWhollyCoveredAndKeepsEverythingAfter() throws Exception {
        List<Path> before;
        long first;
        try (SegmentedLog log = filled()) {
            log.sync();
            before = segmentFiles(dir);
            first = expectedFirst(before, 150);
            assertTrue(first > 0 && first <= 151, "a segment boundary at or below 151: " + first);
            List<Path> doomed = before.stream().filter(f -> Segment.baseIndexOf(f) < first).toList();
            long doomedBytes = totalSize(doomed);

            Compaction c = log.compactThrough(150);
            assertEquals(new Compaction(first, doomed.size(), doomedBytes), c);
            assertEquals(before.subList(doomed.size(), before.size()), segmentFiles(dir), "only whole segments at the front go");
            assertEquals(first, log.firstIndex());
            assertEquals(299, log.lastIndex());
            assertEquals(299, log.durableIndex());
            assertHolds(log, 299, i -> 1);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.termAt(first - 1));
            assertTrue(e.getMessage().contains("compacted"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> log.payload(0));
            assertTrue(e.getMessage().contains("compacted"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> log.read(first - 1, 299, 1000));
            assertTrue(e.getMessage().contains("starts at " + first), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(first - 1));

            appendRange(log, 300, 320, 2); // appending, rolling and syncing go on as before
            log.sync();
        }
        assertReopened(first, 320, i -> i < 300 ? 1 : 2);
    }

    @Test
    void compactingAgainAndAgainAndTruncatingAfterwards() throws Exception {
        long first;
        try (SegmentedLog log = filled()) {
            log.compactThrough(100);
            long afterFirst = log.firstIndex();
            log.compactThrough(100);
            assertEquals(afterFirst, log.firstIndex(), "a second compaction through the same index frees nothing more");
            appendRange(log, 300, 599, 2);
            List<Path> files = segmentFiles(dir);
            first = expectedFirst(files, 450);
            log.compactThrough(450);
            assertEquals(first, log.firstIndex());
            log.truncateSuffix(500); // a Raft conflict after compaction
            appendRange(log, 500, 520, 3);
            assertHolds(log, 520, i -> i < 300 ? 1 : i < 500 ? 2 : 3);
        } // not synced: recovery makes what reached the OS durable
        assertReopened(first, 520, i -> i < 300 ? 1 : i < 500 ? 2 : 3);
    }

    @Test
    void neverDeletesTheActiveSegment() throws Exception {
        long activeBase;
        try (SegmentedLog log = filled()) {
            activeBase = Segment.baseIndexOf(LogFixtures.lastSegment(dir));
            Compaction c = log.compactThrough(299);
            assertEquals(activeBase, c.firstIndex());
            assertEquals(List.of(dir.resolve(Segment.fileName(activeBase))), segmentFiles(dir));
            assertHolds(log, 299, i -> 1);
            assertEquals(1, log.lastTerm());
        }
        assertReopened(activeBase, 299, i -> 1);
    }

    @Test
    void anEmptyActiveSegmentLeavesAnEmptyLogThatKeepsItsNextIndexAcrossARestart() throws Exception {
        long base;
        try (SegmentedLog log = filled()) {
            base = Segment.baseIndexOf(segmentFiles(dir).get(3));
            log.truncateSuffix(base); // the cut segment stays, empty, as the active one
            log.compactThrough(base - 1);
            assertEquals(base, log.firstIndex());
            assertEquals(base - 1, log.lastIndex());
            assertEquals(0, log.lastTerm(), "the term of base - 1 is the snapshot's to know");
            assertEquals(List.of(), log.read(base, base + 10, 1000));
            assertThrows(IllegalArgumentException.class, () -> log.termAt(base - 1));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(base, log.firstIndex());
            assertEquals(base - 1, log.lastIndex());
            assertEquals(0, log.recovery().records());
            appendRange(log, base, base + 5, 4);
        }
        assertReopened(base, base + 5, i -> 4);
    }

    @Test
    void belowTheFirstSegmentsEndNothingChangesAndBeyondTheLogIsRefused() throws Exception {
        try (SegmentedLog log = filled()) {
            List<Path> files = segmentFiles(dir);
            long fsyncs = log.fsync().count();
            assertEquals(new Compaction(0, 0, 0), log.compactThrough(3));
            assertEquals(new Compaction(0, 0, 0), log.compactThrough(-1));
            assertEquals(fsyncs, log.fsync().count(), "nothing to delete, nothing to fsync");
            assertEquals(files, segmentFiles(dir));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.compactThrough(300));
            assertTrue(e.getMessage().contains("resetTo"), e.getMessage());
            assertEquals(files, segmentFiles(dir));
            assertHolds(log, 299, i -> 1);
        }
    }

    @Test
    void aLogWhoseFirstSegmentStartsLaterOpens() throws Exception {
        writeSegment(dir, 1000, List.of(record(1000, 3), record(1001, 3)));
        writeSegment(dir, 1002, List.of(record(1002, 3), record(1003, 4)));
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(1000, log.firstIndex());
            assertEquals(1003, log.lastIndex());
            assertEquals(4, log.lastTerm());
            assertArrayEquals(LogFixtures.payload(1001, 3), log.payload(1001));
            assertTrue(log.recovery().summary().contains("1000-1003"), log.recovery().summary());
            appendRange(log, 1004, 1005, 4);
        }
        assertReopened(1000, 1005, i -> i < 1003 ? 3 : 4);
    }

    @Test
    void aGapAfterALaterFirstSegmentIsStillRefused() throws Exception {
        writeSegment(dir, 1000, List.of(record(1000, 3), record(1001, 3)));
        writeSegment(dir, 1003, List.of(record(1003, 3)));
        StoreException e = assertThrows(StoreException.class, () -> SegmentedLog.open(dir, SMALL));
        assertTrue(e.getMessage().contains("should start at index 1002"), e.getMessage());
    }

    @Test
    void aClosedLogRefusesToCompactOrReset() throws Exception {
        try (SegmentedLog log = filled()) {
            log.close();
            assertThrows(IllegalStateException.class, () -> log.compactThrough(100));
            assertThrows(IllegalStateException.class, () -> log.resetTo(400));
        }
    }
}
