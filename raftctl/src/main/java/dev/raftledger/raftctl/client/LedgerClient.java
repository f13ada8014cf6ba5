package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.ExpenseListReply;
import dev.raftledger.common.ledger.ExpenseReply;
import dev.raftledger.common.ledger.ExpenseTotalsReply;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.CommittedReply;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.LogReply;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.RetrieveReply;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.List;

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
    /** How long an export's first page may take: the node sorts everything the export selects first. */
    static final java.time.Duration OPEN_TIMEOUT = java.time.Duration.ofSeconds(15);

    /** A ledger write's result, with the log position of the entry that carried it. */
    public record Written(LedgerResult result, Long index, Long term, String node, int attempts) {}

    /** The expenses a list selected, with the state of the node that answered the last page. */
    public record Listing(List<Expense> expenses, long total, Long appliedIndex, Long commitIndex, String leader,
                   boolean stale, String node, int pages) {}

    public record TotalsReport(Totals totals, Long appliedIndex, Long commitIndex, String leader, boolean stale, String node) {}

    public record LogEntry(long index, long term, JsonNode data) {}

    public record LogListing(String node, Long appliedIndex, Long firstIndex, List<LogEntry> entries, int pages) {}

    public record Stored(String key, String value, Long index, Long term, String node) {}

    public record Retrieved(String node, List<RetrieveReply.Stored> entries) {}

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
        try {
            ExpenseReply v = ExpenseReply.fromJson(reply.message().value());
            return new Written(v.result(), v.index(), v.term(), reply.node().name(), reply.attempts());
        } catch (MalformedMessageException e) {
            throw badReply(reply, "an unreadable result: " + e.getMessage()
                    + "; the write may or may not have been applied");
        }
    }

    /** The convention's STORE, sent at most once (it carries no client id). */
    public Stored store(String key, String value) throws LeaderRouter.Failure {
        ControllerMessage request = new ControllerMessage(ControllerMessage.CONTROLLER, ControllerRequest.STORE.name(),
                null, TextNode.valueOf(key), TextNode.valueOf(value));
        LeaderRouter.Reply reply = router.writeOnce(request, ControllerRequest.STORE.name(), session.writeTimeout());
        CommittedReply v = CommittedReply.fromJson(reply.message().value());
        return new Stored(key, value, v.index(), v.term(), reply.node().name());
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The convention's RETRIEVE: every committed STORE the leader's reply holds, oldest first. */
    public Retrieved retrieve() throws LeaderRouter.Failure {
        LeaderRouter.Reply reply = router.read(ControllerMessage.request(ControllerRequest.RETRIEVE.name()),
                ControllerRequest.RETRIEVE.name(), false, session.readBudget());
        return new Retrieved(reply.node().name(), decode(reply, RetrieveReply::fromJson).entries());
    }

    /**
     * The expenses {@code filter} selects (its own paging is replaced), at most {@code max}, in
     * the ledger's order (date, then creation). Pages until a page comes back empty or the
     * node's total is reached.
     */
    public Listing list(ExpenseFilter filter, int max, boolean stale) throws LeaderRouter.Failure {
        return list(filter, max, stale, (done, total) -> { });
    }

    /** Told after each page: how many expenses so far, of how many the filter matches. */
    @FunctionalInterface
    public interface PageListener {
        void page(long done, long total);
    }

    /** As above, telling {@code onPage} after each page (export's progress). */
    public Listing list(ExpenseFilter filter, int max, boolean stale, PageListener onPage) throws LeaderRouter.Failure {
        List<Expense> got = new ArrayList<>();
        long total = 0;
        ExpenseListReply last = null;
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
            last = decode(reply, ExpenseListReply::fromJson);
            got.addAll(last.expenses());
            total = last.total() != null ? last.total() : got.size();
            onPage.page(got.size(), total);
            if (last.expenses().isEmpty() || got.size() >= total) {
                break;
            }
        }
        if (got.size() > max) {
            got = got.subList(0, max);
        }
        return new Listing(List.copyOf(got), total, last == null ? null : last.appliedIndex(),
                last == null ? null : last.commitIndex(), last == null ? null : last.leader(),
                last == null || last.stale() == null ? stale : last.stale(), reply == null ? null : reply.node().name(),
                pages);
    }

    /** Where an export's rows go as pages arrive. */
    public interface ExportSink {
        /** Before the first row: how many the export holds, whether any records a writer (the CSV's columns). */
        void begin(long total, boolean writers);

        /** A page, in order; {@code done} of {@code total} so far. */
        void page(List<Expense> expenses, long done, long total);
    }

    /** An export that stopped after its first page: how far it got, and why. */
    public static final class ExportBroken extends Exception {
        private final long done;
        private final long total;
        private final LeaderRouter.Failure cause;

        ExportBroken(long done, long total, LeaderRouter.Failure cause) {
            super(cause.getMessage(), null, false, false);
            this.done = done;
            this.total = total;
            this.cause = cause;
        }

        public long done() {
            return done;
        }

        public long total() {
            return total;
        }

        public LeaderRouter.Failure failure() {
            return cause;
        }
    }

    /**
     * Every expense {@code filter} selects (its paging replaced), from one consistent point,
     * streamed to {@code sink} page by page (docs/protocol.md, "Exports from one point"): the
     * first page opens an export cursor on the leader (on any node if {@code stale}); the rest
     * are read from that cursor on the same node, so writes meanwhile neither appear nor move
     * rows. Holds one page at a time. Returns how many expenses were exported; null, having sent
     * nothing to {@code sink}, if the node that answered keeps no cursors (a release before them):
     * the caller pages as before ({@link #list}).
     *
     * @throws LeaderRouter.Failure the first page could not be read (nothing went to the sink)
     * @throws ExportBroken         a later page could not be read: the sink has what came before
     */
    public Long export(ExpenseFilter filter, boolean stale, ExportSink sink) throws LeaderRouter.Failure, ExportBroken {
        ObjectNode value = Codec.objectNode();
        value.put("query", "list");
        value.put("consistent", true);
        value.set("filter", LedgerCodec.filterToJson(filter.withPage(0, PAGE)));
        value.put("stale", stale);
        // the node copies its ledger and sorts the selection before it answers: seconds at a
        // million expenses on a busy machine, so this one reply is waited for longer (a retry
        // would open a second cursor and sort again)
        // would open a second cursor and sort again); the leader is found first at the usual pace,
        // so that a cluster that does not answer fails as fast as any other read
        LeaderRouter slow = session.router(OPEN_TIMEOUT);
        LeaderRouter.Reply reply = stale
                ? slow.read(request(EXPENSES, value), EXPENSES, true, session.readBudget().plus(OPEN_TIMEOUT))
                : slow.readFrom(router.locateLeader(EXPENSES, System.nanoTime() + session.readBudget().toNanos()),
                        request(EXPENSES, value), EXPENSES, OPEN_TIMEOUT.multipliedBy(2));
        ExpenseListReply page = decode(reply, ExpenseListReply::fromJson);
        if (page.cursor() == null) {
            return null;
        }
        long total = page.total() == null ? page.expenses().size() : page.total();
        sink.begin(total, Boolean.TRUE.equals(page.writers()));
        long done = 0;
        while (true) {
            done += page.expenses().size();
            sink.page(page.expenses(), done, total);
            if (done >= total) {
                return done;
            }
            ObjectNode next = Codec.objectNode();
            next.put("query", "list");
            next.put("cursor", page.cursor());
            next.putObject("filter").put("offset", done).put("limit", PAGE);
            try {
                LeaderRouter.Reply r = router.readFrom(reply.node(), request(EXPENSES, next), EXPENSES,
                        session.readBudget());
                page = decode(r, ExpenseListReply::fromJson);
                if (page.expenses().isEmpty()) {
                    throw badReply(r, "an empty page at " + done + " of " + total);
                }
            } catch (LeaderRouter.Failure f) {
                throw new ExportBroken(done, total, f);
            }
        }
    }

    public TotalsReport totals(GroupBy by, ExpenseFilter filter, boolean stale) throws LeaderRouter.Failure {
        ObjectNode value = Codec.objectNode();
        value.put("query", "totals");
        value.put("by", by.wireName());
        value.set("filter", LedgerCodec.filterToJson(filter));
        value.put("stale", stale);
        LeaderRouter.Reply reply = router.read(request(EXPENSES, value), EXPENSES, stale, session.readBudget());
        ExpenseTotalsReply v = decode(reply, ExpenseTotalsReply::fromJson);
        return new TotalsReport(v.totals(), v.appliedIndex(), v.commitIndex(), v.leader(),
                v.stale() == null ? stale : v.stale(), reply.node().name());
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
        LogReply last = null;
        int pages = 0;
        while (entries.size() < limit) {
            ObjectNode value = Codec.objectNode();
            value.put("from", next);
            value.put("limit", Math.min(PAGE, limit - entries.size()));
            LeaderRouter.Reply reply = router.readFrom(target, request(LOG, value), LOG, session.readBudget());
            pages++;
            last = decode(reply, LogReply::fromJson);
            boolean progressed = false;
            for (LogReply.Item e : last.entries()) {
                if (e.index() < next || entries.size() >= limit) {
                    continue; // never go backwards: a page that repeats entries must not loop
                }
                entries.add(new LogEntry(e.index(), e.term(), e.data()));
                next = e.index() + 1;
                progressed = true;
            }
            Long applied = last.appliedIndex();
            if (!progressed || (applied != null && next > applied)) {
                break;
            }
        }
        return new LogListing(target.name(), last == null ? null : last.appliedIndex(),
                last == null ? null : last.firstIndex(), List.copyOf(entries), pages);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static ControllerMessage request(String name, JsonNode value) {
        return new ControllerMessage(ControllerMessage.CONTROLLER, name, null, null, value);
    }

    /** How a typed reply reads a reply's value. */
    private interface Decoder<T> {
        T decode(JsonNode value) throws MalformedMessageException;
    }

    /** The reply's value as {@code decoder} reads it; a value it cannot read is a bad reply. */
    private static <T> T decode(LeaderRouter.Reply reply, Decoder<T> decoder) throws LeaderRouter.Failure {
        try {
            return decoder.decode(reply.message().value());
        } catch (MalformedMessageException e) {
            throw badReply(reply, e.getMessage());
        }
    }

    private static LeaderRouter.Failure badReply(LeaderRouter.Reply reply, String what) {
        return new LeaderRouter.Failure(LeaderRouter.Failure.Kind.BAD_REPLY, null,
                reply.node().name() + " answered " + reply.message().request() + " with " + what);
    }
}
