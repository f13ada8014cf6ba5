package dev.raftledger.raftctl.cluster;

import java.time.Instant;
import java.util.Locale;

/**
 * Something {@code watch} noticed between two STATUS rounds, for its events pane and for the
 * {@code events} of its --json documents.
 *
 * @param time when the round that noticed it ended
 * @param kind what happened
 * @param node the node it is about (the leader, for leader events), or null for the cluster
 * @param term the term it happened in, or null when unknown
 * @param text one line for people, e.g. "leader changed: Node1 -> Node2 (term 8)"
 */
record WatchEvent(Instant time, Kind kind, String node, Long term, String text) {

    enum Kind {
        /** A leader is agreed where there was none (or at the first round). */
        LEADER_ELECTED,
        /** The agreed leader is another node, or the same node in a new term. */
        LEADER_CHANGED,
        /** There was an agreed leader and now there is none. */
        LEADER_LOST,
        /** The highest term rose and no leader is agreed in it yet. */
        ELECTION_STARTED,
        /** A node that answered STATUS no longer does (no reply, or an error reply). */
        NODE_LOST,
        /** A node that did not answer STATUS does again. */
        NODE_BACK,
        /** A node's state changed (follower, pre-candidate, candidate, leader). */
        STATE_CHANGED;

        /** The name in JSON: "leader_elected", ... */
        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
