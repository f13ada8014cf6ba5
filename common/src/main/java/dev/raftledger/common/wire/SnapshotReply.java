package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value of a SNAPSHOT reply ({@link ReplyKey#SAVED}): the snapshot a node saved on request
 * and where its log starts now. Encoded by raftd ({@link #toJson}) and decoded by raftctl
 * ({@link #fromJson}) here, once. Decoding never fails (the snapshot was saved whatever the reply
 * says): a field that is missing or not an integer reads as null ({@link ReplyFields}), and
 * fields it does not know are ignored. Immutable.
 *
 * @param index         the last log index the snapshot covers
 * @param term          that entry's term
 * @param size          the snapshot's payload in bytes
 * @param logFirstIndex the first index the node's log holds now
 */
public record SnapshotReply(Long index, Long term, Long size, Long logFirstIndex) {

    /** The SAVED object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("index", index);
        v.put("term", term);
        v.put("size", size);
        v.put("log_first_index", logFirstIndex);
        return v;
    }

    /** The SAVED object {@code v}, as far as it is one. */
    public static SnapshotReply fromJson(JsonNode v) {
        return new SnapshotReply(ReplyFields.number(v, "index"), ReplyFields.number(v, "term"),
                ReplyFields.number(v, "size"), ReplyFields.number(v, "log_first_index"));
    }
}
