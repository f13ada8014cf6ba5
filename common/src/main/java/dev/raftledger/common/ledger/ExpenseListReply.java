package dev.raftledger.common.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.ReplyFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of an EXPENSES reply to a {@code list} query ({@code RESULT}): the answering node's
 * applied and commit index, the leader it knows, whether the read was stale, how many expenses
 * the filter selects in all, and a page of them (as many as fit one datagram). Encoded by raftd
 * ({@link #toJson}) and decoded by raftctl ({@link #fromJson}) here, once; docs/protocol.md
 * shows it.
 *
 * <p>Fields are written in one fixed order. Decoding ignores fields it does not know and reads
 * the node's state leniently ({@link ReplyFields}: null when missing or of another type); a
 * value that is not an object, has no {@code expenses} array, or holds an expense that does not
 * validate is a {@link MalformedMessageException}. Immutable.
 *
 * @param stale   the read was served from the node's own state (null: not said)
 * @param total   how many expenses the filter selects, beyond this page too (null: not said)
 * @param cursor  the export cursor this page is read from (docs/protocol.md, "Exports from one
 *                point"); null, and not written, for every other list
 * @param writers with a cursor: whether any expense of its frozen view records who wrote it
 *                (raftctl's CSV columns); null, and not written, otherwise
 */
public record ExpenseListReply(Long appliedIndex, Long commitIndex, String leader, Boolean stale, Long total,
                               List<Expense> expenses, String cursor, Boolean writers) {

    public ExpenseListReply {
        expenses = List.copyOf(expenses);
    }

    /** A list reply that names no cursor (every list but an export's). */
    public ExpenseListReply(Long appliedIndex, Long commitIndex, String leader, Boolean stale, Long total,
                            List<Expense> expenses) {
        this(appliedIndex, commitIndex, leader, stale, total, expenses, null, null);
    }

    /** This reply with {@code expenses} instead of its own (raftd: the ones that fit the datagram). */
    public ExpenseListReply withExpenses(List<Expense> expenses) {
        return new ExpenseListReply(appliedIndex, commitIndex, leader, stale, total, expenses, cursor, writers);
    }

    /** This reply naming export cursor {@code id}, whose view has writers or not. */
    public ExpenseListReply withCursor(String id, boolean anyWriters) {
        return new ExpenseListReply(appliedIndex, commitIndex, leader, stale, total, expenses, id, anyWriters);
    }

    /** The EXPENSES list object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", appliedIndex);
        v.put("commit_index", commitIndex);
        v.put("leader", leader);
        v.put("stale", stale);
        v.put("total", total);
        if (cursor != null) {
            v.put("cursor", cursor);
            v.put("writers", writers);
        }
        ArrayNode list = v.putArray("expenses");
        for (Expense e : expenses) {
            list.add(LedgerCodec.expenseToJson(e));
        }
        return v;
    }

    /** The EXPENSES list object {@code v}. */
    public static ExpenseListReply fromJson(JsonNode v) throws MalformedMessageException {
        ReplyFields.object(v);
        List<Expense> expenses = new ArrayList<>();
        for (JsonNode e : ReplyFields.array(v, "expenses", "a list")) {
            try {
                expenses.add(LedgerCodec.expenseFromJson(e));
            } catch (LedgerException bad) {
                throw new MalformedMessageException("an unreadable expense: " + bad.getMessage());
            }
        }
        return new ExpenseListReply(ReplyFields.number(v, "applied_index"), ReplyFields.number(v, "commit_index"),
                ReplyFields.text(v, "leader"), ReplyFields.flag(v, "stale"), ReplyFields.number(v, "total"), expenses,
                ReplyFields.text(v, "cursor"), ReplyFields.flag(v, "writers"));
    }
}
