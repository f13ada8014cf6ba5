package dev.raftledger.raftd.store.log;

import java.nio.file.Path;

/**
 * What {@link SegmentedLog#open} found, for the node's start-up log line.
 *
 * @param directory    the log's directory
 * @param segmentFiles segment files in use after recovery
 * @param firstIndex   first record kept
 * @param lastIndex    last record kept ({@code firstIndex - 1} when the log is empty)
 * @param truncation   the damaged tail that was cut off, or null if the log ended cleanly
 */
public record RecoveryReport(Path directory, int segmentFiles, long firstIndex, long lastIndex, TailTruncation truncation) {

    /**
     * A tail cut off at start: the end of the last segment held an incomplete or damaged frame
     * with nothing valid after it (what a crash in the middle of a write leaves).
     *
     * @param file           the segment that was cut
     * @param offset         where the first bad frame began; the file now ends there
     * @param bytes          bytes removed
     * @param firstLostIndex the index the bad frame would have held
     * @param reason         what was wrong with that frame
     */
    public record TailTruncation(Path file, long offset, long bytes, long firstLostIndex, String reason) {}

    public long records() {
        return lastIndex - firstIndex + 1;
    }

    public boolean truncated() {
        return truncation != null;
    }

    /** One line for the operator. */
    public String summary() {
        String kept = records() == 0
                ? "no records (next index " + firstIndex + ")"
                : records() + " records, " + firstIndex + "-" + lastIndex;
        String s = "log " + directory + ": " + segmentFiles + " segment files, " + kept;
        if (truncation == null) {
            return s;
        }
        return s + "; cut a damaged tail of " + truncation.bytes() + " bytes from " + truncation.file()
                + " at offset " + truncation.offset() + " (from index " + truncation.firstLostIndex()
                + ": " + truncation.reason() + ")";
    }
}
