package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.ledger.ExpenseReply;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.LedgerWrite;
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

    /** An EXPENSE request and where its answer goes. */
    public record Write(ControllerMessage request, InetSocketAddress replyTo) {}

    /** An answer to send now, to a write refused before it was proposed. */
    public record Answer(InetSocketAddress to, ControllerMessage reply) {}

    /** What handling writes did: the core's output (their entries proposed) and the writes refused. */
    public record Writes(dev.raftledger.raftd.core.Output output, List<Answer> refused) {}

    /** A write accepted: its entry's bytes and the decoded write they hold, kept for applying. */
    private record Accepted(Payload payload, LedgerWrite write, InetSocketAddress replyTo) {}

    /**
     * EXPENSE on the leader: validated, stamped (the time, and the name of the identity whose key
     * sealed the request: {@link Requester#identityOf}), appended, answered once applied.
     */
    ControllerHandler.Result write(ControllerMessage request, InetSocketAddress replyTo, long now) {
        Writes w = writeAll(List.of(new Write(request, replyTo)), now);
        return w.refused().isEmpty() ? new ControllerHandler.Result(null, w.output(), false)
                : ControllerHandler.answer(w.refused().get(0).reply());
    }

    /**
     * Several EXPENSEs that arrived together, each handled as {@link #write} handles one, the
     * accepted ones proposed in one call, so that their entries travel in as few AppendEntry
     * messages as the datagrams allow instead of one round per write. Each command is decoded
     * and validated here, once: the write it holds is kept with the waiting client
     * ({@link PendingWrites.Pending#tag()}) and applied from there when its entry commits
     * ({@link dev.raftledger.raftd.driver.Applier}), never decoded from the entry again on this node.
     */
    Writes writeAll(List<Write> writes, long now) {
        List<Answer> refused = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>(writes.size());
        for (Write w : writes) {
            Object r = accept(w.request(), w.replyTo(), now);
            if (r instanceof Accepted a) {
                accepted.add(a);
            } else {
                refused.add(new Answer(w.replyTo(), (ControllerMessage) r));
            }
        }
        if (accepted.isEmpty()) {
            return new Writes(dev.raftledger.raftd.core.Output.NONE, refused);
        }
        List<Payload> payloads = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            payloads.add(a.payload());
        }
        RaftCore.Proposal p = core.propose(payloads, now);
        if (p.entries().size() != accepted.size()) {
            // accept() checked leadership and transfers just before, on this thread: cannot happen
            throw new IllegalStateException("proposed " + accepted.size() + " writes, the core took " + p.entries().size());
        }
        for (int i = 0; i < accepted.size(); i++) {
            Entry e = p.entries().get(i);
            Accepted a = accepted.get(i);
            pending.add(new PendingWrites.Pending(e.index(), e.term(), a.replyTo(), ControllerRequest.EXPENSE.name(),
                    a.write(), now));
        }
        return new Writes(p.output(), refused);
    }

    /** One EXPENSE checked for proposing: an {@link Accepted}, or the reply refusing it. */
    private Object accept(ControllerMessage request, InetSocketAddress replyTo, long now) {
        if (core.role() != Role.LEADER) {
            return replies.leaderInfo();
        }
        LedgerWrite write;
        try {
            write = LedgerCodec.accept(request.value(), stamp(Requester.identityOf(replyTo)));
        } catch (LedgerException e) {
            return invalid(e.getMessage());
        }
        Payload payload = Payload.ofJson(LedgerCodec.entryBytes(write));
        if (!replies.entryFits(payload)) {
            // the ledger's own field limits keep commands smaller (a 500-character description
            // fits the smallest datagram, sealed); this is the transport's guard
            return replies.tooLarge(payload);
        }
        ControllerMessage transferring = replies.whileTransferring(ControllerRequest.EXPENSE.name());
        if (transferring != null) {
            return transferring;
        }
        // as etcd under NOSPACE: deletions still go through (they free space once compacted)
        ControllerMessage noSpace = write.command() instanceof LedgerCommand.Delete ? null
                : replies.whileNoSpace(ControllerRequest.EXPENSE.name(), now);
        if (noSpace != null) {
            return noSpace;
        }
        return new Accepted(payload, write, replyTo);
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

    /**
     * {@code Codec.encode(applied(e, result))}, the reply's value streamed rather than built as a
     * tree: what the leader sends for each write it applies.
     */
    public byte[] appliedBytes(Entry e, LedgerResult result) {
        return Codec.encodeReply(replies.reply(ControllerRequest.EXPENSE, ReplyKey.RESULT, null),
                new ExpenseReply(result, e.index(), e.term()).toBytes());
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
