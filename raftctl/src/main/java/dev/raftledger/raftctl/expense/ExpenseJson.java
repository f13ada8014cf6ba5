package dev.raftledger.raftctl.expense;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.math.BigDecimal;
import java.util.Map;

/** The --json documents of ledger writes and their failures, expense pages, totals and imports (field rules: {@link JsonOutput}). */
public final class ExpenseJson {

    private ExpenseJson() {}
    /**
     * An expense as the wire has it ({@link LedgerCodec#expenseToJson}), with {@code created_by}
     * and {@code updated_by} always present, null where the ledger did not record them (the
     * wire leaves them out then): every field of a document is always there.
     */
    public static ObjectNode expense(Expense e) {
        ObjectNode o = LedgerCodec.expenseToJson(e);
        o.remove("created_by");
        o.remove("updated_by");
        o.put("created_by", e.createdBy());
        o.put("updated_by", e.updatedBy());
        return o;
    }

    /** {@link #expense} of each. */
    static ArrayNode expenses(java.util.List<Expense> expenses) {
        ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        expenses.forEach(e -> a.add(expense(e)));
        return a;
    }

    static ObjectNode written(LedgerClient.Written w, String clientId, long seq) {
        ObjectNode doc = LedgerCodec.resultToJson(w.result());
        if (w.result().expense() != null) {
            doc.set("expense", expense(w.result().expense()));
        }
        doc.put("index", w.index());
        doc.put("term", w.term());
        doc.put("node", w.node());
        doc.put("client_id", clientId);
        doc.put("seq", seq);
        return doc;
    }

    static ObjectNode writeFailure(LeaderRouter.Failure f, String clientId, long seq) {
        ObjectNode doc = JsonOutput.object();
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
        ObjectNode doc = JsonOutput.object();
        ArrayNode list = doc.putArray("expenses");
        for (Expense e : l.expenses()) {
            list.add(expense(e));
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

    static ObjectNode imported(ImportSummary s) {
        ObjectNode doc = JsonOutput.object();
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
}
