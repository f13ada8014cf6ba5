package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a RETRIEVE reply ({@link ReplyKey#COMMITED_LOGS}), the convention's: the committed
 * STOREs, oldest first, as {@code [{"term", "key", "value"}, ...]}. Encoded by raftd
 * ({@link #toJson}) and decoded by raftctl ({@link #fromJson}) here, once.
 *
 * <p>The convention's controllers and other implementations read and write this reply, so each
 * field is kept as JSON, as the leader sent it (raftd: an integer term, and the key and value as
 * they were stored, any JSON). Decoding ignores fields it does not know and reads a field that is
 * absent (or an entry that is not an object) as null; a value that is not an array is a
 * {@link MalformedMessageException}. Immutable.
 */
public record RetrieveReply(List<Stored> entries) {

    public RetrieveReply {
        entries = List.copyOf(entries);
    }

    /** One committed STORE; a field is null where the entry has none. */
    public record Stored(JsonNode term, JsonNode key, JsonNode value) {

        /** The entry as the reply lists it: what a list's room is measured with. */
        public ObjectNode toJson() {
            ObjectNode o = Codec.objectNode();
            o.set("term", term);
            o.set("key", key);
            o.set("value", value);
            return o;
        }

        /** The entry {@code o} as far as it is one. */
        public static Stored fromJson(JsonNode o) {
            return new Stored(o.get("term"), o.get("key"), o.get("value"));
        }
    }

    /** The COMMITED_LOGS array, as the node sends it. */
    public ArrayNode toJson() {
        ArrayNode a = Codec.objectNode().arrayNode();
        for (Stored s : entries) {
            a.add(s.toJson());
        }
        return a;
    }

    /** The COMMITED_LOGS array {@code v}. */
    public static RetrieveReply fromJson(JsonNode v) throws MalformedMessageException {
        if (v == null || !v.isArray()) {
            throw new MalformedMessageException("COMMITED_LOGS that is not an array");
        }
        List<Stored> entries = new ArrayList<>();
        for (JsonNode e : v) {
            entries.add(Stored.fromJson(e));
        }
        return new RetrieveReply(entries);
    }
}
