package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.Refusal;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.common.wire.WhoamiReply;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Requester;
import dev.raftledger.raftd.driver.space.ClusterAlarms;
import java.net.InetSocketAddress;

/** Builds controller replies in the convention's shape: this node's name and current term. */
public final class Replies {

    private final RaftCore core;
    private final DatagramBudget budget;
    /** The disk alarms that stop new writes (none until the loop attaches its own). */
    private ClusterAlarms alarms;

    /** With the default datagram size and no cluster key (tests of the request handlers). */
    Replies(RaftCore core) {
        this(core, new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none()));
    }

    public Replies(RaftCore core, DatagramBudget budget) {
        this.core = core;
        this.budget = budget;
        this.alarms = ClusterAlarms.withoutMonitor(core.name());
    }

    /** The alarms whose refusals {@link #whileNoSpace} gives (the event loop's). */
    public void alarms(ClusterAlarms alarms) {
        this.alarms = alarms;
    }

    /**
     * How many bytes of list items (each as {@link #itemCost}) a reply to {@code to} has room
     * for, given the reply built so far with the list empty ({@code shell}): what the path allows
     * (see {@link DatagramBudget#replyBytes}) less what the shell takes sealed.
     */
    int listRoom(InetSocketAddress to, ControllerMessage shell) {
        return budget.replyBytes(to) - budget.sealedSize(Codec.encode(shell));
    }

    /** What one more item of a list costs in a reply (with its comma). */
    int itemCost(JsonNode item) {
        return budget.itemCost(item);
    }

    /**
     * WHOAMI: who the request to be answered at {@code replyTo} acts as. Without a cluster key
     * no one in particular, with every right (anyone who reaches the port may do anything).
     */
    ControllerMessage whoami(InetSocketAddress replyTo) {
        Identity who = Requester.identityOf(replyTo);
        WhoamiReply r = who == null
                ? new WhoamiReply(budget.sealed(), null, "admin", false, null)
                : new WhoamiReply(true, who.name(), who.role().wireName(), who.node(),
                        ((Requester) replyTo).key().fingerprint());
        return reply(ControllerRequest.WHOAMI, ReplyKey.RESULT, r.toJson());
    }

    /** The node's cluster key, whose keyring STATUS shows (none without a key). */
    ClusterAuth auth() {
        return budget.auth();
    }

    /** Whether a write's log entry fits one datagram (else it is refused with {@link #tooLarge}). */
    boolean entryFits(Payload entry) {
        return budget.entryFits(core.name(), entry);
    }

    ControllerMessage reply(ControllerRequest request, ReplyKey key, JsonNode value) {
        return reply(request.name(), key, value);
    }

    /** A reply to a request named as the client named it (a write's pending entry keeps the name). */
    ControllerMessage reply(String request, ReplyKey key, JsonNode value) {
        return new ControllerMessage(core.name(), request, core.term(), TextNode.valueOf(key.name()), value);
    }

    ControllerMessage error(ControllerError code, String message) {
        return new Refusal(code, message).toReply(core.name(), core.term());
    }

    /** The answer to a write whose log entry could not be replicated in a datagram. */
    ControllerMessage tooLarge(Payload entry) {
        return error(ControllerError.TOO_LARGE, "the entry (" + entry.size() + " bytes) would make an AppendEntry of "
                + budget.oneEntrySize(core.name(), entry) + " bytes; a datagram holds at most " + budget.maxBytes()
                + " (--max-datagram-bytes)");
    }

    /**
     * The ERROR reply to a write that reached a leader handing leadership over (nothing was
     * done; clients retry, and find the new leader), or null if writes are being taken.
     */
    ControllerMessage whileTransferring(String request) {
        String target = core.transferTarget();
        return target == null ? null : error(ControllerError.TRANSFERRING, request + " not taken: leadership is being handed to "
                + target + "; nothing was done, retry in a moment");
    }

    /**
     * The ERROR reply to a new write while a member's disk alarm is raised (nothing was done),
     * or null if writes are being taken.
     */
    ControllerMessage whileNoSpace(String request, long now) {
        String why = alarms.refusal(now);
        return why == null ? null : error(ControllerError.NO_SPACE, request + " not taken: " + why);
    }

    /**
     * This node's name and term as of now, with the datagram budget: what a reply built off the
     * event loop needs ({@link ReadWorker}). Take it on the loop, which owns the core.
     */
    Frozen frozen() {
        return new Frozen(core.name(), core.term(), budget);
    }

    /**
     * Replies in the convention's shape from a node name and term taken on the event loop, and
     * the (thread-safe) datagram budget: for replies built on a reader thread, which must not
     * touch the core. The same bytes as {@link Replies}' for the same name and term. Immutable.
     */
    record Frozen(String name, long term, DatagramBudget budget) {

        ControllerMessage reply(ControllerRequest request, ReplyKey key, JsonNode value) {
            return new ControllerMessage(name, request.name(), term, TextNode.valueOf(key.name()), value);
        }

        ControllerMessage error(ControllerError code, String message) {
            return new Refusal(code, message).toReply(name, term);
        }

        /** As {@link Replies#listRoom}. */
        int listRoom(InetSocketAddress to, ControllerMessage shell) {
            return budget.replyBytes(to) - budget.sealedSize(Codec.encode(shell));
        }

        /** As {@link Replies#itemCost}. */
        int itemCost(JsonNode item) {
            return budget.itemCost(item);
        }
    }

    /** The convention's answer from a node that cannot serve a leader-only request. */
    ControllerMessage leaderInfo() {
        return reply(ControllerRequest.LEADER_INFO, ReplyKey.LEADER, core.leader() == null ? null : TextNode.valueOf(core.leader()));
    }
}
