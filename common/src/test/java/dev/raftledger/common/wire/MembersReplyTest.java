package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void notAMemberListIsNoReply() throws Exception {
        assertNull(MembersReply.fromJson(new ObjectMapper().readTree("{\"leader\":\"Node1\"}")));
        assertNull(MembersReply.fromJson(null));
        assertEquals(List.of(), MembersReply.membersFromJson(new ObjectMapper().readTree("{}")));
    }
}
