package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MEMBERS reply as raftd writes it and raftctl reads it (MemberRequestsTest pins raftd's bytes). */
class MembersReplyTest {

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        MembersReply r = new MembersReply("Node1", 7L, true, 41L, List.of(
                new MembersReply.Member("Node1", "10.0.0.11", "voter", 41L, 0L, null, null),
                new MembersReply.Member("Node6", "10.0.0.16", "learner", 30L, 11L, 20L, false)));
        String json = Codec.toJson(r.toJson());
        assertEquals(r, MembersReply.fromJson(new ObjectMapper().readTree(json)));
    }

    @Test
    void theLeadersSessionStampsReadBackAndAreAbsentWhenNotSaid() throws Exception {
        List<MembersReply.Member> one = List.of(new MembersReply.Member("Node1", "10.0.0.11", "voter", 41L, 0L, null, null));
        MembersReply waiting = new MembersReply("Node1", 7L, true, 41L, one,
                new MembersReply.Stamps(false, List.of("Node4", "Node5")));
        String json = Codec.toJson(waiting.toJson());
        assertTrue(json.endsWith(",\"session_stamps\":{\"on\":false,\"waiting_for\":[\"Node4\",\"Node5\"]}}"), json);
        assertEquals(waiting, MembersReply.fromJson(new ObjectMapper().readTree(json)));
        String plain = Codec.toJson(new MembersReply("Node1", 7L, true, 41L, one).toJson());
        assertFalse(plain.contains("session_stamps"), "a follower, or an older raftd: not said");
        assertNull(MembersReply.fromJson(new ObjectMapper().readTree(plain)).stamps());
        assertNull(MembersReply.fromJson(new ObjectMapper().readTree(
                plain.replace("}]}", "}],\"session_stamps\":{\"on\":\"yes\"}}"))).stamps(), "malformed: not said");
    }

    @Test
    void notAMemberListIsNoReply() throws Exception {
        assertNull(MembersReply.fromJson(new ObjectMapper().readTree("{\"leader\":\"Node1\"}")));
        assertNull(MembersReply.fromJson(null));
        assertEquals(List.of(), MembersReply.membersFromJson(new ObjectMapper().readTree("{}")));
    }
}
