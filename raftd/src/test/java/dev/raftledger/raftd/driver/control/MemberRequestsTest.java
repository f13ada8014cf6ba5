package dev.raftledger.raftd.driver.control;

import static dev.raftledger.raftd.driver.control.LeadingNodeFixture.SOLO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import org.junit.jupiter.api.Test;

/**
 * The membership requests as the controller handler and the applier serve them, on a one-voter
 * cluster (a change commits as soon as the leader's own log is durable): MEMBERS from any node,
 * changes on the leader only, answered once committed, refusals answered at once.
 */
class MemberRequestsTest {

    /**
     * The only voter leading, with the default session TTL (so MEMBERS says whom the leader's
     * stamps wait for).
     */
    private static LeadingNodeFixture leader() {
        LeadingNodeFixture n = LeadingNodeFixture.builder().sessionTtl(Ledger.DEFAULT_SESSION_TTL_MS).build();
        assertEquals(0, n.core.commitIndex(), "its no-op committed");
        return n;
    }

    private static ObjectNode member(String name, String host) {
        ObjectNode v = Codec.objectNode();
        v.put("name", name);
        if (host != null) {
            v.put("host", host);
        }
        return v;
    }

    @Test
    void anAddIsAnsweredOnceCommittedWithTheNewMembers() {
        LeadingNodeFixture n = leader();

        ControllerMessage later = n.ask("MEMBER_ADD", member("Node2", "127.0.0.2"));

        assertNull(later, "answered once the entry commits");
        ControllerMessage reply = n.lastSent();
        assertEquals("MEMBER_ADD", reply.request());
        assertEquals("COMMITTED", reply.keyText());
        assertEquals(1, reply.value().get("index").asLong());
        JsonNode added = reply.value().get("members").get(1);
        assertEquals("Node2", added.get("name").asText());
        assertEquals("127.0.0.2", added.get("host").asText());
        assertEquals("learner", added.get("role").asText());
        assertTrue(n.core.config().isMember("Node2"));
        assertEquals(1, n.core.commitIndex());
    }

    @Test
    void membersListsTheConfigurationWithTheLeadersViewOfEachMember() {
        LeadingNodeFixture n = leader();
        n.ask("MEMBER_ADD", member("Node2", "127.0.0.2"));

        ControllerMessage reply = n.ask("MEMBERS", null);

        assertEquals("MEMBERS", reply.request());
        JsonNode v = reply.value();
        assertEquals("Solo", v.get("leader").asText());
        assertEquals(1, v.get("config_index").asLong());
        assertTrue(v.get("committed").asBoolean());
        JsonNode solo = v.get("members").get(0);
        assertEquals("voter", solo.get("role").asText());
        assertEquals(1, solo.get("match_index").asLong());
        assertEquals(0, solo.get("lag").asLong());
        JsonNode learner = v.get("members").get(1);
        assertEquals(-1, learner.get("match_index").asLong(), "it has not answered yet");
        assertEquals(2, learner.get("lag").asLong());
        assertTrue(learner.get("heard_ms").isNull());
        assertTrue(!learner.get("ready").asBoolean(), "not ready to be promoted");
    }

    @Test
    void refusalsAreAnsweredAtOnceWithTheirCode() {
        LeadingNodeFixture n = leader();
        assertEquals("ALREADY_MEMBER", n.ask("MEMBER_ADD", member("Solo", "127.0.0.9")).keyText());
        assertEquals("UNKNOWN_NODE", n.ask("MEMBER_REMOVE", member("Node9", null)).keyText());
        assertEquals("LAST_VOTER", n.ask("MEMBER_REMOVE", member("Solo", null)).keyText());
        assertEquals("ALREADY_VOTER", n.ask("MEMBER_PROMOTE", member("Solo", null)).keyText());
        ControllerMessage noHost = n.ask("MEMBER_ADD", member("Node2", null));
        assertEquals("ERROR", noHost.request());
        assertEquals("MALFORMED", noHost.keyText());
        assertEquals("MALFORMED", n.ask("MEMBER_ADD", member("Node2", "not a host")).keyText());
        assertEquals("MALFORMED", n.ask("MEMBER_REMOVE", null).keyText());
        n.ask("MEMBER_ADD", member("Node2", "127.0.0.2"));
        ControllerMessage notReady = n.ask("MEMBER_PROMOTE", member("Node2", null));
        assertEquals("NOT_READY", notReady.keyText());
        assertTrue(notReady.valueText().contains("has not answered"), notReady.valueText());
        assertEquals(SOLO.withLearner("Node2", "127.0.0.2"), n.core.config(), "nothing else changed");
    }

    @Test
    void aFollowerAnswersMembersItselfAndSendsChangesToTheLeader() {
        LeadingNodeFixture f = LeadingNodeFixture.builder().follower("Node2", SOLO.withLearner("Node2", "127.0.0.2"))
                .sessionTtl(Ledger.DEFAULT_SESSION_TTL_MS).build();
        f.run(f.core.step(dev.raftledger.common.wire.AppendEntry.heartbeat(1, "Solo", -1, 0), f.now));

        ControllerMessage change = f.ask("MEMBER_REMOVE", member("Solo", null));
        ControllerMessage members = f.ask("MEMBERS", null);

        assertEquals("LEADER_INFO", change.request());
        assertEquals("Solo", change.valueText());
        assertEquals("MEMBERS", members.request());
        assertEquals("Solo", members.value().get("leader").asText());
        assertEquals(-1, members.value().get("config_index").asLong(), "the starting list");
        JsonNode self = members.value().get("members").get(1);
        assertEquals("learner", self.get("role").asText());
        assertTrue(self.get("match_index").isNull(), "only the leader knows how far members are");
        assertTrue(self.get("ready").isNull());
    }

    /**
     * The MEMBERS reply and a committed change's reply byte for byte as raftd sent them before
     * the typed reply (issue 12), captured from the old builder: the wire does not change, but for
     * the leader's {@code session_stamps} added at the end in 0.2.0 (here it waits for the
     * learner, not heard from yet).
     */
    @Test
    void theMembershipRepliesAreTheSameBytesAsBeforeTheTypedReply() {
        LeadingNodeFixture n = leader();
        n.ask("MEMBER_ADD", member("Node2", "127.0.0.2"));
        assertEquals(GOLDEN_COMMITTED, new String(Codec.encode(n.lastSent()), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(GOLDEN_MEMBERS, new String(Codec.encode(n.ask("MEMBERS", null)), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final String GOLDEN_COMMITTED = "{\"sender_name\":\"Solo\",\"request\":\"MEMBER_ADD\",\"term\":1,\"key\":\"COMMITTED\",\"value\":{\"index\":1,\"term\":1,\"members\":[{\"name\":\"Solo\",\"host\":\"127.0.0.9\",\"role\":\"voter\",\"match_index\":null,\"lag\":null,\"heard_ms\":null,\"ready\":null},{\"name\":\"Node2\",\"host\":\"127.0.0.2\",\"role\":\"learner\",\"match_index\":null,\"lag\":null,\"heard_ms\":null,\"ready\":null}]}}";
    private static final String GOLDEN_MEMBERS = "{\"sender_name\":\"Solo\",\"request\":\"MEMBERS\",\"term\":1,\"key\":\"MEMBERS\",\"value\":{\"leader\":\"Solo\",\"config_index\":1,\"committed\":true,\"last_log_index\":1,\"members\":[{\"name\":\"Solo\",\"host\":\"127.0.0.9\",\"role\":\"voter\",\"match_index\":1,\"lag\":0,\"heard_ms\":null,\"ready\":null},{\"name\":\"Node2\",\"host\":\"127.0.0.2\",\"role\":\"learner\",\"match_index\":-1,\"lag\":2,\"heard_ms\":null,\"ready\":false}],\"session_stamps\":{\"on\":false,\"waiting_for\":[\"Node2\"]}}}";
}
