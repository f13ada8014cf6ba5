package dev.raftledger.raftd.driver.space;

/**
 * Whether a node's disk alarm is raised, from one reading after another. Raised when the data
 * dir holds more than the quota or the free space falls below the floor; cleared only once both
 * are back with a margin (5 % of the quota below it, a quarter of the floor above it), so a data
 * dir hovering at its quota does not flap the cluster between refusing and taking writes.
 *
 * <p>Pure and not thread-safe: owned by the {@link SpaceMonitor}'s thread.
 */
final class SpaceAlarm {

    private final SpaceQuota quota;
    private String reason;

    SpaceAlarm(SpaceQuota quota) {
        this.quota = quota;
    }

    /** Takes a reading; returns why the alarm is raised after it, or null if it is not. */
    String update(DiskReading r) {
        String over = over(r);
        if (over != null) {
            reason = over;
        } else if (reason != null && clear(r)) {
            reason = null;
        }
        return reason;
    }

    String reason() {
        return reason;
    }

    private String over(DiskReading r) {
        if (r.usedBytes() > quota.quotaBytes()) {
            return "the data dir holds " + Bytes.human(r.usedBytes()) + ", over its quota of "
                    + Bytes.human(quota.quotaBytes()) + " (--quota-bytes)";
        }
        if (r.freeBytes() < quota.minFreeBytes()) {
            return "its file system has " + Bytes.human(r.freeBytes()) + " free, under the "
                    + Bytes.human(quota.minFreeBytes()) + " it must keep (--min-free-bytes)";
        }
        return null;
    }

    private boolean clear(DiskReading r) {
        return r.usedBytes() <= quota.quotaBytes() - quota.quotaBytes() / 20
                && r.freeBytes() >= quota.minFreeBytes() + quota.minFreeBytes() / 4;
    }
}
