package dev.raftledger.raftd.core;

import java.util.Locale;

/** A node's role in its current term (Raft paper, figure 4). */
public enum Role {
    FOLLOWER, CANDIDATE, LEADER;

    /** Lower case, as the seed's log lines and the STATUS reply spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
