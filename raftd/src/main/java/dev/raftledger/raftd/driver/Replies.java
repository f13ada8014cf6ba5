package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.RaftCore;

/** Builds controller replies in the convention's shape: this node's name and current term. */
final class Replies {

    /**
     * The most a reply's list may take: a datagram holds 64,000 bytes, and with a cluster key
     * the reply travels as an escaped JSON string inside the sealed envelope, which grows it
     * (every quote gains a backslash) and adds the header.
     */
    static final int LIST_BUDGET_BYTES = 44_000;

    private final RaftCore core;

    Replies(RaftCore core) {
        this.core = core;
    }

    ControllerMessage reply(String request, String key, JsonNode value) {
        return new ControllerMessage(core.name(), request, core.term(), TextNode.valueOf(key), value);
    }

    ControllerMessage error(String code, String message) {
        return reply(ControllerRequest.ERROR.name(), code, TextNode.valueOf(message));
    }

    /** The answer to a write whose log entry could not be replicated in a datagram. */
    ControllerMessage tooLarge(Payload entry) {
        return error("TOO_LARGE", "the entry would take " + entry.size() + " bytes; at most "
                + Limits.MAX_ENTRY_BYTES + " fit the transport");
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
