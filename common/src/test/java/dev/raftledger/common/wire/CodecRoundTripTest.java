package dev.raftledger.common.wire;

import static dev.raftledger.common.wire.WireSamples.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** encode -> decode gives back the very message that was encoded, for every type. */
class CodecRoundTripTest {

    static Stream<PeerMessage> peerMessages() {
        return Stream.of(
                WireSamples.REQUEST_VOTE,
                RequestVote.of(Fields.MAX_COUNTER, "node-with.dots_and-dashes", Fields.MAX_COUNTER, Fields.MAX_COUNTER),
                new RequestVote(12, "Node3", 41, 11, "Node3"),
                WireSamples.ACK_GRANTED,
                WireSamples.ACK_DENIED,
                new VoteAck(0, false, "A", "B"),
                WireSamples.APPEND_ENTRY,
                new AppendEntry(99, "Node5", 1234, 98, "Node5"),
                WireSamples.TIMEOUT_NOW,
                WireSamples.INSTALL_SNAPSHOT,
                new InstallSnapshot(1, "N", 0, 1, 0, 0, 0, true, new byte[0]),
                new InstallSnapshot(4, "Node1", 90, 3, 0, 10, 5, false, new byte[] {1},
                        ClusterConfig.ofVoters(java.util.List.of("Node1", "Node3")).withLearner("Node6", "10.0.0.6").toJson()),
                WireSamples.SNAPSHOT_ACK);
    }

    @ParameterizedTest
    @MethodSource("peerMessages")
    void peerMessageSurvivesEncodeDecode(PeerMessage original) throws Exception {
        byte[] wire = Codec.encode(original);
        assertEquals(original, WireSamples.decodePeer(wire));
    }

    static Stream<ControllerMessage> controllerMessages() {
        return Stream.of(
                // the convention's request: every field but request null
                ControllerMessage.request("LEADER_INFO"),
                ControllerMessage.request("TIMEOUT"),
                // an unknown request name is kept so that the node can answer it with an error
                ControllerMessage.request("NO_SUCH_REQUEST"),
                new ControllerMessage("Node3", "LEADER_INFO", 5L, json("\"LEADER\""), json("\"Node2\"")),
                new ControllerMessage("Node3", "LEADER_INFO", 0L, json("\"LEADER\""), null),
                new ControllerMessage("Node3", "STATUS", 5L, json("\"STATUS\""),
                        json("{\"name\":\"Node3\",\"term\":5,\"voted_for\":null,\"counters\":{\"votes_granted\":2}}")),
                new ControllerMessage("Node1", "ERROR", 2L, json("\"MALFORMED\""), json("[1,\"two\",null,{\"x\":[]}]")),
                new ControllerMessage(null, "STORE", null, json("\"expense-1\""), json("{\"amount\":12}")));
    }

    @ParameterizedTest
    @MethodSource("controllerMessages")
    void controllerMessageSurvivesEncodeDecode(ControllerMessage original) throws Exception {
        byte[] wire = Codec.encode(original);
        assertEquals(original, WireSamples.decodeController(wire));
    }

    @Test
    void controllerNullsComeBackAsJavaNullsNotJsonNullNodes() throws Exception {
        ControllerMessage decoded = WireSamples.decodeController(Codec.encode(ControllerMessage.request("LEADER_INFO")));
        assertNull(decoded.term());
        assertNull(decoded.key());
        assertNull(decoded.value());
        assertNull(decoded.keyText());
        assertNull(decoded.valueText());
    }

    @Test
    void nonAsciiTextIsCarriedAsUtf8() throws Exception {
        ControllerMessage original = new ControllerMessage("Node1", "STORE", 1L, json("\"café\""), json("\"€ 12,50 — ok\""));
        byte[] wire = Codec.encode(original);
        assertEquals(original, WireSamples.decodeController(wire));
        // UTF-8 on the wire as the protocol says: the euro sign's three bytes are present
        String asUtf8 = new String(wire, StandardCharsets.UTF_8);
        assertTrue(asUtf8.contains("€"), asUtf8);
    }

    @Test
    void decodeReadsOnlyTheGivenSliceOfTheBuffer() throws Exception {
        // The driver and the client decode packet.getData() with an offset and a length; bytes
        // outside the slice must not be read (they would make the JSON invalid here).
        byte[] message = Codec.encode(WireSamples.APPEND_ENTRY);
        byte[] buffer = new byte[message.length + 20];
        Arrays.fill(buffer, (byte) '}');
        System.arraycopy(message, 0, buffer, 7, message.length);
        assertEquals(WireSamples.APPEND_ENTRY, Codec.decodePeer(buffer, 7, message.length));
        assertEquals(WireSamples.APPEND_ENTRY.term(), Codec.parseObject(buffer, 7, message.length).get("term").longValue());
    }

    @Test
    void encodingIsDeterministic() {
        assertArrayEquals(Codec.encode(WireSamples.REQUEST_VOTE), Codec.encode(RequestVote.of(3, "Node2", -1, 0)));
    }
}
