package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
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

    /** Whether every member answered (an ERROR reply counts: the node is up). */
    public boolean allReachable() {
        return nodes.stream().allMatch(NodeStatus::reachable);
    }

    public boolean anyReachable() {
        return nodes.stream().anyMatch(NodeStatus::reachable);
    }
}
