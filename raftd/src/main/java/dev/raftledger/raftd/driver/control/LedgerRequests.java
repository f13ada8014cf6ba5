package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.ledger.ExpenseReply;
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
import dev.raftledger.common.wire.LogReply;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.Requester;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
    /** What the members' releases read: stamps only once all of them read stamps. */
    private final FeatureLevels levels;

    /** With the system's wall clock and the default session TTL. */
    public LedgerRequests(RaftCore core, ReplicatedState state, PendingWrites pending, Replies replies) {
        this(core, state, pending, replies, System::currentTimeMillis, Ledger.DEFAULT_SESSION_TTL_MS);
    }

    /**
     * @param wallClock    ms since the epoch, read (on the event loop) once per write this node
     *                     proposes as leader and stamped into its entry with {@code sessionTtlMs}:
     *                     the ledger takes its time from the log (Raft thesis 6.3), never a clock
     * @param sessionTtlMs the cluster's session TTL as this node would have it ({@code --session-ttl});
     *                     0 stamps no time: sessions never expire (a writer's name is still
     *                     stamped with a cluster key). Writes are stamped only while every
     *                     member has said its release reads stamps ({@link FeatureLevels}), so a
     *                     release before session expiry, which cannot read them, is never sent
     *                     one during a rolling upgrade
     */
    public LedgerRequests(RaftCore core, ReplicatedState state, PendingWrites pending, Replies replies,
                          LongSupplier wallClock, long sessionTtlMs) {
        this.core = core;
        this.state = state;
        this.pending = pending;
        this.replies = replies;
        this.wallClock = wallClock;
        this.sessionTtlMs = sessionTtlMs;
        this.levels = new FeatureLevels(core);
    }

    /**
     * Whether this node, leading, stamps ledger writes now and whom it waits for (MEMBERS); null
     * on any other node.
     */
    dev.raftledger.common.wire.MembersReply.Stamps stamps() {
        if (core.role() != Role.LEADER) {
            return null;
        }
        List<String> waiting = sessionTtlMs == 0 ? List.of() : levels.notReadingStamps();
        return new dev.raftledger.common.wire.MembersReply.Stamps(sessionTtlMs != 0 && waiting.isEmpty(), waiting);
    }

    /** What each member's release understands, fed by the event loop from AppendReplies. */
    public FeatureLevels levels() {
        return levels;
    }

    /**
     * EXPENSE on the leader: validated, stamped (the time, and the name of the identity whose key
     * sealed the request: {@link Requester#identityOf}), appended, answered once applied.
     */
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
        Ledger.Stamp stamp = stamp(Requester.identityOf(replyTo));
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
        // as etcd under NOSPACE: deletions still go through (they free space once compacted)
        ControllerMessage noSpace = command instanceof LedgerCommand.Delete ? null
                : replies.whileNoSpace(ControllerRequest.EXPENSE.name(), now);
        if (noSpace != null) {
            return ControllerHandler.answer(noSpace);
        }
        RaftCore.Proposal p = core.propose(List.of(payload), now);
        Entry e = p.entries().get(0);
        pending.add(new PendingWrites.Pending(e.index(), e.term(), replyTo, ControllerRequest.EXPENSE.name(), null, now));
        return new ControllerHandler.Result(null, p.output(), false);
    }

    /**
     * The stamp of a write made by {@code who} (null: no cluster key): the time with the session
     * TTL unless that is 0, and the writer's name with a key. Nothing until every member has said
     * it reads stamps (FeatureLevels): a release before them would refuse a stamped command and
     * its ledger would diverge. Without a key and with a TTL of 0 the gate is not even asked, so
     * the entry is byte for byte what a release before stamps wrote.
     */
    private Ledger.Stamp stamp(Identity who) {
        String by = who == null ? null : who.name();
        if ((sessionTtlMs == 0 && by == null) || !levels.stampsAllowed()) {
            return Ledger.Stamp.NONE;
        }
        Ledger.Stamp time = sessionTtlMs == 0 ? Ledger.Stamp.NONE
                : new Ledger.Stamp(Math.max(1, wallClock.getAsLong()), sessionTtlMs);
        return time.by(by);
    }

    /** The reply to an EXPENSE whose entry was applied with {@code result}. */
    public ControllerMessage applied(Entry e, LedgerResult result) {
        return replies.reply(ControllerRequest.EXPENSE, ReplyKey.RESULT,
                new ExpenseReply(result, e.index(), e.term()).toJson());
    }

    /**
     * The EXPENSES reply from this node's applied state, to be sent to {@code replyTo} (a list
     * holds what fits that path's datagram). The caller decides when that is allowed: at once
     * for a stale read, after leadership confirmation (ReadIndex) otherwise. Null when the read
     * went to the reader thread, which sends the reply itself ({@link #readsOffLoop}): a read no
     * kept order or running sum answers ({@link ExpenseReads#quick}), or one that opens an export
     * cursor. The copy it reads is taken now, so it holds everything applied so far: for a
     * linearizable read, at least every entry up to the read's index.
     */
    ControllerMessage read(ControllerMessage request, InetSocketAddress replyTo) {
        ExpenseReads.Query q;
        try {
            q = ExpenseReads.parse(request.value());
        } catch (LedgerException e) {
            return invalid(e.getMessage());
        }
        Ledger ledger = state.ledger();
        ExpenseReads.Header h = new ExpenseReads.Header(ledger.appliedIndex(), core.commitIndex(), core.leader(),
                q.stale());
        Replies.Frozen shell = replies.frozen();
        if (q.cursor() != null) {
            return cursorPage(q, replyTo, shell);
        }
        if (q.consistent()) {
            if (reader == null) {
                return replies.error(ControllerError.NOT_SUPPORTED, "this node serves no export cursors");
            }
            Ledger view = ledger.copyForReads();
            return offLoop(cursors -> ExpenseReads.open(cursors, view, q, h, shell, replyTo), replyTo, shell);
        }
        if (reader == null || ExpenseReads.quick(ledger, q)) {
            return ExpenseReads.answer(ledger, q, h, shell, replyTo);
        }
        Ledger view = ledger.copyForReads();
        return offLoop(cursors -> ExpenseReads.answer(view, q, h, shell, replyTo), replyTo, shell);
    }

    /**
     * Whether {@code request} reads a page of an export cursor: it needs no confirmation (the
     * view was confirmed when it opened) and is answered by the node that holds it, leading or
     * not.
     */
    static boolean readsCursor(ControllerMessage request) {
        return request.value() != null && request.value().isObject() && request.value().hasNonNull("cursor");
    }

    private ControllerMessage cursorPage(ExpenseReads.Query q, InetSocketAddress replyTo, Replies.Frozen shell) {
        if (reader == null) {
            return replies.error(ControllerError.NOT_SUPPORTED, "this node serves no export cursors");
        }
        return offLoop(cursors -> ExpenseReads.cursorPage(cursors, q, shell, replyTo), replyTo, shell);
    }

    private ControllerMessage offLoop(ReadWorker.Job job, InetSocketAddress replyTo, Replies.Frozen shell) {
        return reader.submit(job, replyTo, shell) ? null : ReadWorker.busy(shell);
    }

    /** The reader thread, if reads that need a pass are answered off the loop (null: all on the loop). */
    private ReadWorker reader;

    /**
     * From now on, reads no kept order answers, and export cursors, go to {@code worker} (raftd
     * always; null: the loop answers every read itself and opens no cursor, as the loop's own
     * tests run).
     */
    public void readsOffLoop(ReadWorker worker) {
        this.reader = worker;
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
        // entries before the log's first are in the snapshot: a page asked from there starts at the
        // first entry held (first_index says where), rather than failing the event loop
        long first = core.firstIndex();
        LogReply empty = new LogReply(applied, first, List.of());
        int room = replies.listRoom(replyTo, replies.reply(ControllerRequest.LOG, ReplyKey.RESULT, empty.toJson()));
        List<LogReply.Item> fitting = new ArrayList<>();
        int used = 0;
        for (long i = Math.max(from, first); i <= applied && fitting.size() < limit; i++) {
            Entry e = core.entry(i);
            LogReply.Item item = new LogReply.Item(e.index(), e.term(), StoreEntries.parse(e));
            used += replies.itemCost(item.toJson());
            if (used > room && !fitting.isEmpty()) {
                break;
            }
            fitting.add(item);
        }
        return ControllerHandler.answer(replies.reply(ControllerRequest.LOG, ReplyKey.RESULT,
                empty.withEntries(fitting).toJson()));
    }

    private ControllerMessage invalid(String message) {
        return replies.error(ControllerError.INVALID, message);
    }
}
