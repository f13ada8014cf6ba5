package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.NodeStatus;
import java.util.List;

/** STATUS rounds built by hand, for the pure parts of watch (events, screen, lag). */
public final class Rounds {

    private Rounds() {}

    /** A node that answered STATUS: log indices all {@code index}, heartbeat 40 ms ago. */
    public static NodeStatus up(String name, String state, long term, String leader, long index) {
        ObjectNode report = Codec.objectNode();
        report.put("name", name);
        report.put("state", state);
        report.put("term", term);
        report.put("leader", leader);
        return new NodeStatus(name, "10.0.0." + name.charAt(name.length() - 1), true, state, term, leader, 40L,
                index, index, index, null, report);
    }

    public static NodeStatus up(String name, String state, long term, String leader) {
        return up(name, state, term, leader, 10);
    }

    /** A node that did not answer. */
    public static NodeStatus down(String name) {
        return new NodeStatus(name, "10.0.0." + name.charAt(name.length() - 1), false, null, null, null, null, null,
                null, null, "no reply within 500 ms", null);
    }

    /** A node that answered with an ERROR reply. */
    public static NodeStatus refusing(String name, long term) {
        return new NodeStatus(name, "10.0.0." + name.charAt(name.length() - 1), true, null, term, null, null, null,
                null, null, "refused: UNKNOWN_REQUEST: no STATUS here", null);
    }

    public static ClusterStatus round(NodeStatus... nodes) {
        List<NodeStatus> rows = List.of(nodes);
        return new ClusterStatus(rows, LeaderView.of(rows.stream().map(NodeStatus::claim).toList()));
    }

    /** Five nodes: {@code leader} leads in {@code term}, the others follow it. */
    public static ClusterStatus led(String leader, long term) {
        NodeStatus[] rows = new NodeStatus[5];
        for (int i = 1; i <= 5; i++) {
            String name = "Node" + i;
            rows[i - 1] = up(name, name.equals(leader) ? "leader" : "follower", term, leader);
        }
        return round(rows);
    }
}
