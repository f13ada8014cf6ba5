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
    private final DriverCounters counters;
    private final String address;
    private final long startedAt;

    ControllerHandler(RaftCore core, DriverCounters counters, String address, long startedAt) {
        this.core = core;
        this.counters = counters;
        this.address = address;
        this.startedAt = startedAt;
    }

    Result handle(ControllerMessage request, long now) {
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
            case RETRIEVE:
                return answer(error("NOT_SUPPORTED", request.request()
                        + " needs log replication, which this version of raftd does not have yet"));
            default:
                throw new IllegalStateException("unhandled request " + known.get());
        }
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
