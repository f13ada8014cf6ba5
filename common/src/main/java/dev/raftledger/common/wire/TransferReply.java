package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value of a TRANSFER_LEADER reply ({@link ReplyKey#TRANSFERRING}, or
 * {@link ReplyKey#UNCHANGED} when {@code to} is {@code from}): the leader that answered, the
 * member it chose to take over, and its term. Encoded by raftd ({@link #toJson}) and decoded by
 * raftctl ({@link #fromJson}) here, once. Decoding never fails: a field that is missing or of
 * another type reads as null ({@link ReplyFields}), and fields it does not know are ignored.
 * Immutable.
 */
public record TransferReply(String from, String to, Long term) {

    /** The TRANSFERRING or UNCHANGED object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("from", from);
        v.put("to", to);
        v.put("term", term);
        return v;
    }

    /** The TRANSFERRING or UNCHANGED object {@code v}, as far as it is one. */
    public static TransferReply fromJson(JsonNode v) {
        return new TransferReply(ReplyFields.text(v, "from"), ReplyFields.text(v, "to"), ReplyFields.number(v, "term"));
    }
}
