package dev.raftledger.raftd.store.snapshot;

/**
 * What {@link SnapshotReceiver#accept} did with a chunk, for the reply to the leader.
 *
 * @param status     see {@link Status}
 * @param nextOffset the payload offset the receiver wants next: the bytes held so far after
 *                   ACCEPTED, the offset to resend from after WRONG_OFFSET, 0 after FAILED, the
 *                   payload size after INSTALLED
 * @param installed  the snapshot now installed (INSTALLED only), else null
 * @param reason     why a chunk was refused (WRONG_OFFSET, FAILED), else null
 */
public record ChunkResult(Status status, long nextOffset, SnapshotMeta installed, String reason) {

    public enum Status {
        /** Written; send the chunk at {@code nextOffset}. */
        ACCEPTED,
        /** The last chunk arrived, the size and checksum were right, the snapshot is installed and durable. */
        INSTALLED,
        /** Not at the offset expected, nothing written; resend from {@code nextOffset}. */
        WRONG_OFFSET,
        /** The transfer was discarded (too many bytes, wrong size or checksum at the end); restart at 0. */
        FAILED
    }

    static ChunkResult accepted(long nextOffset) {
        return new ChunkResult(Status.ACCEPTED, nextOffset, null, null);
    }

    static ChunkResult installed(SnapshotMeta meta) {
        return new ChunkResult(Status.INSTALLED, meta.payloadSize(), meta, null);
    }

    static ChunkResult wrongOffset(long expected, String reason) {
        return new ChunkResult(Status.WRONG_OFFSET, expected, null, reason);
    }

    static ChunkResult failed(String reason) {
        return new ChunkResult(Status.FAILED, 0, null, reason);
    }
}
