package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.PrintWriter;

/**
 * The --json documents. Field names are snake_case like the wire, always present (null when
 * unknown) and stable: scripts may rely on them. One document per line.
 *
 * <pre>
 * status:   {"nodes":[{"name","address","reachable","state","term","leader","heartbeat_age_ms",
 *                      "error","report"}], "leader", "term", "agreeing", "answering", "total"}
 * watch:    the status document plus "time" (ISO-8601 UTC) and "redraw" (1, 2, ...)
 * leader:   {"leader","term","agreeing","answering","total","disputed",
 *            "nodes":[{"name","reachable","leader","term","error"}]}
 * timeout, convert-follower, shutdown:
 *           {"node","address","request","ok","state","term","error"}
 * </pre>
 */
final class JsonOutput {

    private JsonOutput() {}

    static ObjectNode status(ClusterStatus status) {
        ObjectNode doc = object();
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
            o.put("error", n.error());
            o.set("report", n.report());
        }
        LeaderView leader = status.leader();
        doc.put("leader", leader.leader());
        doc.put("term", leader.term());
        doc.put("agreeing", leader.agreeing());
        doc.put("answering", leader.answering());
        doc.put("total", leader.total());
        return doc;
    }

    static ObjectNode leader(LeaderView view) {
        ObjectNode doc = object();
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

    static ObjectNode action(NodeCommand.Outcome outcome) {
        ObjectNode doc = object();
        doc.put("node", outcome.node());
        doc.put("address", outcome.address());
        doc.put("request", outcome.request());
        doc.put("ok", outcome.ok());
        doc.put("state", outcome.state());
        doc.put("term", outcome.term());
        doc.put("error", outcome.error());
        return doc;
    }

    static void print(PrintWriter out, ObjectNode doc) {
        out.println(Codec.toJson(doc));
        out.flush();
    }

    private static ObjectNode object() {
        return Codec.objectNode();
    }
}
