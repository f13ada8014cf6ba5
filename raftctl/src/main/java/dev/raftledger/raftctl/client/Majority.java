package dev.raftledger.raftctl.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a majority of all members (not just of those answering) name one leader in one term,
 * as {@code health} and {@code wait-leader} require. Unlike {@link LeaderView}, which accepts any
 * leader the answering nodes agree on, nodes that are down count against the leader here.
 *
 * @param leader   the leader named by at least {@code quorum} nodes in {@code term}, or null
 * @param term     its term, or null
 * @param agreeing how many nodes name it in that term (0 without one)
 * @param quorum   size / 2 + 1
 * @param total    the number of members
 */
public record Majority(String leader, Long term, int agreeing, int quorum, int total) {

    /** A term and leader as one node states them. */
    private record Key(String leader, Long term) {}

    static int quorum(int size) {
        return size / 2 + 1;
    }

    /** From every member's claim (unusable ones and ones naming no leader count for nobody). */
    public static Majority of(List<LeaderView.Claim> claims) {
        int quorum = quorum(claims.size());
        Map<Key, Integer> counts = new LinkedHashMap<>();
        for (LeaderView.Claim c : claims) {
            if (c.usable() && c.leader() != null) {
                counts.merge(new Key(c.leader(), c.term()), 1, Integer::sum);
            }
        }
        for (Map.Entry<Key, Integer> e : counts.entrySet()) {
            if (e.getValue() >= quorum) { // at most one group can reach a majority
                return new Majority(e.getKey().leader(), e.getKey().term(), e.getValue(), quorum, claims.size());
            }
        }
        return new Majority(null, null, 0, quorum, claims.size());
    }

    public boolean agreed() {
        return leader != null;
    }

    /** Whether {@code c} names this majority's leader in its term. */
    boolean agrees(LeaderView.Claim c) {
        return agreed() && c.usable() && leader.equals(c.leader()) && java.util.Objects.equals(term, c.term());
    }
}
