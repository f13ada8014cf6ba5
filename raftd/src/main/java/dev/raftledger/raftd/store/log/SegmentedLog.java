package dev.raftledger.raftd.store.log;

import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's durable Raft log: records with contiguous indices, in segment files of about
 * {@link LogOptions#segmentBytes()} each (format: {@link FrameCodec}, {@link Segment}).
 *
 * <h2>Durability</h2>
 * {@link #append} and {@link #appendAll} only hand the bytes to the OS. {@link #sync} makes
 * everything appended before it durable with one fsync (group commit), so a persister thread can
 * cover many appends per fsync. {@link #truncateSuffix} is durable when it returns. A finished
 * segment is fsynced (with the directory) before the next one is created, on the appending thread,
 * once per segment; this keeps every segment but the last fully durable, which is what lets
 * recovery tell a torn tail (cut off) from damage (refused): see {@link LogRecovery}.
 *
 * <h2>Compaction</h2>
 * {@link #compactThrough} frees the records a snapshot covers by deleting whole segment files
 * from the front (never the active one); {@link #resetTo} empties the log so that it continues
 * after a snapshot installed from the leader. Both leave the directory holding a contiguous run
 * of segments at every step, so recovery needs no extra state: the first file's name is the
 * log's first index. After either, the log no longer knows the term of {@code firstIndex() - 1}:
 * the snapshot that replaced those records does ({@link #lastTerm()} is 0 while the log is empty).
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>One thread, the event loop, calls everything except {@link #sync} and
 *       {@link #durableIndex} (compaction and reset included): it alone changes the log and
 *       reads it, so the index and the segments need no lock for it.</li>
 *   <li>Any other thread (the persister) may call {@link #sync} and {@link #durableIndex} at any
 *       time, concurrently with appends.</li>
 *   <li>{@code syncLock} is held for the whole of a sync, a segment roll, a truncation, a reset
 *       and {@link #close}: those never overlap, so a sync never fsyncs a file being truncated or
 *       deleted. Compaction takes it only to take segments off the list: a sync only ever
 *       touches the active segment, which compaction never deletes, so the files are deleted
 *       and the directory fsynced outside it and group commit is not held up. Appends do not
 *       take it (except to roll), so they never wait for an fsync in flight; a truncation may.</li>
 *   <li>Appends publish their progress through the volatile {@code writtenIndex} after their bytes
 *       are written, so a sync that reads it at its start knows every record up to there is in
 *       the active segment (or in an earlier one, already durable), and claims no more.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * An I/O error while changing the log leaves it unusable: every later append, sync or
 * truncation throws {@link StoreException}. Retrying an fsync after a failure can falsely
 * succeed (the kernel may have dropped the dirty pages), so the node must stop.
 */
public final class SegmentedLog implements AutoCloseable {

    private final Path dir;
    private final LogOptions options;
    private final Fsync fsync;
    private final RecoveryReport recovery;
    // Loop thread only. The segment list changes only under syncLock, so close() sees it whole.
    private final RecordIndex index;
    private final List<Segment> segments;
    private final ScratchBuffer writeBuffer = new ScratchBuffer();
    private final ScratchBuffer readBuffer = new ScratchBuffer();

    private final ReentrantLock syncLock = new ReentrantLock();
    /** Where appends go; changed only under syncLock. */
    private Segment active;
    /** A segment was created since the directory was last fsynced; guarded by syncLock. */
    private boolean directoryDirty;
    /** Last index whose bytes are written; set by the loop after each write. */
    private volatile long writtenIndex;
    /** Last index known durable; changed only under syncLock. */
    private volatile long durableIndex;
    private volatile StoreException failure;
    private volatile boolean closed;

    private SegmentedLog(Path dir, LogOptions options, Fsync fsync, LogRecovery.Result recovered) {
        this.dir = dir;
        this.options = options;
        this.fsync = fsync;
        this.recovery = recovered.report();
        this.index = recovered.index();
        this.segments = new ArrayList<>(recovered.segments());
        this.active = segments.get(segments.size() - 1);
        this.writtenIndex = index.lastIndex();
        this.durableIndex = index.lastIndex();
    }

    /**
     * Opens the log in {@code dir}, creating the directory if needed, and recovers it (see
     * {@link #recovery()}). Everything the log holds afterwards is durable.
     */
    public static SegmentedLog open(Path dir, LogOptions options) throws StoreException {
        Fsync fsync = new Fsync();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    fsync.directory(parent);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the log directory " + dir + ": " + e, e);
        }
        return new SegmentedLog(dir, options, fsync, LogRecovery.run(dir, fsync));
    }

    /** What {@link #open} found: log it, especially a cut tail. */
    public RecoveryReport recovery() {
        return recovery;
    }

    public long firstIndex() {
        return index.firstIndex();
    }

    /** -1 for an empty log that never held records; in general {@code firstIndex() - 1} when empty. */
    public long lastIndex() {
        return index.lastIndex();
    }

    /** 0 when empty. */
    public long lastTerm() {
        return index.isEmpty() ? 0 : index.term(index.lastIndex());
    }

    /** Whether the log holds a record at {@code index} of {@code term} (whether it continues a snapshot ending there). */
    public boolean holds(long index, long term) {
        return firstIndex() <= index && index <= lastIndex() && termAt(index) == term;
    }

    /** @throws IllegalArgumentException if {@code index} is outside [firstIndex, lastIndex], saying so if it was compacted */
    public long termAt(long index) {
        checkHeld(index);
        return this.index.term(index);
    }

    /** The payload of one record, read from its segment; same bounds as {@link #termAt}. */
    public byte[] payload(long index) throws StoreException {
        checkHeld(index);
        return read(index, index, 0).get(0).payload();
    }

    private void checkHeld(long i) {
        if (index.contains(i)) {
            return;
        }
        String holds = index.isEmpty()
                ? "the log is empty, next index " + firstIndex()
                : "the log holds " + firstIndex() + "-" + lastIndex();
        if (i >= 0 && i < firstIndex()) {
            throw new IllegalArgumentException("record " + i + " was compacted away (" + holds
                    + "); a snapshot covers it");
        }
        throw new IllegalArgumentException("no record " + i + " (" + holds + ")");
    }

    /**
     * Records from {@code from} to {@code toInclusive} (cut at {@link #lastIndex()}), stopping
     * before the payloads would exceed {@code maxBytes} but always returning at least one record
     * when {@code from <= lastIndex()}. Empty when {@code from > lastIndex()} or
     * {@code toInclusive < from}. Every frame read is checked (marker, index, term, checksum).
     *
     * @throws IllegalArgumentException if {@code from < firstIndex()}
     */
    public List<LogRecord> read(long from, long toInclusive, int maxBytes) throws StoreException {
        ensureOpen();
        if (from < firstIndex()) {
            throw new IllegalArgumentException("cannot read from " + from + ": the log starts at " + firstIndex()
                    + (from >= 0 ? " (earlier records were compacted away; a snapshot covers them)" : ""));
        }
        long last = Math.min(toInclusive, lastIndex());
        List<LogRecord> out = new ArrayList<>();
        long payloadBytes = 0;
        long next = from;
        boolean full = false;
        while (next <= last && !full) {
            // One positional read per run of records adjacent in one segment (a record at offset
            // 0 starts a segment), of at most one scratch buffer.
            long runEnd = next;
            int runBytes = 0;
            while (runEnd <= last && (runEnd == next || index.offset(runEnd) != 0)) {
                int frame = frameBytes(runEnd);
                int payload = frame - FrameCodec.HEADER_BYTES;
                if (!(out.isEmpty() && runEnd == next) && payloadBytes + payload > maxBytes) {
                    full = true;
                    break;
                }
                if (runEnd > next && runBytes + frame > ScratchBuffer.MAX_BYTES) {
                    break;
                }
                payloadBytes += payload;
                runBytes += frame;
                runEnd++;
            }
            if (runEnd > next) {
                readRun(next, runEnd - 1, runBytes, out);
            }
            next = runEnd;
        }
        return out;
    }

    private void readRun(long from, long to, int bytes, List<LogRecord> out) throws StoreException {
        Segment segment = segmentOf(from);
        int start = index.offset(from);
        ByteBuffer buf = readBuffer.clear(bytes).limit(bytes);
        try {
            segment.readFully(buf, start);
        } catch (IOException e) {
            throw new StoreException("cannot read records " + from + "-" + to + " from " + segment.path() + ": " + e, e);
        }
        for (long i = from; i <= to; i++) {
            int at = index.offset(i) - start;
            String problem = FrameCodec.verify(buf, at, i, index.term(i), frameBytes(i) - FrameCodec.HEADER_BYTES);
            if (problem != null) {
                throw new StoreException(segment.path() + " is damaged at offset " + index.offset(i)
                        + " (record " + i + "): " + problem);
            }
            out.add(new LogRecord(i, index.term(i), FrameCodec.payload(buf, at)));
        }
    }

    /** Appends one record; see {@link #appendAll}. */
    public void append(long index, long term, byte[] payload) throws StoreException {
        appendAll(List.of(new LogRecord(index, term, payload)));
    }

    /**
     * Appends records with indices {@code lastIndex() + 1} on, terms at least 1 and never going
     * down, payloads of at most 1 MiB; checked before anything is written, so a bad batch
     * changes nothing. The bytes go to the OS in one write per segment (per MiB for larger
     * batches); they are durable only after a later {@link #sync}.
     *
     * @throws IllegalArgumentException if a record breaks those rules
     */
    public void appendAll(List<LogRecord> records) throws StoreException {
        ensureUsable();
        checkAppendable(records);
        int i = 0;
        try {
            while (i < records.size()) {
                if (active.size() >= options.segmentBytes()) {
                    roll();
                }
                i = writeChunk(records, i);
            }
        } catch (IOException e) {
            throw fail("cannot append to " + active.path(), e);
        }
    }

    private void checkAppendable(List<LogRecord> records) {
        long expected = lastIndex() + 1;
        long term = lastTerm();
        for (LogRecord r : records) {
            if (r.index() != expected) {
                throw new IllegalArgumentException("record " + r.index() + " does not follow " + (expected - 1));
            }
            if (r.term() < 1 || r.term() < term) {
                throw new IllegalArgumentException("record " + r.index() + " has term " + r.term() + " after term " + term
                        + " (terms start at 1 and never go down)");
            }
            if (r.payload().length > FrameCodec.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("record " + r.index() + " has " + r.payload().length
                        + " bytes of payload; at most " + FrameCodec.MAX_PAYLOAD_BYTES + " fit a frame");
            }
            expected++;
            term = r.term();
        }
    }

    /**
     * Writes, in one write, records from {@code from} on for as long as they belong in the active
     * segment and fit the write buffer (always at least one); returns the next record to write.
     */
    private int writeChunk(List<LogRecord> records, int from) throws IOException {
        long segmentStart = active.size();
        int bytes = 0;
        int end = from;
        while (end < records.size()) {
            int frame = FrameCodec.frameBytes(records.get(end).payload().length);
            boolean segmentFull = segmentStart + bytes >= options.segmentBytes();
            if (end > from && (segmentFull || bytes + frame > ScratchBuffer.MAX_BYTES)) {
                break;
            }
            bytes += frame;
            end++;
        }
        ByteBuffer buf = writeBuffer.clear(bytes);
        for (int k = from; k < end; k++) {
            LogRecord r = records.get(k);
            FrameCodec.encode(buf, r.index(), r.term(), r.payload());
        }
        active.append(buf.flip());
        long offset = segmentStart;
        for (int k = from; k < end; k++) {
            LogRecord r = records.get(k);
            index.add((int) offset, r.term());
            offset += FrameCodec.frameBytes(r.payload().length);
        }
        writtenIndex = index.lastIndex(); // after the write: a sync that sees this index finds the bytes in the file
        return end;
    }

    /**
     * Starts a new active segment. The finished one is fsynced first (and the directory, if its
     * creation is not yet durable), so no later segment ever holds data while an earlier one may
     * lose some in a crash.
     */
    private void roll() throws IOException {
        syncLock.lock();
        try {
            syncLocked();
            Segment next = Segment.create(dir, index.lastIndex() + 1);
            segments.add(next);
            active = next;
            directoryDirty = true;
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Group commit: makes every record appended before this call durable with one fsync of the
     * active segment (plus one of the directory if a segment was created since the last sync),
     * and returns the last index now durable. Safe to call from another thread while the loop
     * appends: records appended during the fsync are not claimed, a later sync covers them.
     *
     * <p>The result may be stale by the time the loop sees it: if the loop truncated the log
     * after this sync began, the records it counted may be gone and replaced. Compare with
     * {@link #durableIndex()} (which a truncation lowers) before acting on it.
     */
    public long sync() throws StoreException {
        syncLock.lock();
        try {
            ensureUsable();
            return syncLocked();
        } catch (IOException e) {
            throw fail("cannot fsync " + active.path(), e);
        } finally {
            syncLock.unlock();
        }
    }

    private long syncLocked() throws IOException {
        long upTo = writtenIndex;
        if (upTo > durableIndex) {
            fsync.segment(active);
        }
        if (directoryDirty) {
            fsync.directory(dir);
            directoryDirty = false;
        }
        durableIndex = upTo;
        return upTo;
    }

    /** Last index known durable: never above {@link #lastIndex()}; {@code firstIndex() - 1} if none. Any thread. */
    public long durableIndex() {
        return durableIndex;
    }

    /**
     * Deletes every record from {@code fromIndex} on (a Raft conflict), durably: when this
     * returns, the cut is on disk and so is everything before it ({@code durableIndex() ==
     * lastIndex()}). Waits for a sync in flight. {@code fromIndex == lastIndex() + 1} does nothing.
     *
     * <p>Later segments are deleted newest first and the cut segment is truncated last, so a crash
     * part-way leaves a prefix of the old log, which recovery accepts.
     *
     * @throws IllegalArgumentException if {@code fromIndex} is outside [firstIndex, lastIndex + 1]
     */
    public void truncateSuffix(long fromIndex) throws StoreException {
        ensureUsable();
        if (fromIndex < firstIndex() || fromIndex > lastIndex() + 1) {
            throw new IllegalArgumentException("cannot truncate from " + fromIndex + ": the log holds "
                    + firstIndex() + "-" + lastIndex());
        }
        if (fromIndex == lastIndex() + 1) {
            return;
        }
        syncLock.lock();
        try {
            durableIndex = Math.min(durableIndex, fromIndex - 1);
            Segment target = segmentOf(fromIndex);
            int cut = index.offset(fromIndex);
            boolean deleted = false;
            while (segments.get(segments.size() - 1) != target) {
                segments.remove(segments.size() - 1).closeAndDelete();
                deleted = true;
            }
            active = target;
            index.truncateFrom(fromIndex);
            writtenIndex = fromIndex - 1;
            target.truncate(cut);
            fsync.segment(target);
            if (deleted || directoryDirty) {
                fsync.directory(dir);
                directoryDirty = false;
            }
            durableIndex = fromIndex - 1; // earlier segments were made durable when they were rolled
        } catch (IOException e) {
            throw fail("cannot truncate the log in " + dir + " from index " + fromIndex, e);
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Frees records a snapshot covers: deletes, oldest first, every segment file all of whose
     * records are at or below {@code throughIndex}, except the active (last) segment, which is never
     * deleted. Records after {@code throughIndex} are never touched; records at or below it in a
     * segment that also holds later ones are kept, so {@link #firstIndex()} afterwards is at most
     * {@code throughIndex + 1}, and may be lower. Reads and {@link #termAt} below the new first index
     * fail with {@link IllegalArgumentException}.
     *
     * <p>Durable when it returns (the directory is fsynced after each deletion). A crash part-way
     * leaves a suffix of the log, which recovery accepts: its first file's name is the first
     * index. Safe while another thread calls {@link #sync}, which it holds up only for the moment
     * it takes to take segments off the list.
     *
     * @param throughIndex the last index the snapshot covers; at most {@link #lastIndex()}
     * @return what was freed; {@link Compaction#segmentsDeleted()} is 0 when no whole segment
     *         lies at or below {@code throughIndex} (nothing changes then)
     * @throws IllegalArgumentException if {@code throughIndex > lastIndex()} (use {@link #resetTo}
     *         to move past the end of the log)
     */
    public Compaction compactThrough(long throughIndex) throws StoreException {
        ensureUsable();
        if (throughIndex > lastIndex()) {
            throw new IllegalArgumentException("cannot compact through " + throughIndex + ": the log ends at " + lastIndex()
                    + " (resetTo moves the log past its end)");
        }
        int doomed = 0;
        // segment k's last record is segment k+1's base - 1; the last segment is never counted
        while (doomed < segments.size() - 1 && segments.get(doomed + 1).baseIndex() - 1 <= throughIndex) {
            doomed++;
        }
        if (doomed == 0) {
            return new Compaction(firstIndex(), 0, 0);
        }
        List<Segment> removed;
        syncLock.lock();
        try {
            List<Segment> front = segments.subList(0, doomed);
            removed = new ArrayList<>(front);
            front.clear();
        } finally {
            syncLock.unlock();
        }
        index.dropBefore(segments.get(0).baseIndex());
        long freed = 0;
        try {
            // Oldest first, each deletion durable before the next, so a crash leaves a contiguous
            // suffix whatever order the file system would persist unlinks in (a gap is refused).
            for (Segment s : removed) {
                freed += s.size();
                s.closeAndDelete();
                fsync.directory(dir);
            }
        } catch (IOException e) {
            throw fail("cannot delete compacted segments of the log in " + dir, e);
        }
        return new Compaction(firstIndex(), removed.size(), freed);
    }

    /**
     * Discards every record and makes the log empty, the next append going to {@code nextIndex}
     * (a follower that installed a snapshot ending at {@code nextIndex - 1} beyond, or in
     * conflict with, its log). Durable when it returns: the old segment files are deleted and
     * one empty file named by {@code nextIndex} is created, so the next index survives a restart.
     * Afterwards {@code firstIndex() == nextIndex}, {@code lastIndex() == durableIndex() ==
     * nextIndex - 1} and {@link #lastTerm()} is 0: the caller knows the term of
     * {@code nextIndex - 1} from the snapshot. Waits for a sync in flight.
     *
     * <p>Crash safety: the old files are deleted newest first, the directory fsynced after each,
     * before the new file is created, so a crash part-way leaves a prefix of the old log, possibly
     * empty (which reopens as an empty log at index 0), never a gap. The node must therefore,
     * at start, check the log against its newest snapshot and reset again if the log does not
     * hold the snapshot's last entry (Raft's InstallSnapshot rule).
     *
     * @throws IllegalArgumentException if {@code nextIndex < 0}
     */
    public void resetTo(long nextIndex) throws StoreException {
        ensureUsable();
        if (nextIndex < 0) {
            throw new IllegalArgumentException("cannot reset the log to next index " + nextIndex);
        }
        syncLock.lock();
        try {
            // Newest first, each deletion durable before the next: a crash leaves a prefix.
            while (!segments.isEmpty()) {
                segments.remove(segments.size() - 1).closeAndDelete();
                fsync.directory(dir);
            }
            index.reset(nextIndex);
            writtenIndex = nextIndex - 1;
            active = Segment.create(dir, nextIndex);
            segments.add(active);
            fsync.directory(dir);
            directoryDirty = false;
            durableIndex = nextIndex - 1;
        } catch (IOException e) {
            throw fail("cannot reset the log in " + dir + " to next index " + nextIndex, e);
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Closes the files. Does not sync: call {@link #sync} first if the last appends should be
     * durable. Call once the loop and the persister have stopped using the log.
     */
    @Override
    public void close() throws StoreException {
        syncLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException first = null;
            for (Segment s : segments) {
                try {
                    s.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw new StoreException("cannot close the log in " + dir + ": " + first, first);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** For tests: counts fsyncs and can pause one. */
    Fsync fsync() {
        return fsync;
    }

    /** Bytes of record {@code i}'s frame: up to the next frame in its segment, or the segment's end. */
    private int frameBytes(long i) {
        boolean lastInSegment = i == index.lastIndex() || index.offset(i + 1) == 0;
        long end = lastInSegment ? segmentOf(i).size() : index.offset(i + 1);
        return (int) (end - index.offset(i));
    }

    /** The segment holding {@code index}: the last one starting at or before it. */
    private Segment segmentOf(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).baseIndex() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the log in " + dir + " is closed");
        }
    }

    private void ensureUsable() throws StoreException {
        ensureOpen();
        StoreException f = failure;
        if (f != null) {
            throw new StoreException("the log in " + dir + " is unusable after an earlier error: " + f.getMessage(), f);
        }
    }

    private StoreException fail(String what, IOException e) {
        StoreException f = new StoreException(what + ": " + e, e);
        failure = f;
        return f;
    }
}
