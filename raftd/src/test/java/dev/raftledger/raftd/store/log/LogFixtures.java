package dev.raftledger.raftd.store.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/** Shared by the log's tests: recognisable payloads, and ways to look at and damage the files. */
final class LogFixtures {

    /** Small segments, so a few hundred records span several files. */
    static final LogOptions SMALL = new LogOptions(4096);

    private LogFixtures() {}

    /** A payload that names its record, 10-70 bytes long depending on the index. */
    static byte[] payload(long index, long term) {
        String s = "record " + index + " of term " + term + " " + "x".repeat((int) (index * 7 % 50));
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static LogRecord record(long index, long term) {
        return new LogRecord(index, term, payload(index, term));
    }

    /** Appends records {@code from..to} of {@code term}, one call each. */
    static void appendRange(SegmentedLog log, long from, long to, long term) throws StoreException {
        for (long i = from; i <= to; i++) {
            log.append(i, term, payload(i, term));
        }
    }

    /** Checks the log holds exactly records firstIndex..last, with termOf(i) and its payload. */
    static void assertHolds(SegmentedLog log, long last, LongUnaryOperator termOf) throws StoreException {
        assertEquals(last, log.lastIndex());
        List<LogRecord> all = log.read(log.firstIndex(), last, Integer.MAX_VALUE);
        assertEquals(last - log.firstIndex() + 1, all.size());
        for (LogRecord r : all) {
            long term = termOf.applyAsLong(r.index());
            assertEquals(term, r.term(), "term of " + r.index());
            assertEquals(term, log.termAt(r.index()));
            assertArrayEquals(payload(r.index(), term), r.payload(), "payload of " + r.index());
        }
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> files = segmentFiles(dir);
        return files.get(files.size() - 1);
    }

    /** Offsets of the frames in a (well-formed) segment file, from their length fields. */
    static List<Long> frameOffsets(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> offsets = new ArrayList<>();
        int at = 0;
        while (at < bytes.limit()) {
            offsets.add((long) at);
            at += FrameCodec.frameBytes(FrameCodec.payloadLength(bytes, at));
        }
        return offsets;
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x40;
        Files.write(file, bytes);
    }

    static void cut(Path file, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int) size));
    }

    static void appendBytes(Path file, byte[] extra) throws IOException {
        Files.write(file, extra, StandardOpenOption.APPEND);
    }

    /** Overwrites [from, end of file) with zeros, then adds {@code extra} more zeros. */
    static void zeroFrom(Path file, long from, int extra) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] out = Arrays.copyOf(bytes, bytes.length + extra);
        Arrays.fill(out, (int) from, out.length, (byte) 0);
        Files.write(file, out);
    }

    /** Writes a segment file by hand, one frame per record, for layouts the log never writes itself. */
    static void writeSegment(Path dir, long base, List<LogRecord> records) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(records.stream().mapToInt(r -> FrameCodec.frameBytes(r.payload().length)).sum());
        for (LogRecord r : records) {
            FrameCodec.encode(buf, r.index(), r.term(), r.payload());
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(Segment.fileName(base)), buf.array());
    }
}
