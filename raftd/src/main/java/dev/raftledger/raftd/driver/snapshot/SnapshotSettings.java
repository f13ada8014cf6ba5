package dev.raftledger.raftd.driver.snapshot;

/**
 * When a node snapshots: once the entries applied since its last snapshot pass
 * {@code thresholdBytes}; and how many entries before the snapshot it keeps in its log, so that
 * a follower a little behind catches up from the log rather than with a whole snapshot.
 */
public record SnapshotSettings(long thresholdBytes, long catchUpEntries) {

    /** 64 MiB of entries; 5,000 kept (as etcd's default catch-up). */
    public static final SnapshotSettings DEFAULT = new SnapshotSettings(64L << 20, 5_000);

    public SnapshotSettings {
        if (thresholdBytes < 1) {
            throw new IllegalArgumentException("the snapshot threshold must be at least 1 byte: " + thresholdBytes);
        }
        if (catchUpEntries < 0) {
            throw new IllegalArgumentException("catch-up entries cannot be negative: " + catchUpEntries);
        }
    }
}
