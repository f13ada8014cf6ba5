package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One STATUS round: every node's row, in cluster order, and the leader they agree on. */
public record ClusterStatus(List<NodeStatus> nodes, LeaderView leader) {

    public ClusterStatus {
        nodes = List.copyOf(nodes);
    }

    /** Asks every node at once, so a round takes one timeout however many nodes are down. */
    public static ClusterStatus fetch(Session session) {
        Map<String, Answer> answers = session.queries()
                .askAll(session.cluster(), ControllerMessage.request(ControllerRequest.STATUS.name()));
        List<NodeStatus> rows = new ArrayList<>();
        for (NodeAddress node : session.cluster().nodes()) {
            rows.add(NodeStatus.of(node, answers.get(node.name())));
        }
        return new ClusterStatus(rows, LeaderView.of(rows.stream().map(NodeStatus::claim).toList()));
    }

    /** Each node's version, in cluster order (null: no report), for {@link Versions}. */
    public Map<String, String> versions() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> out.put(n.name(), n.version()));
        return out;
    }

    /** Whether every member answered (an ERROR reply counts: the node is up). */
    public boolean allReachable() {
        return nodes.stream().allMatch(NodeStatus::reachable);
    }

    public boolean anyReachable() {
        return nodes.stream().anyMatch(NodeStatus::reachable);
    }

    /**
     * Every alarm any node reported, once per member and kind, in cluster order: a member's own
     * report first (it says why), else what the leader learned from its replies.
     */
    public List<StatusReply.Alarm> alarms() {
        Map<String, StatusReply.Alarm> byMember = new java.util.LinkedHashMap<>();
        for (NodeStatus n : nodes) {
            if (n.status() != null && n.status().alarms() != null) {
                for (StatusReply.Alarm a : n.status().alarms()) {
                    String key = a.node() + "/" + a.alarm();
                    if (n.name().equals(a.node()) || !byMember.containsKey(key)) {
                        byMember.put(key, a);
                    }
                }
            }
        }
        List<StatusReply.Alarm> out = new ArrayList<>();
        for (NodeStatus n : nodes) {
            byMember.values().stream().filter(a -> n.name().equals(a.node())).forEach(out::add);
        }
        byMember.values().stream().filter(a -> !out.contains(a)).forEach(out::add); // members not asked
        return out;
    }
}
