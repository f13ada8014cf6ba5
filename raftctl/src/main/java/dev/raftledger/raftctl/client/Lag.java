package dev.raftledger.raftctl.client;

import dev.raftledger.raftctl.cluster.WatchEvents;
import java.util.Map;

/**
 * The LAG column of {@code watch}: how many entries a node is behind the agreed leader's last log
 * index. For a follower it is the leader's last index minus the follower's match index as the
 * leader reports it ({@code follower_match_index}, which also works while the follower is down),
 * else minus the follower's own applied index; for the leader itself, its last index minus its
 * applied index. Null when there is no agreed leader or a number is missing.
 */
public final class Lag {

    private Lag() {}

    public static Long of(ClusterStatus status, NodeStatus node) {
        NodeStatus leader = leaderRow(status);
        if (leader == null) {
            return null;
        }
        long last = leader.lastLogIndex();
        if (!leader.name().equals(node.name())) {
            Long match = matchIndex(leader, node.name());
            if (match != null) {
                return behind(last, match);
            }
        }
        return WatchEvents.up(node) && node.appliedIndex() != null ? behind(last, node.appliedIndex()) : null;
    }

    /** The agreed leader's row, if it answered STATUS with its last log index. */
    private static NodeStatus leaderRow(ClusterStatus status) {
        String name = status.leader().leader();
        if (name == null) {
            return null;
        }
        for (NodeStatus n : status.nodes()) {
            if (n.name().equals(name)) {
                return WatchEvents.up(n) && n.lastLogIndex() != null ? n : null;
            }
        }
        return null;
    }

    private static Long matchIndex(NodeStatus leader, String follower) {
        if (leader.status() == null) {
            return null;
        }
        Map<String, Long> match = leader.status().followerMatchIndex();
        return match == null ? null : match.get(follower);
    }

    /**
     * Never negative: the nodes answer at slightly different moments, so a follower may report an
     * index the leader had not yet reached when it answered.
     */
    private static long behind(long last, long index) {
        return Math.max(0, last - index);
    }
}
