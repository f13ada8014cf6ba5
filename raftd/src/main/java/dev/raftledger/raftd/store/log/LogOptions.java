package dev.raftledger.raftd.store.log;

/**
 * Tuning of a {@link SegmentedLog}.
 *
 * @param segmentBytes the active segment is closed and a new one started once it holds at least
 *                     this many bytes (so a segment exceeds it by less than one record). At most
 *                     1 GiB: the in-memory index keeps file offsets as ints, 4 bytes a record
 *                     instead of 8, which matters with millions of records in a 64 MiB heap.
 */
public record LogOptions(long segmentBytes) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public LogOptions {
        if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("--log-segment-bytes must be 1-" + MAX_SEGMENT_BYTES + ", not " + segmentBytes);
        }
    }

    public static LogOptions defaults() {
        return new LogOptions(DEFAULT_SEGMENT_BYTES);
    }
}
