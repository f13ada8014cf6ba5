package dev.raftledger.common.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.ReplyFields;

/**
 * The value of an EXPENSE reply ({@code RESULT}): the ledger's result of the write, as
 * {@link LedgerCodec#resultToJson} writes it, followed by the log position of the entry that
 * carried it. Encoded by raftd ({@link #toJson}) and decoded by raftctl ({@link #fromJson}) here,
 * once; docs/protocol.md shows it.
 *
 * <p>Decoding validates the result ({@link LedgerCodec#resultFromJson}; one that does not
 * validate is a {@link MalformedMessageException} with the ledger's message), ignores fields it
 * does not know, and reads {@code index} and {@code term} leniently (null when missing).
 * Immutable.
 *
 * @param index the entry's log index (null: not said)
 * @param term  the entry's term (null: not said)
 */
public record ExpenseReply(LedgerResult result, Long index, Long term) {

    /** The EXPENSE result object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = LedgerCodec.resultToJson(result);
        v.put("index", index);
        v.put("term", term);
        return v;
    }

    /**
     * {@code Codec.toBytes(toJson())}, streamed without a tree: what a leader sends for each
     * write it applies (ExpenseReplyBytesTest holds the two together). Change them together.
     */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(320);
        try (com.fasterxml.jackson.core.JsonGenerator g = dev.raftledger.common.wire.Codec.generator(out)) {
            g.writeStartObject();
            LedgerCodec.writeResultFields(g, result);
            if (index == null) {
                g.writeNullField("index");
            } else {
                g.writeNumberField("index", index);
            }
            if (term == null) {
                g.writeNullField("term");
            } else {
                g.writeNumberField("term", term);
            }
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The EXPENSE result object {@code v}. */
    public static ExpenseReply fromJson(JsonNode v) throws MalformedMessageException {
        LedgerResult result;
        try {
            result = LedgerCodec.resultFromJson(v);
        } catch (LedgerException e) {
            throw new MalformedMessageException(e.getMessage());
        }
        return new ExpenseReply(result, ReplyFields.number(v, "index"), ReplyFields.number(v, "term"));
    }
}
