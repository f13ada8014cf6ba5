package dev.raftledger.raftd.metrics;

/**
 * A node's disk as its space monitor last read it, for the metrics endpoint.
 *
 * @param usedBytes    what the data dir holds
 * @param freeBytes    what its file system has free for raftd
 * @param quotaBytes   --quota-bytes
 * @param minFreeBytes --min-free-bytes
 * @param alarmRaised  whether this node's own NO_SPACE alarm is raised
 * @param refusals     writes this node refused (as leader) because a member's alarm was raised
 */
public record SpaceMetrics(long usedBytes, long freeBytes, long quotaBytes, long minFreeBytes, boolean alarmRaised,
                           long refusals) {}
