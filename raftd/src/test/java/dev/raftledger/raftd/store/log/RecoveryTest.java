package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendBytes;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.cut;
import static dev.raftledger.raftd.store.log.LogFixtures.flipByte;
import static dev.raftledger.raftd.store.log.LogFixtures.frameOffsets;
import static dev.raftledger.raftd.store.log.LogFixtures.lastSegment;
import static dev.raftledger.raftd.store.log.LogFixtures.record;
import static dev.raftledger.raftd.store.log.LogFixtures.segmentFiles;
import static dev.raftledger.raftd.store.log.LogFixtures.writeSegment;
import static dev.raftledger.raftd.store.log.LogFixtures.zeroFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What open() does with what a crash leaves (a torn tail: cut and reported) and with damage a
 * crash cannot cause (refused, naming the file).
 */
class RecoveryTest {

    private static final long LAST = 199;

    @TempDir
    Path dir;

    /** Writes records 0-199 of term 1 over several segments and closes the log. */
    private void writeLog() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, LAST, 1);
        }
        assertTrue(segmentFiles(dir).size() >= 3);
    }

    private long lastFrameOffset() throws Exception {
        List<Long> offsets = frameOffsets(lastSegment(dir));
        return offsets.get(offsets.size() - 1);
    }

    /** Opens the damaged log: the tail from {@code offset} must be cut, reported, and the log usable. */
    private void assertTailCut(long offset, long lastKept, String reasonPart) throws Exception {
        Path file = lastSegment(dir);
        long size = Files.size(file);
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            RecoveryReport report = log.recovery();
            assertTrue(report.truncated(), report.summary());
            assertEquals(file, report.truncation().file());
            assertEquals(offset, report.truncation().offset());
            assertEquals(size - offset, report.truncation().bytes());
            assertEquals(lastKept + 1, report.truncation().firstLostIndex());
            assertTrue(report.truncation().reason().contains(reasonPart), report.truncation().reason());
            assertTrue(report.summary().contains(file.toString()), report.summary());
            assertEquals(offset, Files.size(file), "the file now ends at the last good frame");
            assertHolds(log, lastKept, i -> 1);
            assertEquals(lastKept, log.durableIndex());
            appendRange(log, lastKept + 1, lastKept + 3, 2);
            log.sync();
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertFalse(log.recovery().truncated());
            assertHolds(log, lastKept + 3, i -> i <= lastKept ? 1 : 2);
        }
    }

    private StoreException assertRefused(String... mentions) {
        StoreException e = assertThrows(StoreException.class, () -> SegmentedLog.open(dir, SMALL).close());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
        }
        return e;
    }

    @ParameterizedTest(name = "cut {0} bytes into the last frame")
    @ValueSource(ints = {1, 3, 4, 11, 27, 28, 29, 40})
    void aTornLastRecordIsCut(int into) throws Exception {
        writeLog();
        long offset = lastFrameOffset();
        cut(lastSegment(dir), offset + into);
        assertTailCut(offset, LAST - 1, "incomplete");
    }

    @Test
    void aLastRecordCutOneByteShortIsCut() throws Exception {
        writeLog();
        long offset = lastFrameOffset();
        cut(lastSegment(dir), Files.size(lastSegment(dir)) - 1);
        assertTailCut(offset, LAST - 1, "incomplete frame");
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws Exception {
        writeLog();
        Path file = lastSegment(dir);
        long end = Files.size(file);
        byte[] garbage = new byte[300];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x11; // not a frame marker
        appendBytes(file, garbage);
        assertTailCut(end, LAST, "no frame marker");
    }

    @Test
    void garbageThatStartsLikeAFrameIsCut() throws Exception {
        writeLog();
        Path file = lastSegment(dir);
        long end = Files.size(file);
        ByteBuffer fake = ByteBuffer.allocate(60).putInt(FrameCodec.MARKER).putInt(20).putInt(12345).putLong(LAST + 1).putLong(1);
        appendBytes(file, fake.array());
        assertTailCut(end, LAST, "checksum");
    }

    @Test
    void aZeroedTailIsCut() throws Exception {
        writeLog();
        List<Long> offsets = frameOffsets(lastSegment(dir));
        long from = offsets.get(offsets.size() - 2); // the last two records, plus zeros after them
        zeroFrom(lastSegment(dir), from, 4096);
        assertTailCut(from, LAST - 2, "zero bytes");
    }

    @Test
    void aFlippedByteInTheLastRecordIsCut() throws Exception {
        writeLog();
        long offset = lastFrameOffset();
        flipByte(lastSegment(dir), offset + FrameCodec.HEADER_BYTES + 3);
        assertTailCut(offset, LAST - 1, "checksum mismatch");
    }

    @Test
    void aTornFirstRecordOfTheLastSegmentLeavesItEmpty() throws Exception {
        writeLog();
        Path file = lastSegment(dir);
        long base = Segment.baseIndexOf(file);
        cut(file, 10);
        assertTailCut(0, base - 1, "incomplete frame header");
    }

    @Test
    void aFlippedByteInAMiddleRecordIsRefused() throws Exception {
        writeLog();
        Path file = lastSegment(dir);
        List<Long> offsets = frameOffsets(file);
        long offset = offsets.get(offsets.size() / 2);
        flipByte(file, offset + FrameCodec.HEADER_BYTES + 1);
        long index = Segment.baseIndexOf(file) + offsets.size() / 2;
        assertRefused(file.toString(), "offset " + offset, "record " + index, "checksum mismatch", "valid frame follows");
    }

    @Test
    void aDamagedLengthInAMiddleRecordIsRefused() throws Exception {
        writeLog();
        Path file = lastSegment(dir);
        List<Long> offsets = frameOffsets(file);
        long offset = offsets.get(1);
        flipByte(file, offset + 5); // the payload length now points far past the end of the file
        assertRefused(file.toString(), "offset " + offset, "valid frame follows");
    }

    @Test
    void damageInAnEarlierSegmentIsRefusedEvenAtItsEnd() throws Exception {
        writeLog();
        Path first = segmentFiles(dir).get(0);
        List<Long> offsets = frameOffsets(first);
        long offset = offsets.get(offsets.size() - 1);
        flipByte(first, offset + FrameCodec.HEADER_BYTES);
        assertRefused(first.toString(), "offset " + offset, "record " + (offsets.size() - 1), "not the last segment");
    }

    @Test
    void aMissingMiddleSegmentIsRefused() throws Exception {
        writeLog();
        List<Path> files = segmentFiles(dir);
        Files.delete(files.get(1));
        assertRefused(files.get(2).toString(), "missing");
    }

    @Test
    void aMisnamedSegmentIsRefused() throws Exception {
        writeLog();
        List<Path> files = segmentFiles(dir);
        long base = Segment.baseIndexOf(files.get(1));
        Path renamed = dir.resolve(Segment.fileName(base + 1));
        Files.move(files.get(1), renamed);
        assertRefused(renamed.toString(), "should start at index " + base);
    }

    @Test
    void anIndexGapInsideASegmentIsRefused() throws Exception {
        writeSegment(dir, 0, List.of(record(0, 1), record(1, 1), record(3, 1), record(4, 1)));
        assertRefused("segment-00000000000000000000.log", "record 2", "holds index 3");
    }

    @Test
    void aGapAtTheVeryEndIsRefusedToo() throws Exception {
        // a well-formed frame with the wrong index is not what a torn write leaves
        writeSegment(dir, 0, List.of(record(0, 1), record(1, 1), record(5, 1)));
        assertRefused("segment-00000000000000000000.log", "record 2", "holds index 5");
    }

    @Test
    void aTermGoingDownIsRefused() throws Exception {
        writeSegment(dir, 0, List.of(record(0, 2), record(1, 3)));
        writeSegment(dir, 2, List.of(record(2, 3), record(3, 2), record(4, 3)));
        assertRefused("segment-00000000000000000002.log", "record 3", "term 2 after term 3");
    }

    @Test
    void aSegmentWhoseFirstRecordDoesNotMatchItsNameIsRefused() throws Exception {
        writeSegment(dir, 0, List.of(record(0, 1), record(1, 1)));
        writeSegment(dir, 2, List.of(record(3, 1)));
        assertRefused("segment-00000000000000000002.log", "holds index 3");
    }

    @Test
    void anEmptySegmentBeforeTheLastIsRefused() throws Exception {
        writeSegment(dir, 0, List.of());
        writeSegment(dir, 1, List.of());
        assertRefused("segment-00000000000000000000.log", "empty");
    }

    @Test
    void anEmptyDirectoryIsAnEmptyLog() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(-1, log.lastIndex());
            assertEquals(1, log.recovery().segmentFiles());
            assertEquals(0, log.recovery().records());
            assertTrue(log.recovery().summary().contains("no records"), log.recovery().summary());
        }
    }

    @Test
    void aDirectoryWithOnlyAnEmptySegmentIsAnEmptyLog() throws Exception {
        writeSegment(dir, 0, List.of());
        Files.writeString(dir.resolve("notes.txt"), "other files are left alone");
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(0, log.firstIndex());
            assertEquals(-1, log.lastIndex());
            assertFalse(log.recovery().truncated());
            appendRange(log, 0, 1, 1);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertHolds(log, 1, i -> 1);
        }
        assertEquals(1, segmentFiles(dir).size());
    }

    @Test
    void anEmptyLastSegmentAfterARollIsKept() throws Exception {
        // a crash just after a roll created the next segment
        writeSegment(dir, 0, List.of(record(0, 1), record(1, 1)));
        writeSegment(dir, 2, List.of());
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertEquals(2, log.recovery().segmentFiles());
            assertHolds(log, 1, i -> 1);
            appendRange(log, 2, 3, 1);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertHolds(log, 3, i -> 1);
        }
        assertEquals(2, segmentFiles(dir).size());
    }

    @Test
    void aDamagedRecordFoundOnReadIsReported() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 9, 1);
            Path file = lastSegment(dir);
            long offset = frameOffsets(file).get(4);
            flipByte(file, offset + FrameCodec.HEADER_BYTES + 2); // under the running log, as bit rot would
            StoreException e = assertThrows(StoreException.class, () -> log.read(0, 9, Integer.MAX_VALUE));
            assertTrue(e.getMessage().contains(file + " is damaged at offset " + offset + " (record 4)"), e.getMessage());
            assertEquals(3, log.read(1, 3, Integer.MAX_VALUE).size(), "the records around it still read");
        }
    }
}
