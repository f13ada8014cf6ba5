package dev.raftledger.raftd.core;

import java.util.Map;

/**
 * A snapshot of the core's state for the STATUS reply. {@code heartbeatAgeMs} is the time since
 * this node last received (follower) or sent (leader) a heartbeat, or -1 if it never has.
 * {@code followerMatch} is, on a leader, each follower's highest index known replicated.
 */
public record CoreStatus(String name, Role role, long term, String votedFor, String leader,
                         long heartbeatAgeMs, LogPosition lastLog, long commitIndex, long appliedIndex,
                         long persistedIndex, Map<String, Long> followerMatch, Counters counters) {}
