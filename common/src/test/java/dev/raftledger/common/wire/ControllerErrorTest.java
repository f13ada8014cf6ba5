package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The controller's error codes and the ERROR reply, as raftd writes and raftctl reads them. */
class ControllerErrorTest {

    @Test
    void everyCodeRoundTripsThroughTheWireAsAnErrorReply() throws Exception {
        for (ControllerError code : ControllerError.values()) {
            ControllerMessage reply = new Refusal(code, "why " + code).toReply("Node3", 7);
            byte[] bytes = Codec.encode(reply);
            ControllerMessage decoded = Codec.decodeController(bytes, 0, bytes.length);
            assertEquals("ERROR", decoded.request());
            assertEquals(code.name(), decoded.keyText());
            Refusal back = Refusal.from(decoded).orElseThrow();
            assertEquals(Optional.of(code), back.known());
            assertTrue(back.is(code));
            assertEquals(code + ": why " + code, back.describe());
        }
    }

    @Test
    void aCodeThisBuildDoesNotKnowIsKeptAsSent() {
        ControllerMessage reply = new ControllerMessage("Node1", "ERROR", 2L, TextNode.valueOf("QUOTA"),
                TextNode.valueOf("over quota"));
        Refusal r = Refusal.from(reply).orElseThrow();
        assertEquals("QUOTA", r.code());
        assertEquals(Optional.empty(), r.known());
        assertEquals("QUOTA: over quota", r.describe());
        assertEquals("ERROR", new Refusal((String) null, null).describe());
    }

    @Test
    void onlyErrorRepliesAreRefusals() {
        ControllerMessage leaderInfo = new ControllerMessage("Node1", "LEADER_INFO", 2L, TextNode.valueOf("LEADER"),
                TextNode.valueOf("Node1"));
        assertFalse(Refusal.from(leaderInfo).isPresent());
        assertTrue(ReplyKey.LEADER.of(leaderInfo));
        assertFalse(ReplyKey.STATE.of(leaderInfo));
    }

    @Test
    void everyCodeHasAMeaningAndARowInProtocolMd() throws IOException {
        String doc = Files.readString(Path.of("../docs/protocol.md"), StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("### Error replies"), doc.indexOf("### Membership"));
        for (ControllerError code : ControllerError.values()) {
            assertFalse(code.meaning().isBlank(), code.name());
            assertTrue(table.contains("`" + code.name() + "`"), "docs/protocol.md's error table lacks " + code);
            assertEquals(Optional.of(code), ControllerError.fromWire(code.name()));
        }
        assertEquals(Optional.empty(), ControllerError.fromWire("not_leader"), "case-sensitive, as on the wire");
    }
}
