/**
 * A full disk, before it is full: each node watches its data dir against a quota and its file
 * system's free space ({@link dev.raftledger.raftd.driver.space.SpaceMonitor}, on a thread of its
 * own), raises an alarm past either ({@link dev.raftledger.raftd.driver.space.SpaceAlarm}), and
 * says so on every AppendReply it sends; the leader refuses new writes while any member's alarm
 * is fresh ({@link dev.raftledger.raftd.driver.space.ClusterAlarms}), and the cluster keeps
 * electing, serving reads and taking snapshots (which compact the log and may clear the alarm).
 * A real ENOSPC, below the quota's guard, stops the node (exit 1) as any storage failure does;
 * it restarts cleanly once space is freed.
 */
package dev.raftledger.raftd.driver.space;
