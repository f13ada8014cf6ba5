package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft conflicts: cutting the end off the log, then writing new terms there. */
class TruncateSuffixTest {

    @TempDir
    Path dir;

    /** Opens the log filled with 0-299 of term 1 (several segments). */
    private SegmentedLog filled() throws Exception {
        SegmentedLog log = SegmentedLog.open(dir, SMALL);
        appendRange(log, 0, 299, 1);
        return log;
    }

    /** Reopens, checks the tail was clean and the records are 0..last with termOf. */
    private void assertReopened(long last, LongUnaryOperator termOf) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertFalse(log.recovery().truncated(), "truncation left a bad tail: " + log.recovery().summary());
            assertHolds(log, last, termOf);
        }
    }

    @Test
    void truncateInsideTheLastSegmentThenAppendNewTerms() throws Exception {
        List<Path> files;
        try (SegmentedLog log = filled()) {
            files = segmentFiles(dir);
            log.truncateSuffix(295);
            assertEquals(294, log.lastIndex());
            assertEquals(294, log.durableIndex(), "durable when it returns");
            assertEquals(files, segmentFiles(dir));
            appendRange(log, 295, 310, 2);
            assertEquals(2, log.lastTerm());
            assertHolds(log, 310, i -> i < 295 ? 1 : 2);
            log.sync();
        }
        assertReopened(310, i -> i < 295 ? 1 : 2);
    }

    @Test
    void truncateAcrossSegmentsDeletesTheLaterFiles() throws Exception {
        List<Path> files;
        try (SegmentedLog log = filled()) {
            files = segmentFiles(dir);
            assertTrue(files.size() >= 5);
            log.truncateSuffix(70); // inside the second segment
            assertEquals(69, log.lastIndex());
            assertEquals(69, log.durableIndex());
            assertEquals(files.subList(0, 2), segmentFiles(dir));
            assertThrows(IllegalArgumentException.class, () -> log.termAt(70));
            appendRange(log, 70, 150, 3);
            // no sync: what reaches the OS is found again by the next open
        }
        assertReopened(150, i -> i < 70 ? 1 : 3);
    }

    @Test
    void truncateAtTheFirstRecordOfASegmentKeepsItEmpty() throws Exception {
        List<Path> files;
        long base;
        try (SegmentedLog log = filled()) {
            files = segmentFiles(dir);
            base = Segment.baseIndexOf(files.get(2));
            log.truncateSuffix(base);
            assertEquals(base - 1, log.lastIndex());
            assertEquals(files.subList(0, 3), segmentFiles(dir), "the cut segment stays, empty");
        }
        assertReopened(base - 1, i -> 1);
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, base, base + 3, 4);
            log.sync();
        }
        assertReopened(base + 3, i -> i < base ? 1 : 4);
    }

    @Test
    void truncateEverything() throws Exception {
        try (SegmentedLog log = filled()) {
            log.truncateSuffix(0);
            assertEquals(-1, log.lastIndex());
            assertEquals(0, log.lastTerm());
            assertEquals(-1, log.durableIndex());
            assertEquals(1, segmentFiles(dir).size());
        }
        assertReopened(-1, i -> 1);
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 2, 7);
        }
        assertReopened(2, i -> 7);
    }

    @Test
    void truncateAtTheEndIsANoOpAndOutsideIsRefused() throws Exception {
        try (SegmentedLog log = filled()) {
            long fsyncs = log.fsync().count();
            log.truncateSuffix(300);
            assertEquals(299, log.lastIndex());
            assertEquals(fsyncs, log.fsync().count());
            assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(301));
            assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(-1));
            assertEquals(299, log.lastIndex());
        }
    }

    @Test
    void repeatedConflictsNeverLeaveABadTail() throws Exception {
        long[] terms = new long[400];
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            long term = 1;
            long last = -1;
            for (int round = 0; round < 12; round++) {
                for (long i = last + 1; i <= last + 35; i++) {
                    log.append(i, term, LogFixtures.payload(i, term));
                    terms[(int) i] = term;
                }
                last += 35;
                last -= 1 + (round * 13) % 30; // cut between 1 and 30 records
                log.truncateSuffix(last + 1);
                term++;
                long lastNow = last;
                assertReopenedWhileOpen(log, lastNow, terms);
            }
        }
    }

    private void assertReopenedWhileOpen(SegmentedLog log, long last, long[] terms) throws Exception {
        assertHolds(log, last, i -> terms[(int) i]);
        // a second reader of the same files must find them clean and equal (the lock is the data dir's, not ours)
        try (SegmentedLog again = SegmentedLog.open(dir, SMALL)) {
            assertFalse(again.recovery().truncated());
            assertHolds(again, last, i -> terms[(int) i]);
        }
    }
}
