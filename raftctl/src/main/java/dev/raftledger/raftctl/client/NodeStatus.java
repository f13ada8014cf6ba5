package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.StatusReply;

/**
 * One row of {@code status}: what a node's STATUS reply says, or why there is none. Fields the
 * node did not send (an older or newer raftd) are null rather than an error.
 *
 * @param reachable    whether the node answered at all (an ERROR reply counts: it is up)
 * @param lastLogIndex the index of the last entry in its log (-1: empty)
 * @param commitIndex  the highest index it knows committed
 * @param appliedIndex the highest index it has applied
 * @param report       the node's whole STATUS object, for --json; null without one
 * @param status       {@code report} decoded (the shared {@link StatusReply}); null without one
 */
public record NodeStatus(String name, String address, boolean reachable, String state, Long term, String leader,
                  Long heartbeatAgeMs, Long lastLogIndex, Long commitIndex, Long appliedIndex, String error,
                  JsonNode report, StatusReply status) {

    /** With {@code status} decoded from {@code report}, once. */
    public NodeStatus(String name, String address, boolean reachable, String state, Long term, String leader,
                      Long heartbeatAgeMs, Long lastLogIndex, Long commitIndex, Long appliedIndex, String error,
                      JsonNode report) {
        this(name, address, reachable, state, term, leader, heartbeatAgeMs, lastLogIndex, commitIndex, appliedIndex,
                error, report, report == null ? null : StatusReply.fromJson(report));
    }

    public static NodeStatus of(NodeAddress node, Answer answer) {
        String problem = Replies.problem(answer, ControllerRequest.STATUS);
        ControllerMessage reply = answer.reply();
        if (problem != null) {
            Long term = reply == null ? null : reply.term();
            return new NodeStatus(node.name(), node.host(), answer.answered(), null, term, null, null, null, null, null,
                    problem, null);
        }
        JsonNode v = reply.value();
        if (v == null || !v.isObject()) {
            return new NodeStatus(node.name(), node.host(), true, null, reply.term(), null, null, null, null, null,
                    "STATUS reply without a status object", null);
        }
        StatusReply s = StatusReply.fromJson(v);
        return new NodeStatus(node.name(), node.host(), true, s.state(), s.term() != null ? s.term() : reply.term(),
                s.leader(), s.heartbeatAgeMs(), s.lastLogIndex(), s.commitIndex(), s.appliedIndex(), null, v, s);
    }

    /** The client sessions the node's ledger holds; null if it did not say (an older raftd). */
    public Long sessions() {
        return status == null ? null : status.sessions();
    }

    /** A rough estimate of the heap those sessions take, bytes; null if the node did not say. */
    public Long sessionsBytes() {
        return status == null ? null : status.sessionsBytes();
    }

    /** The release the node runs (its STATUS reply's {@code version}); null without a report. */
    public String version() {
        return status == null ? null : status.version();
    }

    /** The last index of the node's newest snapshot; null if it has none or did not say. */
    public Long snapshotIndex() {
        return status == null ? null : status.snapshotIndex();
    }

    /** The size in bytes of the node's newest snapshot; null if it has none or did not say. */
    public Long snapshotSize() {
        return status == null ? null : status.snapshotSize();
    }

    public LeaderView.Claim claim() {
        return new LeaderView.Claim(name, reachable, leader, error == null ? term : null, error);
    }
}
