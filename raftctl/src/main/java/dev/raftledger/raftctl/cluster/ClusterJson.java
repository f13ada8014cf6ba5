package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.NodeOutcome;
import dev.raftledger.raftctl.client.NodeStatus;
import dev.raftledger.raftctl.client.Versions;

/** The --json documents of status, health, watch events, leader and node actions (field rules: {@link JsonOutput}). */
public final class ClusterJson {

    private ClusterJson() {}
    static ObjectNode status(ClusterStatus status) {
        ObjectNode doc = JsonOutput.object();
        ArrayNode nodes = doc.putArray("nodes");
        for (NodeStatus n : status.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("address", n.address());
            o.put("reachable", n.reachable());
            o.put("state", n.state());
            o.put("term", n.term());
            o.put("leader", n.leader());
            o.put("heartbeat_age_ms", n.heartbeatAgeMs());
            o.put("last_log_index", n.lastLogIndex());
            o.put("commit_index", n.commitIndex());
            o.put("applied_index", n.appliedIndex());
            o.put("snapshot_index", n.snapshotIndex());
            o.put("snapshot_size", n.snapshotSize());
            o.put("sessions", n.sessions());
            o.put("sessions_bytes", n.sessionsBytes());
            o.put("version", n.version());
            o.put("error", n.error());
            o.set("report", n.report());
        }
        LeaderView leader = status.leader();
        doc.put("leader", leader.leader());
        doc.put("term", leader.term());
        doc.put("agreeing", leader.agreeing());
        doc.put("answering", leader.answering());
        doc.put("total", leader.total());
        ArrayNode alarms = doc.putArray("alarms");
        for (var a : status.alarms()) {
            alarms.addObject().put("node", a.node()).put("alarm", a.alarm()).put("reason", a.reason());
        }
        doc.set("versions", Versions.toJson(status.versions()));
        return doc;
    }

    /**
     * The members {@link ClusterHealth} found degraded, as {@code health} and {@code watch} print
     * them: each with its reasons (kind and text), its lag and one line for people.
     */
    static ArrayNode degraded(ClusterHealth health) {
        ArrayNode list = JsonOutput.object().arrayNode();
        for (ClusterHealth.Member d : health.degraded()) {
            ObjectNode o = list.addObject();
            o.put("node", d.node());
            ArrayNode reasons = o.putArray("reasons");
            for (ClusterHealth.Reason r : d.reasons()) {
                ObjectNode reason = reasons.addObject();
                reason.put("kind", r.kind().wireName());
                reason.put("text", r.text());
            }
            o.put("lag", d.lag());
            o.put("text", d.text());
        }
        return list;
    }

    /** One event of watch; {@code kind} is the lower-case name of {@link WatchEvent.Kind}. */
    static ObjectNode event(WatchEvent e) {
        ObjectNode o = JsonOutput.object();
        o.put("time", e.time().toString());
        o.put("kind", e.kind().wireName());
        o.put("node", e.node());
        o.put("term", e.term());
        o.put("text", e.text());
        return o;
    }

    static ObjectNode leader(LeaderView view) {
        ObjectNode doc = JsonOutput.object();
        doc.put("leader", view.leader());
        doc.put("term", view.term());
        doc.put("agreeing", view.agreeing());
        doc.put("answering", view.answering());
        doc.put("total", view.total());
        doc.put("disputed", view.disputed());
        ArrayNode nodes = doc.putArray("nodes");
        for (LeaderView.Claim c : view.claims()) {
            ObjectNode o = nodes.addObject();
            o.put("name", c.node());
            o.put("reachable", c.reachable());
            o.put("leader", c.leader());
            o.put("term", c.term());
            o.put("error", c.error());
        }
        return doc;
    }

    static ObjectNode action(NodeOutcome outcome) {
        ObjectNode doc = JsonOutput.object();
        doc.put("node", outcome.node());
        doc.put("address", outcome.address());
        doc.put("request", outcome.request());
        doc.put("ok", outcome.ok());
        doc.put("state", outcome.state());
        doc.put("term", outcome.term());
        doc.put("error", outcome.error());
        return doc;
    }
}
