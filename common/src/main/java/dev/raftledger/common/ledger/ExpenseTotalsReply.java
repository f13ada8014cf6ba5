package dev.raftledger.common.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.ReplyFields;

/**
 * The value of an EXPENSES reply to a {@code totals} query ({@code RESULT}): the answering node's
 * applied and commit index, the leader it knows, whether the read was stale, and the sums
 * ({@link LedgerCodec#totalsToJson}). Encoded by raftd ({@link #toJson}) and decoded by raftctl
 * ({@link #fromJson}) here, once; docs/protocol.md shows it.
 *
 * <p>Fields are written in one fixed order. Decoding ignores fields it does not know and reads
 * the node's state leniently ({@link ReplyFields}: null when missing or of another type); a
 * value that is not an object, or whose {@code totals} are missing or do not validate, is a
 * {@link MalformedMessageException}. Immutable.
 *
 * @param stale the read was served from the node's own state (null: not said)
 */
public record ExpenseTotalsReply(Long appliedIndex, Long commitIndex, String leader, Boolean stale, Totals totals) {

    /** The EXPENSES totals object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", appliedIndex);
        v.put("commit_index", commitIndex);
        v.put("leader", leader);
        v.put("stale", stale);
        v.set("totals", LedgerCodec.totalsToJson(totals));
        return v;
    }

    /** The EXPENSES totals object {@code v}. */
    public static ExpenseTotalsReply fromJson(JsonNode v) throws MalformedMessageException {
        ReplyFields.object(v);
        Totals totals;
        try {
            totals = LedgerCodec.totalsFromJson(v.get("totals"));
        } catch (LedgerException e) {
            throw new MalformedMessageException("unreadable totals: " + e.getMessage());
        }
        return new ExpenseTotalsReply(ReplyFields.number(v, "applied_index"), ReplyFields.number(v, "commit_index"),
                ReplyFields.text(v, "leader"), ReplyFields.flag(v, "stale"), totals);
    }
}
