package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.payload;
import static dev.raftledger.raftd.store.log.LogFixtures.record;
import static dev.raftledger.raftd.store.log.LogFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, reading and reopening; what appends are refused. */
class SegmentedLogTest {

    @TempDir
    Path dir;

    /** Term 1 for 0-99, 2 for 100-199, 5 from 200 on. */
    private static long termOf(long i) {
        return i < 100 ? 1 : i < 200 ? 2 : 5;
    }

    @Test
    void aNewLogIsEmptyAndStartsAtZero() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir.resolve("new/log"), SMALL)) {
            assertEquals(0, log.firstIndex());
            assertEquals(-1, log.lastIndex());
            assertEquals(0, log.lastTerm());
            assertEquals(-1, log.durableIndex());
            assertEquals(List.of(), log.read(0, 10, 100));
            assertThrows(IllegalArgumentException.class, () -> log.termAt(0));
            assertEquals(0, log.recovery().records());
            assertFalse(log.recovery().truncated());
        }
        assertTrue(Files.isRegularFile(dir.resolve("new/log/segment-00000000000000000000.log")));
    }

    @Test
    void recordsRoundTripAcrossSegmentsAndReopening() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            for (long i = 0; i < 300; i++) {
                log.append(i, termOf(i), payload(i, termOf(i)));
                assertEquals(i, log.lastIndex());
                assertEquals(termOf(i), log.lastTerm());
            }
            assertEquals(0, log.firstIndex());
            assertHolds(log, 299, SegmentedLogTest::termOf);
            assertArrayEquals(payload(150, 2), log.payload(150));
            log.sync();
        }
        List<Path> files = segmentFiles(dir);
        assertTrue(files.size() >= 5, "300 records of ~70 bytes should fill several 4 KiB segments: " + files);
        for (Path f : files.subList(0, files.size() - 1)) {
            long size = Files.size(f);
            assertTrue(size >= 4096 && size < 4096 + 100, f + " rolled at " + size + " bytes");
        }

        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(files.size(), log.recovery().segmentFiles());
            assertEquals(300, log.recovery().records());
            assertFalse(log.recovery().truncated());
            assertEquals(0, log.firstIndex());
            assertEquals(5, log.lastTerm());
            assertEquals(299, log.durableIndex(), "what recovery found is durable");
            assertHolds(log, 299, SegmentedLogTest::termOf);
            appendRange(log, 300, 309, 6);
            assertEquals(6, log.termAt(309));
        }
    }

    @Test
    void appendAllWritesABatchThatSpansSegments() throws Exception {
        List<LogRecord> batch = new ArrayList<>();
        for (long i = 0; i < 250; i++) {
            batch.add(record(i, termOf(i)));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            log.appendAll(batch.subList(0, 1));
            log.appendAll(batch.subList(1, 250));
            log.appendAll(List.of());
            assertHolds(log, 249, SegmentedLogTest::termOf);
        }
        List<Path> files = segmentFiles(dir);
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertHolds(log, 249, SegmentedLogTest::termOf);
            // the same layout as one append at a time: a batch rolls where single appends would
            assertEquals(files, segmentFiles(dir));
        }
        Path other = dir.resolve("one-by-one");
        try (SegmentedLog log = SegmentedLog.open(other, SMALL)) {
            for (LogRecord r : batch) {
                log.append(r.index(), r.term(), r.payload());
            }
        }
        assertEquals(files.stream().map(Path::getFileName).toList(),
                segmentFiles(other).stream().map(Path::getFileName).toList());
    }

    @Test
    void readStopsBeforeExceedingMaxBytesButReturnsAtLeastOneRecord() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 199, 3);
            List<LogRecord> one = log.read(10, 199, 1);
            assertEquals(1, one.size());
            assertEquals(record(10, 3), one.get(0));

            int limit = 1000;
            List<LogRecord> some = log.read(20, 199, limit);
            int sum = some.stream().mapToInt(r -> r.payload().length).sum();
            assertTrue(sum <= limit, "payload " + sum);
            assertTrue(sum + payload(20 + some.size(), 3).length > limit, "stopped early at " + some.size());
            for (int k = 0; k < some.size(); k++) {
                assertEquals(record(20 + k, 3), some.get(k));
            }

            assertEquals(15, log.read(5, 19, Integer.MAX_VALUE).size());
            assertEquals(10, log.read(190, 1000, Integer.MAX_VALUE).size(), "cut at lastIndex");
            assertEquals(List.of(), log.read(200, 300, 100));
            assertEquals(List.of(), log.read(50, 49, 100));
            assertThrows(IllegalArgumentException.class, () -> log.read(-1, 5, 100));
        }
    }

    @Test
    void largestPayloadIsAcceptedAndOneByteMoreIsRefused() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            byte[] max = new byte[FrameCodec.MAX_PAYLOAD_BYTES];
            max[max.length - 1] = 7;
            log.append(0, 1, max);
            log.append(1, 1, new byte[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> log.append(2, 1, new byte[FrameCodec.MAX_PAYLOAD_BYTES + 1]));
            assertTrue(e.getMessage().contains("payload"), e.getMessage());
            assertEquals(1, log.lastIndex());
            assertArrayEquals(max, log.payload(0));
            assertArrayEquals(new byte[0], log.payload(1));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(FrameCodec.MAX_PAYLOAD_BYTES, log.payload(0).length);
            assertEquals(1, log.read(0, 1, 10).size(), "at least one, even past maxBytes");
            assertEquals(2, log.read(0, 1, FrameCodec.MAX_PAYLOAD_BYTES).size(), "the empty one still fits");
        }
    }

    @Test
    void appendsThatBreakTheSequenceAreRefusedAndChangeNothing() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertThrows(IllegalArgumentException.class, () -> log.append(1, 1, payload(1, 1)), "first index is 0");
            assertThrows(IllegalArgumentException.class, () -> log.append(0, 0, payload(0, 0)), "terms start at 1");
            appendRange(log, 0, 9, 4);
            assertThrows(IllegalArgumentException.class, () -> log.append(11, 4, payload(11, 4)), "gap");
            assertThrows(IllegalArgumentException.class, () -> log.append(9, 4, payload(9, 4)), "repeat");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(10, 3, payload(10, 3)));
            assertTrue(e.getMessage().contains("term 3"), e.getMessage());
            // a batch is checked whole before anything is written
            assertThrows(IllegalArgumentException.class,
                    () -> log.appendAll(List.of(record(10, 4), record(11, 4), record(13, 4))));
            assertThrows(IllegalArgumentException.class,
                    () -> log.appendAll(List.of(record(10, 5), record(11, 4))));
            assertThrows(NullPointerException.class, () -> log.append(10, 4, null));
            assertEquals(9, log.lastIndex());
            assertEquals(4, log.lastTerm());
            appendRange(log, 10, 10, 4);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertHolds(log, 10, i -> 4);
        }
    }

    @Test
    void termAtRefusesIndicesOutsideTheLog() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 4, 2);
            assertEquals(2, log.termAt(0));
            assertEquals(2, log.termAt(4));
            assertThrows(IllegalArgumentException.class, () -> log.termAt(-1));
            assertThrows(IllegalArgumentException.class, () -> log.termAt(5));
            assertThrows(IllegalArgumentException.class, () -> log.payload(5));
        }
    }

    @Test
    void aClosedLogRefusesUse() throws Exception {
        SegmentedLog log = SegmentedLog.open(dir, SMALL);
        appendRange(log, 0, 2, 1);
        log.close();
        log.close(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> log.append(3, 1, payload(3, 1)));
        assertThrows(IllegalStateException.class, log::sync);
        assertThrows(IllegalStateException.class, () -> log.read(0, 2, 10));
    }
}
