package dev.raftledger.raftctl.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.RetrieveReply;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.client.LedgerClient;

/** The --json documents of the convention's STORE and RETRIEVE, and the log (field rules: {@link JsonOutput}). */
public final class StoreJson {

    private StoreJson() {}
    static ObjectNode stored(LedgerClient.Stored s) {
        ObjectNode doc = JsonOutput.object();
        doc.put("key", s.key());
        doc.put("value", s.value());
        doc.put("index", s.index());
        doc.put("term", s.term());
        doc.put("node", s.node());
        return doc;
    }

    static ObjectNode retrieved(LedgerClient.Retrieved r) {
        ObjectNode doc = JsonOutput.object();
        ArrayNode entries = doc.putArray("entries");
        for (RetrieveReply.Stored e : r.entries()) {
            ObjectNode o = entries.addObject();
            o.set("term", JsonOutput.nullIfAbsent(e.term()));
            o.set("key", JsonOutput.nullIfAbsent(e.key()));
            o.set("value", JsonOutput.nullIfAbsent(e.value()));
        }
        doc.put("node", r.node());
        return doc;
    }

    static ObjectNode log(LedgerClient.LogListing l) {
        ObjectNode doc = JsonOutput.object();
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
}
