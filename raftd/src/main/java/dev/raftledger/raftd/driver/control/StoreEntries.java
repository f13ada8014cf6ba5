package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller convention's replicated state: every committed STORE, as
 * {@code {term, key, value}} in log order, which RETRIEVE returns as COMMITED_LOGS.
 */
public final class StoreEntries {

    private final List<ObjectNode> committed = new ArrayList<>();

    /** The log payload of a STORE: {@code {"key": ..., "value": ...}}. */
    static Payload payload(JsonNode key, JsonNode value) {
        ObjectNode o = Codec.objectNode();
        o.set("key", key);
        o.set("value", value);
        return Payload.ofJson(Codec.toBytes(o));
    }

    /** True if the payload is a STORE. */
    public static boolean isStore(JsonNode data) {
        return data.size() == 2 && data.has("key") && data.has("value");
    }

    public void apply(Entry e, JsonNode data) {
        ObjectNode o = Codec.objectNode();
        o.put("term", e.term());
        o.set("key", data.get("key"));
        o.set("value", data.get("value"));
        committed.add(o);
    }

    /** The STOREs a snapshot holds ({@link #all()}'s shape), replacing none: for a fresh instance. */
    public static StoreEntries restore(JsonNode all) {
        if (all == null || !all.isArray()) {
            throw new IllegalArgumentException("the snapshot's stores must be an array");
        }
        StoreEntries s = new StoreEntries();
        for (JsonNode o : all) {
            if (!o.isObject() || !o.has("term") || !o.has("key") || !o.has("value")) {
                throw new IllegalArgumentException("a snapshot's store entry must have term, key and value: " + o);
            }
            s.committed.add((ObjectNode) o);
        }
        return s;
    }

    /** Every committed STORE, oldest first, as the convention's COMMITED_LOGS value. */
    public ArrayNode all() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        committed.forEach(a::add);
        return a;
    }

    public static JsonNode parse(Entry e) {
        try {
            return Codec.readTree(e.data().bytes());
        } catch (MalformedMessageException ex) {
            throw new IllegalStateException("entry " + e.index() + " holds no JSON: " + ex.getMessage(), ex);
        }
    }
}
