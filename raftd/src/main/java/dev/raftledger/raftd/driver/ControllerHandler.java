package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import java.util.Optional;

/**
 * Answers the controller convention (shared/protocol.md) and the project's STATUS request.
 * Runs on the event loop, which owns the core. Every request gets exactly one reply to the
 * datagram's source; requests the node cannot serve get an ERROR reply, never silence.
 */
final class ControllerHandler {

    /** What handling a request did: the reply, the core's output to carry out, and whether to stop. */
    record Result(ControllerMessage reply, Output output, boolean stop) {}

    private final RaftCore core;
    private final StoreEntries stores;
    private final PendingWrites pending;
    private final DriverCounters counters;
    private final String address;
    private final long startedAt;

    ControllerHandler(RaftCore core, StoreEntries stores, PendingWrites pending, DriverCounters counters,
                      String address, long startedAt) {
        this.core = core;
        this.stores = stores;
        this.pending = pending;
        this.counters = counters;
        this.address = address;
        this.startedAt = startedAt;
    }

    /** Handles one request; a null reply means it will come later (a STORE, once committed). */
    Result handle(ControllerMessage request, java.net.InetSocketAddress replyTo, long now) {
        counters.controllerRequests.incrementAndGet();
        Optional<ControllerRequest> known = ControllerRequest.fromWire(request.request());
        if (known.isEmpty() || known.get() == ControllerRequest.ERROR) {
            return answer(error("UNKNOWN_REQUEST", "unknown request '" + request.request()
                    + "'; known: CONVERT_FOLLOWER, TIMEOUT, SHUTDOWN, LEADER_INFO, STORE, RETRIEVE, STATUS"));
        }
        switch (known.get()) {
            case LEADER_INFO:
                return answer(reply("LEADER_INFO", "LEADER", text(core.leader())));
            case STATUS:
                return answer(reply("STATUS", "STATUS",
                        StatusReport.of(core.status(now), counters, address, now - startedAt)));
            case TIMEOUT: {
                Output out = core.forceElection(now);
                return new Result(reply("TIMEOUT", "STATE", text(core.role().wireName())), out, false);
            }
            case CONVERT_FOLLOWER: {
                Output out = core.convertToFollower(now);
                return new Result(reply("CONVERT_FOLLOWER", "STATE", text(core.role().wireName())), out, false);
            }
            case SHUTDOWN:
                return new Result(reply("SHUTDOWN", "STATE", text("stopping")), Output.NONE, true);
            case STORE:
                return store(request, replyTo, now);
            case RETRIEVE:
                if (core.role() != dev.raftledger.raftd.core.Role.LEADER) {
                    return answer(reply("LEADER_INFO", "LEADER", text(core.leader())));
                }
                return answer(reply("RETRIEVE", "COMMITED_LOGS", fitting(stores.all())));
            default:
                throw new IllegalStateException("unhandled request " + known.get());
        }
    }

    /**
     * The convention's STORE: the leader appends {term, key, value} and answers once it commits
     * (the project's addition); anyone else answers with LEADER_INFO.
     */
    private Result store(ControllerMessage request, java.net.InetSocketAddress replyTo, long now) {
        if (core.role() != dev.raftledger.raftd.core.Role.LEADER) {
            return answer(reply("LEADER_INFO", "LEADER", text(core.leader())));
        }
        if (request.key() == null || request.value() == null) {
            return answer(error("MALFORMED", "STORE needs both key and value"));
        }
        RaftCore.Proposal p = core.propose(java.util.List.of(StoreEntries.payload(request.key(), request.value())), now);
        dev.raftledger.common.wire.Entry e = p.entries().get(0);
        pending.add(new PendingWrites.Pending(e.index(), e.term(), replyTo, "STORE", null, now));
        return new Result(null, p.output(), false);
    }

    /** The reply to a write whose entry committed: key COMMITTED, value {index, term}. */
    ControllerMessage committed(String request, long index, long term) {
        com.fasterxml.jackson.databind.node.ObjectNode at = dev.raftledger.common.wire.Codec.objectNode();
        at.put("index", index);
        at.put("term", term);
        return reply(request, "COMMITTED", at);
    }

    /** The reply to a write that did not (or may not) commit. */
    ControllerMessage notCommitted(String request, String why) {
        return error("NOT_COMMITTED", request + ": " + why);
    }

    /**
     * COMMITED_LOGS as large as a datagram allows: if every entry does not fit, the newest that do
     * (a client that needs all of them pages through raftctl's log command).
     */
    private static com.fasterxml.jackson.databind.node.ArrayNode fitting(com.fasterxml.jackson.databind.node.ArrayNode all) {
        int budget = dev.raftledger.common.wire.Codec.MAX_DATAGRAM_BYTES - 1_024;
        int used = 0;
        int from = all.size();
        while (from > 0) {
            int size = dev.raftledger.common.wire.Codec.toBytes(all.get(from - 1)).length + 1;
            if (used + size > budget) {
                break;
            }
            used += size;
            from--;
        }
        com.fasterxml.jackson.databind.node.ArrayNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = from; i < all.size(); i++) {
            out.add(all.get(i));
        }
        return out;
    }

    /** The ERROR reply for a datagram that did not decode. */
    ControllerMessage malformed(String reason) {
        return error("MALFORMED", reason);
    }

    private static Result answer(ControllerMessage reply) {
        return new Result(reply, Output.NONE, false);
    }

    private ControllerMessage reply(String request, String key, JsonNode value) {
        return new ControllerMessage(core.name(), request, core.term(), TextNode.valueOf(key), value);
    }

    private ControllerMessage error(String code, String message) {
        return reply(ControllerRequest.ERROR.name(), code, TextNode.valueOf(message));
    }

    private static JsonNode text(String s) {
        return s == null ? null : TextNode.valueOf(s);
    }
}
