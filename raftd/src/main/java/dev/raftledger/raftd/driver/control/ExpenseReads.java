package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.ExpenseListReply;
import dev.raftledger.common.ledger.ExpenseTotalsReply;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.ReplyKey;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The EXPENSES reads (docs/protocol.md, "The expenses ledger"), as functions of a ledger, a
 * query and what the reply says of the node: the same code whether the event loop answers from
 * its own ledger or the reader thread from a {@link Ledger#copyForReads} or an export cursor's frozen
 * view ({@link ExportCursors}), so both give the same bytes.
 *
 * <p>Threads: none of its own; touches only what it is given (never the core). Errors: a query
 * that breaks a rule is a {@link LedgerException} from {@link #parse}, answered INVALID.
 */
final class ExpenseReads {

    /**
     * The most expenses a list page is cut from: a reply never holds more than a
     * {@link Codec#MAX_DATAGRAM_BYTES} datagram's worth, and an expense takes well over 32 bytes
     * of JSON, so a page asked without a limit costs the loop this many reads from a kept order,
     * not the whole ledger's.
     */
    static final int MAX_PAGE = Codec.MAX_DATAGRAM_BYTES / 32;

    private ExpenseReads() {}

    /**
     * An EXPENSES query: {@code kind} list or totals, the group of totals, the filter, whether
     * stale; {@code consistent}: a list that opens an export cursor; {@code cursor}: a page of an
     * open one (then the filter holds only offset and limit).
     */
    record Query(String kind, GroupBy by, ExpenseFilter filter, boolean stale, boolean consistent, String cursor) {

        boolean totals() {
            return kind.equals("totals");
        }
    }

    /** What a reply says of the node that answers: its applied and commit index, the leader it knows, whether stale. */
    record Header(long applied, long commit, String leader, boolean stale) {}

    /** The longest cursor id taken (ids this node makes are 16 hex digits). */
    private static final int MAX_CURSOR = 64;

    /** The query in an EXPENSES request's {@code value}. */
    static Query parse(JsonNode q) throws LedgerException {
        if (q == null || !q.isObject()) {
            throw new LedgerException(dev.raftledger.common.ledger.ErrorCode.INVALID, null,
                    "EXPENSES needs a query object as value");
        }
        boolean stale = q.path("stale").asBoolean(false);
        boolean consistent = q.path("consistent").asBoolean(false);
        JsonNode filterNode = q.path("filter").isObject() ? q.get("filter") : Codec.objectNode();
        ExpenseFilter filter = LedgerCodec.filterFromJson(filterNode);
        String query = q.path("query").asText("list");
        if (!query.equals("list") && !query.equals("totals")) {
            throw invalid("query must be list or totals, not '" + query + "'");
        }
        GroupBy by = query.equals("totals") ? GroupBy.fromWire(q.path("by").asText("category")) : null;
        String cursor = null;
        if (q.has("cursor") && !q.get("cursor").isNull()) {
            JsonNode c = q.get("cursor");
            if (!c.isTextual() || c.asText().isEmpty() || c.asText().length() > MAX_CURSOR) {
                throw invalid("cursor must be the text an export's first page returned");
            }
            if (!query.equals("list") || consistent) {
                throw invalid("a cursor is read with query list, without consistent");
            }
            for (Iterator<String> it = filterNode.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("offset") && !field.equals("limit") && !filterNode.get(field).isNull()) {
                    throw invalid("a cursor's pages take only offset and limit: its filter was fixed when it"
                            + " opened, not '" + field + "'");
                }
            }
            cursor = c.asText();
        }
        if (consistent && !query.equals("list")) {
            throw invalid("consistent opens an export cursor, for query list only");
        }
        return new Query(query, by, filter, stale, consistent, cursor);
    }

    private static LedgerException invalid(String message) {
        return new LedgerException(dev.raftledger.common.ledger.ErrorCode.INVALID, null, message);
    }

    /**
     * Whether the loop may answer {@code q} from {@code ledger} itself, in about a millisecond at
     * a million expenses: a list (page and count) a kept order answers, or totals of everything
     * (running sums). Everything else takes a pass and goes to the reader thread.
     */
    static boolean quick(Ledger ledger, Query q) {
        if (q.consistent() || q.cursor() != null) {
            return false;
        }
        return q.totals() ? q.filter().selectsAll() : ledger.keptOrderAnswers(q.filter());
    }

    /** The reply to {@code q} (no cursor) from {@code ledger}, to be sent to {@code replyTo}. */
    static ControllerMessage answer(Ledger ledger, Query q, Header h, Replies.Frozen r, InetSocketAddress replyTo) {
        if (q.totals()) {
            return r.reply(ControllerRequest.EXPENSES, ReplyKey.RESULT, new ExpenseTotalsReply(h.applied(), h.commit(),
                    h.leader(), h.stale(), ledger.totals(q.by(), q.filter())).toJson());
        }
        ExpenseFilter f = q.filter();
        Ledger.Page page = ledger.page(f.withPage(f.offset(), Math.min(f.limit(), MAX_PAGE)));
        ExpenseListReply all = new ExpenseListReply(h.applied(), h.commit(), h.leader(), h.stale(),
                (long) page.total(), page.expenses());
        return fitted(all, r, replyTo);
    }

    /**
     * Opens an export cursor on {@code view} (a {@link Ledger#copyForReads} taken on the loop once the
     * read could be served): sorts what {@code q}'s filter selects once, and answers its first
     * page with the cursor's id; BUSY if every cursor slot is taken by an unfinished export.
     */
    static ControllerMessage open(ExportCursors cursors, Ledger view, Query q, Header h, Replies.Frozen r,
                                  InetSocketAddress replyTo) {
        Expense[] rows = view.sorted(q.filter().withPage(0, ExpenseFilter.NO_LIMIT));
        ExportCursors.View opened = cursors.open(rows, h);
        if (opened == null) {
            return r.error(ControllerError.BUSY, "EXPENSES: " + ExportCursors.MAX_OPEN
                    + " exports are open on this node; try again once one finishes (or within "
                    + ExportCursors.IDLE_MS / 1000 + " s, when an idle one expires)");
        }
        return page(opened, q.filter(), r, replyTo);
    }

    /** A page of open cursor {@code q.cursor()}; CURSOR_GONE if this node does not hold it. */
    static ControllerMessage cursorPage(ExportCursors cursors, Query q, Replies.Frozen r, InetSocketAddress replyTo) {
        ExportCursors.View view = cursors.get(q.cursor());
        if (view == null) {
            return r.error(ControllerError.CURSOR_GONE, "EXPENSES: no export cursor '" + q.cursor() + "' on this node"
                    + " (cursors expire after " + ExportCursors.IDLE_MS / 1000 + " s without a page, and do not"
                    + " survive a restart): start the export again");
        }
        return page(view, q.filter(), r, replyTo);
    }

    private static ControllerMessage page(ExportCursors.View view, ExpenseFilter f, Replies.Frozen r,
                                          InetSocketAddress replyTo) {
        Expense[] rows = view.rows();
        int from = Math.min(f.offset(), rows.length);
        int to = (int) Math.min((long) from + Math.min(f.limit(), MAX_PAGE), rows.length);
        Header h = view.header();
        ExpenseListReply all = new ExpenseListReply(h.applied(), h.commit(), h.leader(), h.stale(), (long) rows.length,
                Arrays.asList(rows).subList(from, to)).withCursor(view.id(), view.writers());
        ControllerMessage reply = fitted(all, r, replyTo);
        if (from + count(reply) >= rows.length) {
            view.finished(); // its last page was served: its slot may go to a new export
        }
        return reply;
    }

    private static int count(ControllerMessage reply) {
        return reply.value().path("expenses").size();
    }

    /** {@code all} with as many of its expenses as fit {@code replyTo}'s datagram (at least one). */
    private static ControllerMessage fitted(ExpenseListReply all, Replies.Frozen r, InetSocketAddress replyTo) {
        int room = r.listRoom(replyTo, r.reply(ControllerRequest.EXPENSES, ReplyKey.RESULT,
                all.withExpenses(List.of()).toJson()));
        List<Expense> fitting = all.expenses().subList(0, fitting(all.expenses(), room, r));
        return r.reply(ControllerRequest.EXPENSES, ReplyKey.RESULT, all.withExpenses(fitting).toJson());
    }

    /**
     * How many of {@code expenses}, first ones first, {@code room} bytes of a reply's list hold
     * (see {@link Replies#listRoom}), and at least one if there is one, so that a reader paging
     * with offsets always moves on.
     */
    private static int fitting(List<Expense> expenses, int room, Replies.Frozen r) {
        int used = 0;
        int n = 0;
        for (Expense e : expenses) {
            used += r.itemCost(LedgerCodec.expenseToJson(e));
            if (used > room && n > 0) {
                break;
            }
            n++;
        }
        return n;
    }
}
