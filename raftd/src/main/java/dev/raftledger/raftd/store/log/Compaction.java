package dev.raftledger.raftd.store.log;

/**
 * What {@link SegmentedLog#compactThrough} freed, for the node's log line.
 *
 * @param firstIndex      the first index the log holds afterwards
 * @param segmentsDeleted segment files deleted (0 if none lay wholly at or below the index)
 * @param bytesFreed      their total size
 */
public record Compaction(long firstIndex, int segmentsDeleted, long bytesFreed) {}
