package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Valid messages of every type and small helpers shared by the codec tests. */
final class WireSamples {

    static final RequestVote REQUEST_VOTE = RequestVote.of(3, "Node2", -1, 0);
    static final VoteAck ACK_GRANTED = new VoteAck(3, true, "Node4", "Node2");
    static final VoteAck ACK_DENIED = new VoteAck(7, false, "Node5", "Node1");
    static final AppendEntry APPEND_ENTRY = AppendEntry.heartbeat(3, "Node2", -1, 0);
    static final TimeoutNow TIMEOUT_NOW = new TimeoutNow(3, "Node2", "Node4");
    static final InstallSnapshot INSTALL_SNAPSHOT = new InstallSnapshot(3, "Node2", 41, 2, 16_384, 40_000,
            0xCAFEBABEL, false, new byte[] {0, 1, 2, (byte) 255, '"', '\\'});
    static final SnapshotAck SNAPSHOT_ACK = new SnapshotAck(3, "Node4", "Node2", 41, 16_390);
    static final ControllerMessage LEADER_INFO = ControllerMessage.request("LEADER_INFO");

    static final List<PeerMessage> PEER_MESSAGES = List.of(REQUEST_VOTE, ACK_GRANTED, ACK_DENIED, APPEND_ENTRY);

    /**
     * A default mapper for building test input: unlike the codec's it has no read limits, so
     * tests can write values (42-digit numbers, deep nesting) that the codec must refuse.
     */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private WireSamples() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static PeerMessage decodePeer(byte[] data) throws MalformedMessageException {
        return Codec.decodePeer(data, 0, data.length);
    }

    static PeerMessage decodePeer(String json) throws MalformedMessageException {
        return decodePeer(utf8(json));
    }

    static ControllerMessage decodeController(byte[] data) throws MalformedMessageException {
        return Codec.decodeController(data, 0, data.length);
    }

    static ControllerMessage decodeController(String json) throws MalformedMessageException {
        return decodeController(utf8(json));
    }

    static JsonNode json(String text) {
        try {
            return PLAIN.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The encoding of {@code m} as an editable tree, to derive invalid variants from. */
    static ObjectNode tree(Message m) {
        try {
            return (ObjectNode) PLAIN.readTree(Codec.encode(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return PLAIN.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
