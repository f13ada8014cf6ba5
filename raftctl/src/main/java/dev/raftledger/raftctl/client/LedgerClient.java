package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The requests of docs/protocol.md that carry data (STORE, RETRIEVE, and the ledger's EXPENSE,
 * EXPENSES and LOG), built and read here, sent through the {@link LeaderRouter}. Lists and logs
 * are paged: a node answers at most what fits in one datagram, so this asks again from where the
 * last page ended until it has everything (or the limit asked for).
 */
public final class LedgerClient {

    static final String EXPENSE = "EXPENSE";
    static final String EXPENSES = "EXPENSES";
    static final String LOG = "LOG";
    /** Expenses or log entries asked for per request; a node may send fewer (what fits in a datagram). */
    static final int PAGE = 100;

    private static final Pattern INTEGER = Pattern.compile("\\s*-?[0-9]{1,18}\\s*");

    /** A ledger write's result, with the log position of the entry that carried it. */
    public record Written(LedgerResult result, Long index, Long term, String node, int attempts) {}

    /** The expenses a list selected, with the state of the node that answered the last page. */
    public record Listing(List<Expense> expenses, long total, Long appliedIndex, Long commitIndex, String leader,
                   boolean stale, String node, int pages) {}

    public record TotalsReport(Totals totals, Long appliedIndex, Long commitIndex, String leader, boolean stale, String node) {}

    public record LogEntry(long index, long term, JsonNode data) {}

    public record LogListing(String node, Long appliedIndex, Long firstIndex, List<LogEntry> entries, int pages) {}

    public record Stored(String key, String value, Long index, Long term, String node) {}

    public record Retrieved(String node, List<JsonNode> entries) {}

    private final Session session;
    private final LeaderRouter router;

    public LedgerClient(Session session) {
        this.session = session;
        this.router = session.router();
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Sends a ledger command to the leader, retrying the very same command (client id and seq
     * included) until a result comes back or the write budget is spent.
     */
    public Written write(LedgerCommand command) throws LeaderRouter.Failure {
        ControllerMessage request = request(EXPENSE, LedgerCodec.commandToJson(command));
        LeaderRouter.Reply reply = router.write(request, EXPENSE, session.writeTimeout());
        JsonNode v = reply.message().value();
        try {
            LedgerResult result = LedgerCodec.resultFromJson(v);
            return new Written(result, number(v, "index"), number(v, "term"), reply.node().name(), reply.attempts());
        } catch (LedgerException e) {
            throw badReply(reply, "an unreadable result: " + e.getMessage()
                    + "; the write may or may not have been applied");
        }
    }

    /** The convention's STORE, sent at most once (it carries no client id). */
    public Stored store(String key, String value) throws LeaderRouter.Failure {
        ControllerMessage request = new ControllerMessage(ControllerMessage.CONTROLLER, ControllerRequest.STORE.name(),
                null, TextNode.valueOf(key), TextNode.valueOf(value));
        LeaderRouter.Reply reply = router.writeOnce(request, ControllerRequest.STORE.name(), session.writeTimeout());
        JsonNode v = reply.message().value();
        return new Stored(key, value, number(v, "index"), number(v, "term"), reply.node().name());
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The convention's RETRIEVE: every committed STORE the leader's reply holds, oldest first. */
    public Retrieved retrieve() throws LeaderRouter.Failure {
        LeaderRouter.Reply reply = router.read(ControllerMessage.request(ControllerRequest.RETRIEVE.name()),
                ControllerRequest.RETRIEVE.name(), false, session.readBudget());
        JsonNode v = reply.message().value();
        if (v == null || !v.isArray()) {
            throw badReply(reply, "COMMITED_LOGS that is not an array");
        }
        List<JsonNode> entries = new ArrayList<>();
        v.forEach(entries::add);
        return new Retrieved(reply.node().name(), entries);
    }

    /**
     * The expenses {@code filter} selects (its own paging is replaced), at most {@code max}, in
     * the ledger's order (date, then creation). Pages until a page comes back empty or the
     * node's total is reached.
     */
    public Listing list(ExpenseFilter filter, int max, boolean stale) throws LeaderRouter.Failure {
        List<Expense> got = new ArrayList<>();
        long total = 0;
        JsonNode last = null;
        LeaderRouter.Reply reply = null;
        int pages = 0;
        while (got.size() < max) {
            int want = Math.min(PAGE, max - got.size());
            ObjectNode value = Codec.objectNode();
            value.put("query", "list");
            value.set("filter", LedgerCodec.filterToJson(filter.withPage(got.size(), want)));
            value.put("stale", stale);
            reply = router.read(request(EXPENSES, value), EXPENSES, stale, session.readBudget());
            pages++;
            last = replyObject(reply);
            JsonNode list = last.get("expenses");
            if (list == null || !list.isArray()) {
                throw badReply(reply, "a list without \"expenses\"");
            }
            for (JsonNode e : list) {
                try {
                    got.add(LedgerCodec.expenseFromJson(e));
                } catch (LedgerException bad) {
                    throw badReply(reply, "an unreadable expense: " + bad.getMessage());
                }
            }
            Long t = number(last, "total");
            total = t != null ? t : got.size();
            if (list.isEmpty() || got.size() >= total) {
                break;
            }
        }
        if (got.size() > max) {
            got = got.subList(0, max);
        }
        return new Listing(List.copyOf(got), total, number(last, "applied_index"), number(last, "commit_index"),
                text(last, "leader"), bool(last, "stale", stale), reply == null ? null : reply.node().name(), pages);
    }

    public TotalsReport totals(GroupBy by, ExpenseFilter filter, boolean stale) throws LeaderRouter.Failure {
        ObjectNode value = Codec.objectNode();
        value.put("query", "totals");
        value.put("by", by.wireName());
        value.set("filter", LedgerCodec.filterToJson(filter));
        value.put("stale", stale);
        LeaderRouter.Reply reply = router.read(request(EXPENSES, value), EXPENSES, stale, session.readBudget());
        JsonNode v = replyObject(reply);
        Totals totals;
        try {
            totals = LedgerCodec.totalsFromJson(v.get("totals"));
        } catch (LedgerException e) {
            throw badReply(reply, "unreadable totals: " + e.getMessage());
        }
        return new TotalsReport(totals, number(v, "applied_index"), number(v, "commit_index"), text(v, "leader"),
                bool(v, "stale", stale), reply.node().name());
    }

    /**
     * Committed log entries from index {@code from}, at most {@code limit}, of {@code node}'s log,
     * or of the leader's when {@code node} is null.
     */
    public LogListing log(long from, int limit, NodeAddress node) throws LeaderRouter.Failure {
        NodeAddress target = node != null ? node
                : router.locateLeader(LOG, System.nanoTime() + session.readBudget().toNanos());
        List<LogEntry> entries = new ArrayList<>();
        long next = from;
        JsonNode last = null;
        int pages = 0;
        while (entries.size() < limit) {
            ObjectNode value = Codec.objectNode();
            value.put("from", next);
            value.put("limit", Math.min(PAGE, limit - entries.size()));
            LeaderRouter.Reply reply = router.readFrom(target, request(LOG, value), LOG, session.readBudget());
            pages++;
            last = replyObject(reply);
            JsonNode list = last.get("entries");
            if (list == null || !list.isArray()) {
                throw badReply(reply, "a log page without \"entries\"");
            }
            boolean progressed = false;
            for (JsonNode e : list) {
                Long index = number(e, "index");
                Long term = number(e, "term");
                if (index == null || term == null) {
                    throw badReply(reply, "a log entry without index or term");
                }
                if (index < next || entries.size() >= limit) {
                    continue; // never go backwards: a page that repeats entries must not loop
                }
                JsonNode data = e.get("data");
                entries.add(new LogEntry(index, term, data == null ? Codec.objectNode() : data));
                next = index + 1;
                progressed = true;
            }
            Long applied = number(last, "applied_index");
            if (!progressed || (applied != null && next > applied)) {
                break;
            }
        }
        return new LogListing(target.name(), number(last, "applied_index"), number(last, "first_index"),
                List.copyOf(entries), pages);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static ControllerMessage request(String name, JsonNode value) {
        return new ControllerMessage(ControllerMessage.CONTROLLER, name, null, null, value);
    }

    private static JsonNode replyObject(LeaderRouter.Reply reply) throws LeaderRouter.Failure {
        JsonNode v = reply.message().value();
        if (v == null || !v.isObject()) {
            throw badReply(reply, "a reply without an object value");
        }
        return v;
    }

    private static LeaderRouter.Failure badReply(LeaderRouter.Reply reply, String what) {
        return new LeaderRouter.Failure(LeaderRouter.Failure.Kind.BAD_REPLY, null,
                reply.node().name() + " answered " + reply.message().request() + " with " + what);
    }

    /** A number written as a JSON integer or as a string of digits (the wire's input rule); else null. */
    static Long number(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual() && INTEGER.matcher(n.textValue()).matches()) {
            return Long.parseLong(n.textValue().strip());
        }
        return null;
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static boolean bool(JsonNode o, String field, boolean absent) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isBoolean() ? n.booleanValue() : absent;
    }
}
