package dev.raftledger.raftctl.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import dev.raftledger.raftctl.cluster.HealthCommandTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** raftctl member list|add|promote|remove against fake nodes that serve the membership requests. */
class MemberCommandTest extends FakeClusterTest {

    @Test
    void listShowsTheLeadersViewOfEveryMember() throws Exception {
        cluster.electLeader("Node2", 4);
        cluster.log().appendNoop(4);
        cluster.log().members.add("Node6", "127.0.0.26", "learner");
        cluster.log().members.lag("Node6", 3);

        Run run = Run.of(home, cluster.args("member", "list"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of("NAME", "HOST", "ROLE", "MATCH", "LAG", "HEARD", "VERSION"),
                List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).matches("Node1\\s+127\\.0\\.0\\.21\\s+voter\\s+.*\\s+test"), lines.get(1));
        assertTrue(lines.get(6).matches("Node6\\s+127\\.0\\.0\\.26\\s+learner\\s+-3\\s+3\\s+7 ms\\s+-"), lines.get(6));
        assertEquals("configuration of index -1 (committed) from Node2 (leader): 5 voters, 3 needed; 1 learner; "
                + "ready to promote: Node6", lines.get(7));
        assertEquals(1, cluster.node("Node2").received("MEMBERS").size(), "asked the leader");
    }

    @Test
    void listFromOneNodeShowsItsOwnViewAndJsonHasEveryField() throws Exception {
        cluster.electLeader("Node2", 4);

        Run run = Run.of(home, cluster.args("member", "ls", "--node", "Node4", "--json"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(List.of("node", "leader", "config_index", "committed", "last_log_index", "voters", "quorum",
                "members", "versions", "session_stamps"), HealthCommandTest.fields(doc));
        assertEquals("Node4", doc.get("node").asText());
        assertEquals("Node2", doc.get("leader").asText());
        assertEquals(5, doc.get("voters").asInt());
        assertEquals(3, doc.get("quorum").asInt());
        JsonNode first = doc.get("members").get(0);
        assertEquals(List.of("name", "host", "role", "match_index", "lag", "heard_ms", "ready", "version"),
                HealthCommandTest.fields(first));
        assertTrue(first.get("match_index").isNull(), "a follower does not know how far the others are");
        assertEquals(1, cluster.node("Node4").received("MEMBERS").size());
    }

    @Test
    void listShowsEachMembersVersionAndSaysWhenTheyDiffer() throws Exception {
        cluster.electLeader("Node2", 4);
        for (String n : List.of("Node1", "Node2", "Node3")) {
            cluster.node(n).version("0.2.0");
        }
        cluster.node("Node4").version("0.1.0");
        cluster.node("Node5").version("0.1.0");

        Run run = Run.of(home, cluster.args("member", "list"));
        Run json = Run.of(home, cluster.args("member", "list", "--json"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(1).endsWith(" 0.2.0"), lines.get(1));
        assertTrue(lines.get(5).endsWith(" 0.1.0"), lines.get(5));
        assertEquals("mixed versions: Node1-3 0.2.0, Node4-5 0.1.0", lines.get(lines.size() - 1), run.out());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("0.1.0", doc.get("members").get(3).get("version").asText());
        assertEquals("{\"0.2.0\":[\"Node1\",\"Node2\",\"Node3\"],\"0.1.0\":[\"Node4\",\"Node5\"]}",
                doc.get("versions").toString());

        for (String n : List.of("Node4", "Node5")) {
            cluster.node(n).version("0.2.0");
        }
        assertFalse(Run.of(home, cluster.args("member", "list")).out().contains("mixed versions"), "one version: no line");
    }

    @Test
    void listSaysWhetherTheLeaderStampsSessionsAndWhomItWaitsFor() throws Exception {
        cluster.electLeader("Node2", 4);
        assertFalse(Run.of(home, cluster.args("member", "list")).out().contains("session stamps"),
                "not said (an older leader): no line");

        cluster.log().members.stamps(false, "Node4", "Node5");
        Run run = Run.of(home, cluster.args("member", "list"));
        Run json = Run.of(home, cluster.args("member", "list", "--json"));

        List<String> lines = run.out().lines().toList();
        assertEquals("session stamps: off until Node4, Node5 say their release reads them (not heard in this term, or a "
                + "release before 0.2.0); sessions do not expire meanwhile", lines.get(lines.size() - 1), run.out());
        assertEquals("{\"on\":false,\"waiting_for\":[\"Node4\",\"Node5\"]}",
                Codec.readTree(json.out()).get("session_stamps").toString());

        cluster.log().members.stamps(true);
        assertTrue(Run.of(home, cluster.args("member", "list")).out().contains(
                "\nsession stamps: on (the leader stamps its clock into ledger writes, so sessions expire)\n"));
    }

    @Test
    void listWithoutALeaderFails() throws Exception {
        Run run = Run.of(home, cluster.args("member", "list"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("member list: MEMBERS: no leader"), run.err());
    }

    @Test
    void addSendsTheNewLearnerOnceToTheLeader() throws Exception {
        cluster.electLeader("Node3", 5);

        Run run = Run.of(home, cluster.args("member", "add", "Node6", "127.0.0.26"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().strip().matches("added Node6 as a learner at index \\d+, term 5 \\(leader Node3\\); once it "
                + "has caught up: raftctl member promote Node6"), run.out());
        List<ControllerMessage> sent = cluster.received("MEMBER_ADD");
        assertEquals(1, sent.size());
        assertEquals("Node6", sent.get(0).value().get("name").asText());
        assertEquals("127.0.0.26", sent.get(0).value().get("host").asText());
        assertEquals("learner", cluster.log().members.members().get(5).role());
    }

    @Test
    void aRefusalIsReportedWithItsCodeAndExitStatus1() throws Exception {
        cluster.electLeader("Node3", 5);

        Run text = Run.of(home, cluster.args("member", "add", "Node2", "127.0.0.22"));
        Run json = Run.of(home, cluster.args("--json", "member", "add", "Node2", "127.0.0.22"));

        assertEquals(1, text.code());
        assertTrue(text.err().contains("Node3 refused MEMBER_ADD: ALREADY_MEMBER: MEMBER_ADD: Node2 is already a voter"),
                text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(List.of("request", "name", "ok", "index", "term", "node", "members", "error", "message"),
                HealthCommandTest.fields(doc));
        assertTrue(!doc.get("ok").asBoolean());
        assertEquals("ALREADY_MEMBER", doc.get("error").asText());
        assertTrue(doc.get("members").isNull());
    }

    @Test
    void promoteWaitsForTheLearnerToCatchUpWhenAsked() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.log().members.add("Node6", "127.0.0.26", "learner");
        cluster.log().members.lag("Node6", 500);

        Run once = Run.of(home, cluster.args("member", "promote", "Node6"));
        // the next request is refused too, and the learner catches up meanwhile
        cluster.node("Node3").once("MEMBER_PROMOTE", r -> {
            cluster.log().members.lag("Node6", 0);
            return cluster.node("Node3").error("NOT_READY", "MEMBER_PROMOTE: Node6 is not caught up");
        });
        Run waited = Run.of(home, cluster.args("member", "promote", "Node6", "--wait", "5s"));

        assertEquals(1, once.code());
        assertTrue(once.err().contains("NOT_READY"), once.err());
        assertEquals(0, waited.code(), waited.err());
        assertTrue(waited.out().contains("promoted Node6 to voter at index"), waited.out());
        assertTrue(waited.out().contains("voters now: Node1, Node2, Node3, Node4, Node5, Node6"), waited.out());
        assertEquals(3, cluster.received("MEMBER_PROMOTE").size(), "one refused, then refused and accepted");
    }

    @Test
    void removeTakesTheMemberOut() throws Exception {
        cluster.electLeader("Node3", 5);

        Run run = Run.of(home, cluster.args("member", "remove", "Node2"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("removed Node2 at index"), run.out());
        assertTrue(run.out().contains("voters now: Node1, Node3, Node4, Node5"), run.out());
    }

    @Test
    void aChangeWhoseReplyIsLostIsNotSentAgain() throws Exception {
        cluster.electLeader("Node3", 5);
        cluster.node("Node3").once("MEMBER_REMOVE", cluster.node("Node3").loseReply());

        Run run = Run.of(home, cluster.args("member", "remove", "Node2"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("may or may not"), run.err());
        assertEquals(1, cluster.received("MEMBER_REMOVE").size());
    }

    @Test
    void badNamesAndHostsAreUsageErrorsAndNothingIsSent() throws Exception {
        cluster.electLeader("Node3", 5);

        Run host = Run.of(home, cluster.args("member", "add", "Node6", "no such host!"));
        Run name = Run.of(home, cluster.args("member", "remove", "bad name"));
        Run wait = Run.of(home, cluster.args("member", "promote", "Node6", "--wait", "soon"));
        Run none = Run.of(home, cluster.args("member"));

        assertEquals(2, host.code());
        assertTrue(host.err().contains("is not a host name or address"), host.err());
        assertEquals(2, name.code());
        assertEquals(2, wait.code());
        assertTrue(wait.err().contains("--wait must be a duration"), wait.err());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("member subcommands: list, ls, add, promote, remove"), none.err());
        assertTrue(cluster.nothingReceived());
    }
}
