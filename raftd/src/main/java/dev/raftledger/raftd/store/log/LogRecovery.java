package dev.raftledger.raftd.store.log;

import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the segments of a log directory, checks every frame and rebuilds the in-memory index.
 *
 * <p>What it accepts and what it refuses follows from how the log writes: frames are appended
 * only at the end of the last segment, and a segment is fsynced (with the directory) before the
 * next one is created. So after a crash only the end of the last segment can be incomplete or
 * garbled, and only with nothing valid after it. That tail is cut off and reported. Anything else
 * (a bad frame followed by a valid one, a bad frame in an earlier segment, a missing segment, an
 * index out of sequence, a term going down) is damage the log did not cause; cutting there would
 * silently drop records the node may have acknowledged, so it is refused with a
 * {@link StoreException} naming the file, offset and index.
 *
 * <p>Ends with the last segment and the directory fsynced: records the previous run wrote but
 * never synced are durable from now on, so the log may count all it holds as durable.
 */
final class LogRecovery {

    record Result(List<Segment> segments, RecordIndex index, RecoveryReport report) {}

    private final Path dir;
    private final Fsync fsync;
    private final List<Segment> segments = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(FrameCodec.MAX_FRAME_BYTES);
    private RecordIndex index;
    private long lastTerm;
    private RecoveryReport.TailTruncation truncation;

    private LogRecovery(Path dir, Fsync fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    /** Recovers the log in {@code dir} (an existing directory); a directory with no segment starts an empty log at index 0. */
    static Result run(Path dir, Fsync fsync) throws StoreException {
        LogRecovery recovery = new LogRecovery(dir, fsync);
        try {
            recovery.recover();
        } catch (IOException e) {
            recovery.closeSegments();
            throw new StoreException("cannot recover the log in " + dir + ": " + e, e);
        } catch (StoreException | RuntimeException e) {
            recovery.closeSegments();
            throw e;
        }
        RecoveryReport report = new RecoveryReport(dir, recovery.segments.size(), recovery.index.firstIndex(),
                recovery.index.lastIndex(), recovery.truncation);
        return new Result(recovery.segments, recovery.index, report);
    }

    private void recover() throws IOException, StoreException {
        List<Path> files = segmentFiles();
        if (files.isEmpty()) {
            segments.add(Segment.create(dir, 0));
            index = new RecordIndex(0);
            fsync.directory(dir);
            return;
        }
        index = new RecordIndex(Segment.baseIndexOf(files.get(0)));
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long base = Segment.baseIndexOf(file);
            long expected = index.lastIndex() + 1;
            if (base != expected) {
                throw new StoreException(file + " should start at index " + expected + " (the previous segment "
                        + files.get(i - 1).getFileName() + " ends at " + index.lastIndex() + ") but its name says "
                        + base + ": a segment file is missing or misnamed; refusing to start with a gap in the log");
            }
            Segment segment = Segment.open(file, base);
            segments.add(segment);
            boolean last = i == files.size() - 1;
            if (!last && segment.size() == 0) {
                throw new StoreException(file + " is empty but is not the last segment: the log never leaves one so");
            }
            scan(segment, last);
        }
        fsync.segment(segments.get(segments.size() - 1));
        fsync.directory(dir);
    }

    /** Adds the segment's records to the index; cuts a torn tail off the last segment. */
    private void scan(Segment segment, boolean last) throws IOException, StoreException {
        SegmentScanner scanner = new SegmentScanner(segment, buffer);
        while (scanner.next()) {
            long expected = index.lastIndex() + 1;
            long offset = scanner.offset();
            if (scanner.index() != expected) {
                throw damaged(segment, offset, expected, "the frame holds index " + scanner.index()
                        + " (a gap or an out-of-order record)");
            }
            if (scanner.term() < 1 || scanner.term() < lastTerm) {
                throw damaged(segment, offset, expected, "term " + scanner.term() + " after term " + lastTerm
                        + " (terms never go down and start at 1)");
            }
            if (offset > Integer.MAX_VALUE) {
                throw damaged(segment, offset, expected, "the segment is larger than 2 GiB, which this log never writes");
            }
            index.add((int) offset, scanner.term());
            lastTerm = scanner.term();
        }
        if (scanner.problem() == null) {
            return;
        }
        long offset = scanner.offset();
        long expected = index.lastIndex() + 1;
        if (!last) {
            throw damaged(segment, offset, expected, scanner.problem()
                    + "; this is not the last segment, so the records after it would be lost");
        }
        long valid = scanner.findValidFrame(offset + 1, expected);
        if (valid >= 0) {
            throw damaged(segment, offset, expected, scanner.problem() + ", yet a valid frame follows at offset "
                    + valid + ", so this is damage in the middle of the log, not a torn tail");
        }
        truncation = new RecoveryReport.TailTruncation(segment.path(), offset, segment.size() - offset, expected, scanner.problem());
        segment.truncate(offset);
    }

    private static StoreException damaged(Segment segment, long offset, long index, String why) {
        return new StoreException(segment.path() + " is damaged at offset " + offset + " (record " + index + "): "
                + why + "; refusing to start rather than drop records the node may have acknowledged");
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Segment.baseIndexOf(f) >= 0 && Files.isRegularFile(f))
                    .sorted(Comparator.comparingLong(Segment::baseIndexOf))
                    .toList();
        }
    }

    private void closeSegments() {
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException ignored) {
                // recovery already failed; that error is the one to report
            }
        }
    }
}
