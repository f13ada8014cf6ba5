package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.driver.ReplicatedState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The ledger's requests on the controller port (docs/protocol.md, "The expenses ledger"):
 * EXPENSE writes through the log, EXPENSES reads, LOG pages of committed entries.
 */
public final class LedgerRequests {

    private final RaftCore core;
    private final ReplicatedState state;
    private final PendingWrites pending;
    private final Replies replies;
    private final LongSupplier wallClock;
    private final long sessionTtlMs;

    /** With the system's wall clock and the default session TTL. */
    public LedgerRequests(RaftCore core, ReplicatedState state, PendingWrites pending, Replies replies) {
        this(core, state, pending, replies, System::currentTimeMillis, Ledger.DEFAULT_SESSION_TTL_MS);
    }

    /**
     * @param wallClock    ms since the epoch, read (on the event loop) once per write this node
     *                     proposes as leader and stamped into its entry with {@code sessionTtlMs}:
     *                     the ledger takes its time from the log (Raft thesis 6.3), never a clock
     * @param sessionTtlMs the cluster's session TTL as this node would have it ({@code --session-ttl});
     *                     0 stamps nothing: sessions never expire, and the entries are what a
     *                     release before session expiry wrote and can read (a rolling upgrade)
     */
    public LedgerRequests(RaftCore core, ReplicatedState state, PendingWrites pending, Replies replies,
                          LongSupplier wallClock, long sessionTtlMs) {
        this.core = core;
        this.state = state;
        this.pending = pending;
        this.replies = replies;
        this.wallClock = wallClock;
        this.sessionTtlMs = sessionTtlMs;
    }

    /** EXPENSE on the leader: validated, appended, answered once applied. */
    ControllerHandler.Result write(ControllerMessage request, InetSocketAddress replyTo, long now) {
        if (core.role() != Role.LEADER) {
            return ControllerHandler.answer(replies.leaderInfo());
        }
        LedgerCommand command;
        try {
            command = LedgerCodec.commandFromJson(request.value());
        } catch (LedgerException e) {
            return ControllerHandler.answer(invalid(e.getMessage()));
        }
        Ledger.Stamp stamp = sessionTtlMs == 0 ? Ledger.Stamp.NONE
                : new Ledger.Stamp(Math.max(1, wallClock.getAsLong()), sessionTtlMs);
        Payload payload = Payload.ofJson(Codec.toBytes(LedgerCodec.stamped(LedgerCodec.commandToJson(command), stamp)));
        if (!replies.entryFits(payload)) {
            // the ledger's own field limits keep commands smaller (a 500-character description
            // fits the smallest datagram, sealed); this is the transport's guard
            return ControllerHandler.answer(replies.tooLarge(payload));
        }
        ControllerMessage transferring = replies.whileTransferring(ControllerRequest.EXPENSE.name());
        if (transferring != null) {
            return ControllerHandler.answer(transferring);
        }
        RaftCore.Proposal p = core.propose(List.of(payload), now);
        Entry e = p.entries().get(0);
        pending.add(new PendingWrites.Pending(e.index(), e.term(), replyTo, ControllerRequest.EXPENSE.name(), null, now));
        return new ControllerHandler.Result(null, p.output(), false);
    }

    /** The reply to an EXPENSE whose entry was applied with {@code result}. */
    public ControllerMessage applied(Entry e, LedgerResult result) {
        ObjectNode value = LedgerCodec.resultToJson(result);
        value.put("index", e.index());
        value.put("term", e.term());
        return replies.reply(ControllerRequest.EXPENSE, ReplyKey.RESULT, value);
    }

    /**
     * The EXPENSES reply from this node's applied state, to be sent to {@code replyTo} (a list
     * holds what fits that path's datagram). The caller decides when that is allowed: at once
     * for a stale read, after leadership confirmation (ReadIndex) otherwise.
     */
    ControllerMessage read(ControllerMessage request, InetSocketAddress replyTo) {
        JsonNode q = request.value();
        if (q == null || !q.isObject()) {
            return invalid("EXPENSES needs a query object as value");
        }
        boolean stale = q.path("stale").asBoolean(false);
        try {
            ExpenseFilter filter = LedgerCodec.filterFromJson(q.path("filter").isObject() ? q.get("filter") : Codec.objectNode());
            ObjectNode value = Codec.objectNode();
            value.put("applied_index", state.ledger().appliedIndex());
            value.put("commit_index", core.commitIndex());
            value.put("leader", core.leader());
            value.put("stale", stale);
            String query = q.path("query").asText("list");
            if (query.equals("totals")) {
                GroupBy by = GroupBy.fromWire(q.path("by").asText("category"));
                value.set("totals", LedgerCodec.totalsToJson(state.ledger().totals(by, filter)));
            } else if (query.equals("list")) {
                value.put("total", state.ledger().count(filter));
                List<Expense> page = state.ledger().list(filter);
                ArrayNode fitting = value.putArray("expenses");
                ControllerMessage reply = replies.reply(ControllerRequest.EXPENSES, ReplyKey.RESULT, value);
                fill(fitting, LedgerCodec.expensesToJson(page), replies.listRoom(replyTo, reply));
                return reply;
            } else {
                return invalid("query must be list or totals, not '" + query + "'");
            }
            return replies.reply(ControllerRequest.EXPENSES, ReplyKey.RESULT, value);
        } catch (LedgerException e) {
            return invalid(e.getMessage());
        }
    }

    /**
     * LOG: committed entries of this node's log, from its applied state, as many as fit the
     * reply's datagram to {@code replyTo} (at least one, so that a reader paging through the log
     * always moves on).
     */
    ControllerHandler.Result log(ControllerMessage request, InetSocketAddress replyTo) {
        JsonNode q = request.value() == null ? Codec.objectNode() : request.value();
        long from = q.path("from").asLong(0);
        int limit = q.path("limit").asInt(100);
        if (from < 0 || limit < 1 || limit > 10_000) {
            return ControllerHandler.answer(invalid("LOG needs from >= 0 and 1 <= limit <= 10000"));
        }
        long applied = state.ledger().appliedIndex();
        ObjectNode value = Codec.objectNode();
        value.put("applied_index", applied);
        value.put("first_index", 0);
        ArrayNode entries = value.putArray("entries");
        ControllerMessage reply = replies.reply(ControllerRequest.LOG, ReplyKey.RESULT, value);
        int room = replies.listRoom(replyTo, reply);
        int used = 0;
        for (long i = from; i <= applied && entries.size() < limit; i++) {
            Entry e = core.entry(i);
            ObjectNode o = Codec.objectNode();
            o.put("index", e.index());
            o.put("term", e.term());
            o.set("data", StoreEntries.parse(e));
            used += replies.itemCost(o);
            if (used > room && !entries.isEmpty()) {
                break;
            }
            entries.add(o);
        }
        return ControllerHandler.answer(reply);
    }

    private ControllerMessage invalid(String message) {
        return replies.error(ControllerError.INVALID, message);
    }

    /**
     * Adds to {@code out} as many of the listed items as {@code room} bytes hold (see
     * {@link Replies#listRoom}), first ones first, and at least one, so that a reader paging
     * with offsets always moves on.
     */
    private void fill(ArrayNode out, ArrayNode all, int room) {
        int used = 0;
        for (JsonNode item : all) {
            used += replies.itemCost(item);
            if (used > room && !out.isEmpty()) {
                break;
            }
            out.add(item);
        }
    }
}
