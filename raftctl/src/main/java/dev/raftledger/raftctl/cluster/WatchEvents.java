package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.NodeStatus;
import dev.raftledger.raftctl.cluster.WatchEvent.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events of {@code watch}: what changed between two STATUS rounds. Pure, so that every rule
 * below is a unit test; the terminal loop and the plain and --json modes only call {@link #diff}.
 *
 * <p>A node is "up" when it gave a usable STATUS reply (an ERROR reply counts as lost: its state
 * is unknown). The leader is {@link LeaderView}'s: the one the answering nodes agree on.
 */
public final class WatchEvents {

    private WatchEvents() {}

    /**
     * @param previous the round before, or null for the first round (then the events describe
     *                 what is: the leader, and the nodes that do not answer)
     * @param current  the round just ended
     * @param time     when it ended, the events' time stamp
     * @return the events in a fixed order: leader, election, then node by node in cluster order
     */
    static List<WatchEvent> diff(ClusterStatus previous, ClusterStatus current, Instant time) {
        List<WatchEvent> events = new ArrayList<>();
        // nodes whose new state a cluster event already reports, so it is not said twice
        Map<String, String> explained = new HashMap<>();
        leader(previous, current, time, events, explained);
        election(previous, current, time, events, explained);
        nodes(previous, current, time, events, explained);
        return List.copyOf(events);
    }

    /** A leader event, if the agreed leader changed; the new leader's own change of state is then not repeated. */
    private static void leader(ClusterStatus previous, ClusterStatus current, Instant time, List<WatchEvent> events,
                               Map<String, String> explained) {
        WatchEvent event = leaderEvent(previous, current, time);
        if (event == null) {
            return;
        }
        events.add(event);
        if (event.kind() != Kind.LEADER_LOST) {
            explained.put(event.node(), "leader");
        }
    }

    private static WatchEvent leaderEvent(ClusterStatus previous, ClusterStatus current, Instant time) {
        LeaderView now = current.leader();
        String leader = now.leader();
        String inTerm = " (" + term(now.term()) + ")";
        if (previous == null) {
            return leader == null ? null : new WatchEvent(time, Kind.LEADER_ELECTED, leader, now.term(),
                    "leader is " + leader + inTerm);
        }
        LeaderView before = previous.leader();
        if (leader == null) {
            return before.leader() == null ? null : new WatchEvent(time, Kind.LEADER_LOST, before.leader(),
                    highestTerm(current), "leader lost: " + before.leader() + " (" + term(before.term())
                    + ") is no longer agreed: " + noLeaderReason(now));
        }
        if (before.leader() == null) {
            return new WatchEvent(time, Kind.LEADER_ELECTED, leader, now.term(), leader + " elected leader" + inTerm);
        }
        if (!before.leader().equals(leader)) {
            return new WatchEvent(time, Kind.LEADER_CHANGED, leader, now.term(),
                    "leader changed: " + before.leader() + " -> " + leader + inTerm);
        }
        if (!Objects.equals(before.term(), now.term())) {
            return new WatchEvent(time, Kind.LEADER_CHANGED, leader, now.term(), leader + " re-elected leader" + inTerm);
        }
        return null;
    }

    private static String noLeaderReason(LeaderView view) {
        if (view.answering() == 0) {
            return "no node answers";
        }
        return view.disputed() ? "the nodes name different leaders" : "no answering node knows a leader";
    }

    /** The highest term rose and nobody leads in it yet: an election is under way. */
    private static void election(ClusterStatus previous, ClusterStatus current, Instant time,
                                 List<WatchEvent> events, Map<String, String> explained) {
        if (previous == null) {
            return;
        }
        Long before = highestTerm(previous);
        Long now = highestTerm(current);
        if (before == null || now == null || now <= before) {
            return;
        }
        LeaderView view = current.leader();
        if (view.leader() != null && now.equals(view.term())) {
            return; // the leader event says it: elected in the new term
        }
        List<String> candidates = new ArrayList<>();
        for (NodeStatus n : current.nodes()) {
            if (up(n) && "candidate".equals(n.state()) && now.equals(n.term())) {
                candidates.add(n.name());
            }
        }
        String text;
        String node = null;
        if (candidates.size() == 1) {
            node = candidates.get(0);
            explained.put(node, "candidate");
            text = node + " started an election (term " + now + ")";
        } else if (candidates.isEmpty()) {
            text = "term rose to " + now + ", no leader yet";
        } else {
            candidates.forEach(c -> explained.put(c, "candidate"));
            text = "election in term " + now + ": candidates " + String.join(", ", candidates);
        }
        events.add(new WatchEvent(time, Kind.ELECTION_STARTED, node, now, text));
    }

    private static void nodes(ClusterStatus previous, ClusterStatus current, Instant time, List<WatchEvent> events,
                              Map<String, String> explained) {
        Map<String, NodeStatus> before = new HashMap<>();
        if (previous != null) {
            previous.nodes().forEach(n -> before.put(n.name(), n));
        }
        for (NodeStatus n : current.nodes()) {
            NodeStatus p = before.get(n.name());
            if (previous == null || p == null) {
                if (!up(n)) {
                    events.add(new WatchEvent(time, Kind.NODE_LOST, n.name(), n.term(),
                            n.name() + " not answering: " + n.error()));
                }
            } else if (up(p) && !up(n)) {
                events.add(new WatchEvent(time, Kind.NODE_LOST, n.name(), n.term(), n.name() + " lost: " + n.error()));
            } else if (!up(p) && up(n)) {
                events.add(new WatchEvent(time, Kind.NODE_BACK, n.name(), n.term(),
                        n.name() + " back: " + orUnknown(n.state()) + ", " + term(n.term())));
            } else if (up(p) && up(n) && !Objects.equals(p.state(), n.state())
                    && !Objects.equals(explained.get(n.name()), n.state())) {
                events.add(new WatchEvent(time, Kind.STATE_CHANGED, n.name(), n.term(),
                        n.name() + ": " + orUnknown(p.state()) + " -> " + orUnknown(n.state()) + " (" + term(n.term()) + ")"));
            }
        }
    }

    /** Whether the node gave a usable STATUS reply. */
    public static boolean up(NodeStatus n) {
        return n.reachable() && n.error() == null;
    }

    /** The highest term any node that is up reports, or null if none does. */
    static Long highestTerm(ClusterStatus status) {
        Long max = null;
        for (NodeStatus n : status.nodes()) {
            if (up(n) && n.term() != null && (max == null || n.term() > max)) {
                max = n.term();
            }
        }
        return max;
    }

    private static String term(Long term) {
        return "term " + (term == null ? "?" : term);
    }

    private static String orUnknown(String state) {
        return state == null ? "state unknown" : state;
    }
}
