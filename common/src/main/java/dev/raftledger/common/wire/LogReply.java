package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a LOG reply ({@link ReplyKey#RESULT}): a page of a node's committed log entries,
 * oldest first, with the node's applied index and the index its log starts at. Encoded by raftd
 * ({@link #toJson}) and decoded by raftctl ({@link #fromJson}) here, once; docs/protocol.md
 * shows it.
 *
 * <p>Fields are written in one fixed order. Decoding ignores fields it does not know and reads
 * the indices leniently ({@link ReplyFields}: null when missing); a value that is not an object,
 * has no {@code entries} array, or holds an entry without index or term is a
 * {@link MalformedMessageException}. Immutable.
 *
 * @param appliedIndex the answering node's applied index (null: not said)
 * @param firstIndex   the first index of its log (null: not said)
 */
public record LogReply(Long appliedIndex, Long firstIndex, List<Item> entries) {

    public LogReply {
        entries = List.copyOf(entries);
    }

    /** One committed entry; {@code data} is its payload as JSON ({} for a no-op). */
    public record Item(long index, long term, JsonNode data) {

        /** The entry as the page lists it: what a list's room is measured with. */
        public ObjectNode toJson() {
            ObjectNode o = Codec.objectNode();
            o.put("index", index);
            o.put("term", term);
            o.set("data", data);
            return o;
        }
    }

    /** This page with {@code entries} instead of its own (raftd: the ones that fit the datagram). */
    public LogReply withEntries(List<Item> entries) {
        return new LogReply(appliedIndex, firstIndex, entries);
    }

    /** The LOG object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", appliedIndex);
        v.put("first_index", firstIndex);
        ArrayNode list = v.putArray("entries");
        for (Item e : entries) {
            list.add(e.toJson());
        }
        return v;
    }

    /** The LOG object {@code v}; an entry without data reads as an empty object. */
    public static LogReply fromJson(JsonNode v) throws MalformedMessageException {
        ReplyFields.object(v);
        List<Item> entries = new ArrayList<>();
        for (JsonNode e : ReplyFields.array(v, "entries", "a log page")) {
            Long index = ReplyFields.number(e, "index");
            Long term = ReplyFields.number(e, "term");
            if (index == null || term == null) {
                throw new MalformedMessageException("a log entry without index or term");
            }
            JsonNode data = e.get("data");
            entries.add(new Item(index, term, data == null ? Codec.objectNode() : data));
        }
        return new LogReply(ReplyFields.number(v, "applied_index"), ReplyFields.number(v, "first_index"), entries);
    }
}
