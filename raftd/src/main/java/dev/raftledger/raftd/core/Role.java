package dev.raftledger.raftd.core;

import java.util.Locale;

/** A node's role in its current term (Raft paper, figure 4). */
public enum Role {
    /** PRE_CANDIDATE: asking for pre-votes before a real election (its term unchanged). */
    FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER;

    /** Lower case, as the seed's log lines and the STATUS reply spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
