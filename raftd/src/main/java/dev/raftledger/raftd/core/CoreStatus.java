package dev.raftledger.raftd.core;

/**
 * A snapshot of the core's state for the STATUS reply. {@code heartbeatAgeMs} is the time since
 * this node last received (follower) or sent (leader) a heartbeat, or -1 if it never has.
 */
public record CoreStatus(String name, Role role, long term, String votedFor, String leader,
                         long heartbeatAgeMs, LogPosition lastLog, Counters counters) {}
