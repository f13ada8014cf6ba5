package dev.raftledger.raftd.driver.space;

/**
 * One look at a node's disk.
 *
 * @param usedBytes what the data dir holds (the sum of its files' sizes)
 * @param freeBytes what its file system still has for this process (usable space)
 */
public record DiskReading(long usedBytes, long freeBytes) {}
