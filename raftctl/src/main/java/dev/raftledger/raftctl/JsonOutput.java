package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.common.wire.Codec;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The --json documents. Field names are snake_case like the wire, always present (null when
 * unknown) and stable: scripts may rely on them. One document per line. Their schemas are the
 * files in docs/json-schemas (JsonSchemaTest checks every command's output against them; the
 * tables in docs/raftctl.md are generated from them): a new field goes into its schema too.
 * Expenses are LedgerCodec's, amounts as strings.
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
            o.put("last_log_index", n.lastLogIndex());
            o.put("commit_index", n.commitIndex());
            o.put("applied_index", n.appliedIndex());
            o.put("snapshot_index", n.snapshotIndex());
            o.put("snapshot_size", n.snapshotSize());
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

    /**
     * The members {@link ClusterHealth} found degraded, as {@code health} and {@code watch} print
     * them: each with its reasons (kind and text), its lag and one line for people.
     */
    static ArrayNode degraded(ClusterHealth health) {
        ArrayNode list = object().arrayNode();
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
        ObjectNode o = object();
        o.put("time", e.time().toString());
        o.put("kind", e.kind().wireName());
        o.put("node", e.node());
        o.put("term", e.term());
        o.put("text", e.text());
        return o;
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

    static ObjectNode action(NodeOutcome outcome) {
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

    static ObjectNode stored(LedgerClient.Stored s) {
        ObjectNode doc = object();
        doc.put("key", s.key());
        doc.put("value", s.value());
        doc.put("index", s.index());
        doc.put("term", s.term());
        doc.put("node", s.node());
        return doc;
    }

    static ObjectNode retrieved(LedgerClient.Retrieved r) {
        ObjectNode doc = object();
        ArrayNode entries = doc.putArray("entries");
        for (JsonNode e : r.entries()) {
            ObjectNode o = entries.addObject();
            o.set("term", nullIfAbsent(e.get("term")));
            o.set("key", nullIfAbsent(e.get("key")));
            o.set("value", nullIfAbsent(e.get("value")));
        }
        doc.put("node", r.node());
        return doc;
    }

    static ObjectNode written(LedgerClient.Written w, String clientId, long seq) {
        ObjectNode doc = LedgerCodec.resultToJson(w.result());
        doc.put("index", w.index());
        doc.put("term", w.term());
        doc.put("node", w.node());
        doc.put("client_id", clientId);
        doc.put("seq", seq);
        return doc;
    }

    static ObjectNode writeFailure(LeaderRouter.Failure f, String clientId, long seq) {
        ObjectNode doc = object();
        doc.put("ok", false);
        doc.putNull("id");
        doc.putNull("expense");
        doc.put("error", f.code());
        doc.put("message", f.getMessage());
        doc.putNull("index");
        doc.putNull("term");
        doc.putNull("node");
        doc.put("client_id", clientId);
        doc.put("seq", seq);
        return doc;
    }

    static ObjectNode listing(LedgerClient.Listing l) {
        ObjectNode doc = object();
        ArrayNode list = doc.putArray("expenses");
        for (Expense e : l.expenses()) {
            list.add(LedgerCodec.expenseToJson(e));
        }
        doc.put("total", l.total());
        doc.put("applied_index", l.appliedIndex());
        doc.put("commit_index", l.commitIndex());
        doc.put("leader", l.leader());
        doc.put("stale", l.stale());
        doc.put("node", l.node());
        return doc;
    }

    static ObjectNode totals(LedgerClient.TotalsReport r) {
        Totals t = r.totals();
        ObjectNode doc = LedgerCodec.totalsToJson(t);
        ObjectNode overall = doc.putObject("overall");
        for (Map.Entry<String, BigDecimal> e : t.overall().entrySet()) {
            overall.put(e.getKey(), e.getValue().toPlainString());
        }
        doc.put("applied_index", r.appliedIndex());
        doc.put("commit_index", r.commitIndex());
        doc.put("leader", r.leader());
        doc.put("stale", r.stale());
        doc.put("node", r.node());
        return doc;
    }

    static ObjectNode log(LedgerClient.LogListing l) {
        ObjectNode doc = object();
        ArrayNode entries = doc.putArray("entries");
        for (LedgerClient.LogEntry e : l.entries()) {
            ObjectNode o = entries.addObject();
            o.put("index", e.index());
            o.put("term", e.term());
            o.set("data", e.data());
        }
        doc.put("node", l.node());
        doc.put("applied_index", l.appliedIndex());
        doc.put("first_index", l.firstIndex());
        return doc;
    }

    static ObjectNode imported(ImportSummary s) {
        ObjectNode doc = object();
        doc.put("imported", s.imported());
        ArrayNode skipped = doc.putArray("skipped");
        for (ImportSummary.Skipped k : s.skipped()) {
            ObjectNode o = skipped.addObject();
            o.put("line", k.line());
            o.put("error", k.error());
        }
        doc.put("file", s.file());
        doc.put("rows", s.rows());
        ArrayNode ids = doc.putArray("ids");
        s.ids().forEach(ids::add);
        doc.put("stopped_at", s.stoppedAt());
        doc.put("not_sent", s.notSent());
        doc.put("client_id", s.clientId());
        return doc;
    }

    private static JsonNode nullIfAbsent(JsonNode n) {
        return n == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n;
    }

    static void print(PrintWriter out, ObjectNode doc) {
        out.println(Codec.toJson(doc));
        out.flush();
    }

    private static ObjectNode object() {
        return Codec.objectNode();
    }
}
