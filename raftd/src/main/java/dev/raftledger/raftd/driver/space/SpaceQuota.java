package dev.raftledger.raftd.driver.space;

/**
 * How much disk a node may use before it raises its alarm ({@code --quota-bytes}, like etcd's
 * {@code --quota-backend-bytes}) and how much free space its file system must keep
 * ({@code --min-free-bytes}; 0: not watched).
 *
 * @param quotaBytes   the most the data dir may hold (every file in it: log segments,
 *                     snapshots, the term and vote); positive
 * @param minFreeBytes the least free space the data dir's file system must keep for this node
 */
public record SpaceQuota(long quotaBytes, long minFreeBytes) {

    /** etcd's default backend quota, 2 GiB: about 20 times a million-expense snapshot. */
    public static final long DEFAULT_QUOTA_BYTES = 2L << 30;
    /** Room for a snapshot being written and a few log segments. */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
    public static final SpaceQuota DEFAULT = new SpaceQuota(DEFAULT_QUOTA_BYTES, DEFAULT_MIN_FREE_BYTES);

    public SpaceQuota {
        if (quotaBytes <= 0) {
            throw new IllegalArgumentException("--quota-bytes must be positive, not " + quotaBytes
                    + ": a quota of 0 would refuse every write");
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("--min-free-bytes must be 0 (not watched) or more, not " + minFreeBytes);
        }
    }
}
