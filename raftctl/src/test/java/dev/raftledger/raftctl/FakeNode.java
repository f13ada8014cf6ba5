package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One fake node: answers controller requests the way raftd does (docs/protocol.md), from state
 * the test sets, and records every request it gets. A silent node records but never answers.
 */
final class FakeNode {

    private final String name;
    private final String host;
    private final DatagramSocket socket;
    private final Thread thread;
    private final List<ControllerMessage> received = new CopyOnWriteArrayList<>();

    private volatile String state = "follower";
    private volatile long term = 1;
    private volatile String leader;
    private volatile Long heartbeatAgeMs = 42L;
    private volatile boolean silent;
    private volatile Function<ControllerMessage, ControllerMessage> override;

    FakeNode(String name, String host, DatagramSocket socket) {
        this.name = name;
        this.host = host;
        this.socket = socket;
        this.thread = new Thread(this::serve, "fake-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    String host() {
        return host;
    }

    FakeNode state(String s) {
        state = s;
        return this;
    }

    FakeNode term(long t) {
        term = t;
        return this;
    }

    FakeNode leader(String l) {
        leader = l;
        return this;
    }

    FakeNode heartbeatAgeMs(Long age) {
        heartbeatAgeMs = age;
        return this;
    }

    FakeNode silent() {
        silent = true;
        return this;
    }

    /** Answers every request with whatever {@code f} returns instead of the usual reply. */
    FakeNode replyWith(Function<ControllerMessage, ControllerMessage> f) {
        override = f;
        return this;
    }

    List<ControllerMessage> received() {
        return List.copyOf(received);
    }

    /** The request names received so far, polling until at least {@code atLeast} arrived or time is up. */
    List<String> awaitRequests(int atLeast, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < atLeast && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        return received.stream().map(ControllerMessage::request).toList();
    }

    private void serve() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed by close()
            }
            ControllerMessage request;
            try {
                request = Codec.decodeController(packet.getData(), packet.getOffset(), packet.getLength());
            } catch (MalformedMessageException e) {
                continue;
            }
            received.add(request);
            if (silent) {
                continue;
            }
            Function<ControllerMessage, ControllerMessage> f = override;
            byte[] reply = Codec.encode(f != null ? f.apply(request) : reply(request));
            try {
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** raftd's replies, as in the protocol's table. */
    ControllerMessage reply(ControllerMessage request) {
        switch (request.request()) {
            case "LEADER_INFO":
                return message("LEADER_INFO", "LEADER", leader == null ? null : TextNode.valueOf(leader));
            case "STATUS":
                return message("STATUS", "STATUS", status());
            case "TIMEOUT":
                term++;
                state = "candidate";
                leader = null;
                return message("TIMEOUT", "STATE", TextNode.valueOf(state));
            case "CONVERT_FOLLOWER":
                state = "follower";
                return message("CONVERT_FOLLOWER", "STATE", TextNode.valueOf(state));
            case "SHUTDOWN":
                return message("SHUTDOWN", "STATE", TextNode.valueOf("stopping"));
            default:
                return error("UNKNOWN_REQUEST", "unknown request '" + request.request() + "'");
        }
    }

    ControllerMessage error(String code, String text) {
        return message("ERROR", code, TextNode.valueOf(text));
    }

    private ControllerMessage message(String request, String key, JsonNode value) {
        return new ControllerMessage(name, request, term, TextNode.valueOf(key), value);
    }

    private ObjectNode status() {
        ObjectNode s = Codec.objectNode();
        s.put("name", name);
        s.put("address", host);
        s.put("state", state);
        s.put("term", term);
        s.putNull("voted_for");
        s.put("leader", leader);
        s.put("heartbeat_age_ms", heartbeatAgeMs);
        s.put("last_log_index", -1);
        s.put("last_log_term", 0);
        s.put("log_length", 0);
        s.put("uptime_ms", 1234);
        s.put("version", "test");
        s.putObject("counters").put("elections_started", 0);
        return s;
    }

    void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
