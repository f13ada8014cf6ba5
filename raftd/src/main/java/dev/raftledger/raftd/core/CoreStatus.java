package dev.raftledger.raftd.core;

import java.util.Map;

/**
 * A snapshot of the core's state for the STATUS reply. {@code heartbeatAgeMs} is the time since
 * this node last received (follower) or sent (leader) a heartbeat, or -1 if it never has.
 * {@code followerMatch} is, on a leader, each follower's highest index known replicated;
 * {@code followerHeardMs}, on a leader, the ms since each follower last answered it in this term
 * (-1: not yet), so that a follower the leader cannot hear shows even while it hears the leader.
 */
public record CoreStatus(String name, Role role, long term, String votedFor, String leader,
                         long heartbeatAgeMs, LogPosition lastLog, long commitIndex, long appliedIndex,
                         long persistedIndex, Map<String, Long> followerMatch, Map<String, Long> followerHeardMs,
                         Counters counters) {

    /** Without {@code followerHeardMs} (empty): for callers that have no per-follower contact times. */
    public CoreStatus(String name, Role role, long term, String votedFor, String leader, long heartbeatAgeMs,
                      LogPosition lastLog, long commitIndex, long appliedIndex, long persistedIndex,
                      Map<String, Long> followerMatch, Counters counters) {
        this(name, role, term, votedFor, leader, heartbeatAgeMs, lastLog, commitIndex, appliedIndex, persistedIndex,
                followerMatch, Map.of(), counters);
    }
}
