package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.Codec;
import java.net.InetSocketAddress;
import dev.raftledger.raftd.core.RaftCore;

/** Builds controller replies in the convention's shape: this node's name and current term. */
final class Replies {

    private final RaftCore core;
    private final DatagramBudget budget;

    /** With the default datagram size and no cluster key (tests of the request handlers). */
    Replies(RaftCore core) {
        this(core, new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none()));
    }

    Replies(RaftCore core, DatagramBudget budget) {
        this.core = core;
        this.budget = budget;
    }

    /**
     * How many bytes of list items (each as {@link #itemCost}) a reply to {@code to} has room
     * for, given the reply built so far with the list empty ({@code shell}): what the path allows
     * (see {@link DatagramBudget#replyBytes}) less what the shell takes sealed.
     */
    int listRoom(InetSocketAddress to, ControllerMessage shell) {
        return budget.replyBytes(to) - budget.sealedSize(Codec.encode(shell));
    }

    /** What one more item of a list costs in a reply (with its comma, escaped with a key). */
    int itemCost(JsonNode item) {
        return budget.itemCost(item);
    }

    /** Whether a write's log entry fits one datagram (else it is refused with {@link #tooLarge}). */
    boolean entryFits(Payload entry) {
        return budget.entryFits(core.name(), entry);
    }

    ControllerMessage reply(String request, String key, JsonNode value) {
        return new ControllerMessage(core.name(), request, core.term(), TextNode.valueOf(key), value);
    }

    ControllerMessage error(String code, String message) {
        return reply(ControllerRequest.ERROR.name(), code, TextNode.valueOf(message));
    }

    /** The answer to a write whose log entry could not be replicated in a datagram. */
    ControllerMessage tooLarge(Payload entry) {
        return error("TOO_LARGE", "the entry (" + entry.size() + " bytes) would make an AppendEntry of "
                + budget.oneEntrySize(core.name(), entry) + " bytes; a datagram holds at most " + budget.maxBytes()
                + " (--max-datagram-bytes)");
    }

    /**
     * The ERROR reply to a write that reached a leader handing leadership over (nothing was
     * done; clients retry, and find the new leader), or null if writes are being taken.
     */
    ControllerMessage whileTransferring(String request) {
        String target = core.transferTarget();
        return target == null ? null : error("TRANSFERRING", request + " not taken: leadership is being handed to "
                + target + "; nothing was done, retry in a moment");
    }

    /** The convention's answer from a node that cannot serve a leader-only request. */
    ControllerMessage leaderInfo() {
        return reply("LEADER_INFO", "LEADER", core.leader() == null ? null : TextNode.valueOf(core.leader()));
    }
}
