package dev.raftledger.raftd.store.snapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link SnapshotStore#latest} found: the newest valid snapshot, if any, and every newer
 * file it had to pass over (to be logged: a damaged snapshot is damage the node did not cause).
 *
 * @param snapshot the newest snapshot whose header, length and payload checksum are right
 * @param rejected the newer snapshot files that were not, newest first
 */
public record LatestSnapshot(Optional<SnapshotMeta> snapshot, List<Rejected> rejected) {

    public LatestSnapshot {
        rejected = List.copyOf(rejected);
    }

    /**
     * A snapshot file passed over.
     *
     * @param file    the file as it was named
     * @param reason  what was wrong with it
     * @param movedTo where it was moved aside ({@code <name>.corrupt}, kept for the operator and
     *                never read again), or null if it was left in place because reading it failed
     *                with an I/O error that may pass
     */
    public record Rejected(Path file, String reason, Path movedTo) {}
}
