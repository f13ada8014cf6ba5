package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.CommittedReply;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.common.wire.RetrieveReply;
import dev.raftledger.common.wire.SnapshotReply;
import dev.raftledger.common.wire.TransferReply;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.Listener;
import dev.raftledger.raftd.driver.space.ClusterAlarms;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers the controller convention (shared/protocol.md) and the project's additions (STATUS,
 * the ledger's requests). Runs on the event loop, which owns the core. Every request gets
 * exactly one reply to the datagram's source (at once, or for a write once its entry is
 * applied; requests the node cannot serve get an ERROR reply, never silence), with one
 * exception kept for the convention's controllers: TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN
 * are answered only when the request asks with {@code "ack": true}, since those controllers
 * read nothing after them and would take a reply for the answer to their next request.
 */
public final class ControllerHandler {

    /**
     * What handling a request did: the reply (null: it comes later, or, for TIMEOUT,
     * CONVERT_FOLLOWER and SHUTDOWN without {@code ack}, never), the core's output, whether to stop.
     */
    public record Result(ControllerMessage reply, Output output, boolean stop) {}

    /** The requests a node serves, for the error reply to an unknown one. */
    public static final String KNOWN = Arrays.stream(ControllerRequest.values())
            .filter(r -> r != ControllerRequest.ERROR).map(Enum::name).collect(Collectors.joining(", "));

    private final RaftCore core;
    private final ReplicatedState state;
    private final PendingWrites pending;
    private final LedgerRequests ledger;
    private final LinearizableReads reads;
    private final Replies replies;
    private final MemberRequests members;
    private final DriverCounters counters;
    private final String address;
    private final long startedAt;

    public ControllerHandler(RaftCore core, ReplicatedState state, PendingWrites pending, LedgerRequests ledger,
                      LinearizableReads reads, Replies replies, DriverCounters counters,
                      String address, long startedAt) {
        this.core = core;
        this.state = state;
        this.pending = pending;
        this.ledger = ledger;
        this.reads = reads;
        this.replies = replies;
        this.alarms = ClusterAlarms.withoutMonitor(core.name());
        this.members = new MemberRequests(core, pending, replies, ledger::stamps);
        this.counters = counters;
        this.address = address;
        this.startedAt = startedAt;
    }

    /** What each member's release understands (the ledger's stamps wait for all of them). */
    public FeatureLevels featureLevels() {
        return ledger.levels();
    }

    public Result handle(ControllerMessage request, InetSocketAddress replyTo, long now) {
        counters.controllerRequests.incrementAndGet();
        // the listener lets only known requests through (see Listener.onControllerDatagram)
        ControllerRequest known = ControllerRequest.fromWire(request.request()).orElseThrow();
        Result done = dispatch(known, request, replyTo, now);
        if (known.unansweredByConvention() && !request.ack()) {
            return new Result(null, done.output(), done.stop()); // done, but the convention's controllers read no reply
        }
        return done;
    }

    /**
     * EXPENSE requests that arrived together (the event loop takes those queued behind one another),
     * each counted and handled as {@link #handle} would, their entries proposed in one call
     * ({@link LedgerRequests#writeAll}).
     */
    public LedgerRequests.Writes handleWrites(List<LedgerRequests.Write> writes, long now) {
        counters.controllerRequests.addAndGet(writes.size());
        return ledger.writeAll(writes, now);
    }

    private Result dispatch(ControllerRequest known, ControllerMessage request, InetSocketAddress replyTo, long now) {
        switch (known) {
            case LEADER_INFO:
                return answer(replies.leaderInfo());
            case STATUS:
                return answer(replies.reply(ControllerRequest.STATUS, ReplyKey.STATUS,
                        StatusReport.of(core.status(now), counters, address, now - startedAt,
                                core.firstIndex(), snapshotInfo.get(), state.ledger(), alarms, now,
                                StatusReport.keyring(replies.auth(), counters))));
            case TIMEOUT: {
                Output out = core.forceElection(now);
                return new Result(state(ControllerRequest.TIMEOUT), out, false);
            }
            case CONVERT_FOLLOWER: {
                Output out = core.convertToFollower(now);
                return new Result(state(ControllerRequest.CONVERT_FOLLOWER), out, false);
            }
            case SHUTDOWN:
                return new Result(replies.reply(ControllerRequest.SHUTDOWN, ReplyKey.STATE, TextNode.valueOf("stopping")),
                        Output.NONE, true);
            case STORE:
                return store(request, replyTo, now);
            case RETRIEVE:
                return linearizable(request, replyTo, now);
            case EXPENSE:
                return ledger.write(request, replyTo, now);
            case EXPENSES:
                if (LedgerRequests.readsCursor(request)) {
                    return answer(ledger.read(request, replyTo)); // a frozen view, confirmed when it opened
                }
                if (request.value() != null && request.value().path("stale").asBoolean(false)) {
                    return answer(ledger.read(request, replyTo)); // any node, from its own applied state
                }
                return linearizable(request, replyTo, now);
            case LOG:
                if (request.value() != null && !request.value().isObject()) {
                    return answer(replies.error(ControllerError.INVALID, "LOG takes {\"from\": N, \"limit\": N} or no value"));
                }
                return ledger.log(request, replyTo);
            case TRANSFER_LEADER:
                return transferLeader(request, now);
            case MEMBERS:
                return answer(members.members(now));
            case WHOAMI:
                return answer(replies.whoami(replyTo));
            case MEMBER_ADD:
            case MEMBER_PROMOTE:
            case MEMBER_REMOVE:
                return members.change(request, replyTo, now);
            case SNAPSHOT:
                return snapshot(replyTo, now);
            case BACKUP:
                return backups == null ? answer(replies.error(ControllerError.NOT_SUPPORTED, "this node takes no snapshots"))
                        : backups.handle(request, replyTo, now);
            default:
                throw new IllegalStateException("unhandled request " + known);
        }
    }

    /**
     * A read only the leader serves, and only once a majority has confirmed its leadership and it
     * has applied everything committed when the read arrived (the reply comes later).
     */
    private Result linearizable(ControllerMessage request, InetSocketAddress replyTo, long now) {
        if (core.role() != Role.LEADER) {
            return answer(replies.leaderInfo());
        }
        long id = reads.register(request, replyTo, now);
        return new Result(null, core.readIndex(id, now), false);
    }

    /**
     * TRANSFER_LEADER, value {@code {"to": NAME}} or none (the most up-to-date follower): the
     * leader answers at once with the follower it chose; the follower takes over about a round
     * trip later (raftctl watches for it). Anyone else answers LEADER_INFO, as for every
     * leader-only request.
     */
    private Result transferLeader(ControllerMessage request, long now) {
        if (core.role() != Role.LEADER) {
            return answer(replies.leaderInfo());
        }
        String to = null;
        if (request.value() != null) {
            com.fasterxml.jackson.databind.JsonNode n = request.value().get("to");
            if (!request.value().isObject() || (n != null && !n.isNull() && !n.isTextual())) {
                return answer(replies.error(ControllerError.MALFORMED, "TRANSFER_LEADER takes {\"to\": NODE} or no value"));
            }
            to = n == null || n.isNull() ? null : n.asText();
        }
        RaftCore.Transfer t = core.transferLeadership(to, now);
        if (!t.accepted()) {
            return answer(replies.error(t.refusal(), t.reason()));
        }
        ReplyKey key = t.target().equals(core.name()) ? ReplyKey.UNCHANGED : ReplyKey.TRANSFERRING;
        return new Result(replies.reply(ControllerRequest.TRANSFER_LEADER, key,
                new TransferReply(core.name(), t.target(), core.term()).toJson()), t.output(), false);
    }

    /**
     * From now on, reads that need a pass over the ledger, and export cursors, are answered by
     * {@code worker} off the event loop (see {@link LedgerRequests#read}).
     */
    public void readsOffLoop(ReadWorker worker) {
        ledger.readsOffLoop(worker);
    }

    /**
     * The reply to a read that may now be served from the applied state, to be sent to
     * {@code replyTo}; null if the reader thread will send it ({@link #readsOffLoop}).
     */
    public ControllerMessage serve(ControllerMessage request, InetSocketAddress replyTo) {
        if (request.request().equals(ControllerRequest.RETRIEVE.name())) {
            int room = replies.listRoom(replyTo, replies.reply(ControllerRequest.RETRIEVE, ReplyKey.COMMITED_LOGS,
                    new RetrieveReply(List.of()).toJson()));
            return replies.reply(ControllerRequest.RETRIEVE, ReplyKey.COMMITED_LOGS,
                    newestFitting(state.stores().all(), room).toJson());
        }
        return ledger.read(request, replyTo);
    }

    /** The reply to a read the leader could not confirm: where the leader is now, as the convention does. */
    public ControllerMessage refuse(ControllerMessage request, String why) {
        return core.leader() != null && !core.leader().equals(core.name())
                ? replies.leaderInfo()
                : replies.error(ControllerError.NOT_CONFIRMED, request.request() + ": " + why + "; ask the leader again");
    }

    /** Where the newest snapshot's description comes from (none until snapshots are attached). */
    private java.util.function.Supplier<dev.raftledger.raftd.store.snapshot.SnapshotMeta> snapshotInfo = () -> null;

    public void snapshotInfo(java.util.function.Supplier<dev.raftledger.raftd.store.snapshot.SnapshotMeta> source) {
        this.snapshotInfo = source;
    }

    /** The disk alarms STATUS shows and writes are refused for (none until the loop attaches its own). */
    private ClusterAlarms alarms;

    public void alarms(ClusterAlarms alarms) {
        this.alarms = alarms;
        replies.alarms(alarms);
    }

    /**
     * Takes a snapshot now: calls {@code done} on the event loop once it is durable (or failed).
     * Null until snapshots are attached; a node without them answers SNAPSHOT with NOT_SUPPORTED.
     */
    public interface SnapshotTrigger {
        void force(long now, java.util.function.Consumer<LoopEvent.SnapshotSaved> done);
    }

    /** Sends a reply that comes later than the request's handling (a SNAPSHOT's). */
    public interface LaterReplies {
        void send(InetSocketAddress to, ControllerMessage reply);
    }

    private SnapshotTrigger snapshotTrigger;
    private LaterReplies later;
    private BackupRequests backups;

    /** BACKUP from now on (null until snapshots are attached: NOT_SUPPORTED). */
    public void backups(BackupRequests backups) {
        this.backups = backups;
    }

    /** The replies' builder, for request classes made outside (BackupRequests). */
    public Replies replies() {
        return replies;
    }

    public void snapshots(SnapshotTrigger trigger, LaterReplies later) {
        this.snapshotTrigger = trigger;
        this.later = later;
    }

    /** SNAPSHOT: answered once the snapshot is durable, with its index, term and size (see {@link #snapshotDone}). */
    private Result snapshot(InetSocketAddress replyTo, long now) {
        if (snapshotTrigger == null) {
            return answer(replies.error(ControllerError.NOT_SUPPORTED, "this node takes no snapshots"));
        }
        snapshotTrigger.force(now, saved -> later.send(replyTo, snapshotDone(saved)));
        return new Result(null, Output.NONE, false);
    }

    /** The reply to SNAPSHOT once the snapshot is durable: its index, term and size; or why it failed. */
    ControllerMessage snapshotDone(LoopEvent.SnapshotSaved saved) {
        if (saved.meta() == null) {
            return replies.error(ControllerError.SNAPSHOT_FAILED, "the snapshot could not be saved: " + saved.error());
        }
        return replies.reply(ControllerRequest.SNAPSHOT, ReplyKey.SAVED, new SnapshotReply(
                saved.meta().lastIncludedIndex(), saved.meta().lastIncludedTerm(), saved.meta().payloadSize(),
                core.firstIndex()).toJson());
    }

    static Result answer(ControllerMessage reply) {
        return new Result(reply, Output.NONE, false);
    }

    private ControllerMessage state(ControllerRequest request) {
        return replies.reply(request, ReplyKey.STATE, TextNode.valueOf(core.role().wireName()));
    }

    /**
     * The convention's STORE: the leader appends {key, value} and answers once it commits (the
     * project's addition); anyone else answers with LEADER_INFO.
     */
    private Result store(ControllerMessage request, InetSocketAddress replyTo, long now) {
        if (core.role() != Role.LEADER) {
            return answer(replies.leaderInfo());
        }
        if (request.key() == null || request.value() == null) {
            // any other JSON is stored as sent and RETRIEVE returns it so ("", numbers, objects)
            return answer(replies.error(ControllerError.MALFORMED, "STORE needs both key and value (any JSON but null)"));
        }
        Payload payload = StoreEntries.payload(request.key(), request.value());
        if (!replies.entryFits(payload)) {
            return answer(replies.tooLarge(payload));
        }
        ControllerMessage transferring = replies.whileTransferring(ControllerRequest.STORE.name());
        if (transferring != null) {
            return answer(transferring);
        }
        ControllerMessage noSpace = replies.whileNoSpace(ControllerRequest.STORE.name(), now);
        if (noSpace != null) {
            return answer(noSpace);
        }
        RaftCore.Proposal p = core.propose(List.of(payload), now);
        Entry e = p.entries().get(0);
        pending.add(new PendingWrites.Pending(e.index(), e.term(), replyTo, ControllerRequest.STORE.name(), null, now));
        return new Result(null, p.output(), false);
    }

    /**
     * The reply to a STORE whose entry committed: key COMMITTED, value {index, term}; to a
     * membership change, also the members it made.
     */
    public ControllerMessage committed(String request, long index, long term) {
        if (MemberRequests.isChange(request)) {
            return members.committed(request, index, term);
        }
        return replies.reply(request, ReplyKey.COMMITTED, new CommittedReply(index, term).toJson());
    }

    /** The reply to a write that did not (or may not) commit. */
    public ControllerMessage notCommitted(String request, String why) {
        return replies.error(ControllerError.NOT_COMMITTED, request + ": " + why);
    }

    /**
     * The reply to a write still waiting when this node stopped leading: its entry may yet
     * commit under the next leader (if a majority already holds it) or be replaced. What the
     * client should do depends on the request.
     */
    public ControllerMessage leadershipLost(PendingWrites.Pending p) {
        return notCommitted(p.request(), "this node stopped leading (now " + core.role().wireName() + " in term "
                + core.term() + ") before the entry at index " + p.index() + " was known to commit; it may still commit"
                + " under the next leader or be lost: " + whenUnknown(p.request()));
    }

    /** What a client whose write has an unknown outcome should do, by request. */
    public static String whenUnknown(String request) {
        if (request.equals(ControllerRequest.EXPENSE.name())) {
            return "retry with the same client_id and seq: the ledger applies it once";
        }
        if (MemberRequests.isChange(request)) {
            return "see MEMBERS at the leader before asking again";
        }
        return "RETRIEVE from the leader shows whether it was stored; STORE again only if not";
    }

    /** The ERROR reply for a controller datagram that was refused before handling. */
    public ControllerMessage badRequest(ControllerError code, String reason) {
        return replies.error(code, reason);
    }

    /**
     * COMMITED_LOGS as large as the reply's datagram allows ({@code room} bytes of items, see
     * {@link Replies#listRoom}): if every entry does not fit, the newest that do, in log order
     * (raftctl's log command pages through all of them).
     */
    private RetrieveReply newestFitting(ArrayNode all, int room) {
        int used = 0;
        List<RetrieveReply.Stored> newest = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            RetrieveReply.Stored s = RetrieveReply.Stored.fromJson(all.get(i));
            int size = replies.itemCost(s.toJson());
            if (used + size > room) {
                break;
            }
            used += size;
            newest.add(s);
        }
        Collections.reverse(newest);
        return new RetrieveReply(newest);
    }

}
