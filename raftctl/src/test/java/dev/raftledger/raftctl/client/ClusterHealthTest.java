package dev.raftledger.raftctl.client;

import static dev.raftledger.raftctl.client.ClusterHealth.Kind.BEHIND;
import static dev.raftledger.raftctl.client.ClusterHealth.Kind.CUT_OFF;
import static dev.raftledger.raftctl.client.ClusterHealth.Kind.DOWN;
import static dev.raftledger.raftctl.client.ClusterHealth.Kind.ERROR;
import static dev.raftledger.raftctl.client.ClusterHealth.Kind.NO_SPACE;
import static dev.raftledger.raftctl.client.ClusterHealth.Verdict.DEGRADED;
import static dev.raftledger.raftctl.client.ClusterHealth.Verdict.HEALTHY;
import static dev.raftledger.raftctl.client.ClusterHealth.Verdict.UNHEALTHY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Rounds;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The verdict of {@code health} and {@code watch} ({@link ClusterHealth}), table-driven: one
 * STATUS round built by hand per case, the verdict, which members are degraded and why (by
 * kind), and the exit status with and without --strict.
 */
class ClusterHealthTest {

    private static final ClusterHealth.Limits DEFAULT = ClusterHealth.Limits.DEFAULT;

    /** A STATUS reply: commit and applied indices, heartbeat age (null: never). */
    private static NodeStatus node(String name, String state, long term, String leader, Long heartbeatMs, long commit,
                                   long applied) {
        ObjectNode report = Codec.objectNode();
        report.put("name", name);
        report.put("state", state);
        report.put("term", term);
        report.put("leader", leader);
        return new NodeStatus(name, "10.0.0." + name.charAt(name.length() - 1), true, state, term, leader, heartbeatMs,
                commit, commit, applied, null, report);
    }

    private static NodeStatus follower(String name, String leader, long term, long index) {
        return node(name, "follower", term, leader, 40L, index, index);
    }

    private static NodeStatus leader(String name, long term, long index) {
        return node(name, "leader", term, name, 40L, index, index);
    }

    /** The leader's row with {@code follower_heard_ms}: a number of ms, or null for "not heard in this term". */
    private static NodeStatus heard(NodeStatus leader, Map<String, Long> heardMs) {
        ObjectNode report = leader.report().deepCopy();
        ObjectNode heard = report.putObject("follower_heard_ms");
        heardMs.forEach((peer, ms) -> {
            if (ms == null) {
                heard.putNull(peer);
            } else {
                heard.put(peer, ms);
            }
        });
        return new NodeStatus(leader.name(), leader.address(), true, leader.state(), leader.term(), leader.leader(),
                leader.heartbeatAgeMs(), leader.lastLogIndex(), leader.commitIndex(), leader.appliedIndex(), null, report);
    }

    /** {@code row} with alarms in its STATUS: pairs of member and reason, each a NO_SPACE alarm. */
    private static NodeStatus alarmed(NodeStatus row, String... memberAndReason) {
        ObjectNode report = row.report().deepCopy();
        var alarms = report.putArray("alarms");
        for (int i = 0; i < memberAndReason.length; i += 2) {
            alarms.addObject().put("node", memberAndReason[i]).put("alarm", "NO_SPACE").put("reason", memberAndReason[i + 1]);
        }
        return new NodeStatus(row.name(), row.address(), true, row.state(), row.term(), row.leader(),
                row.heartbeatAgeMs(), row.lastLogIndex(), row.commitIndex(), row.appliedIndex(), null, report);
    }

    private static Map<String, Long> heardMs(Object... nameAndMs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndMs.length; i += 2) {
            m.put((String) nameAndMs[i], nameAndMs[i + 1] == null ? null : ((Number) nameAndMs[i + 1]).longValue());
        }
        return m;
    }

    /** Node1 leads term 7 at index 50; the others follow it in step, except those given instead. */
    private static ClusterStatus ledByNode1(NodeStatus... instead) {
        return ledByNode1At(50, instead);
    }

    /** Node1 leads term 7 at {@code index}; the others follow it in step, except those given instead. */
    private static ClusterStatus ledByNode1At(long index, NodeStatus... instead) {
        List<NodeStatus> rows = new ArrayList<>(List.of(leader("Node1", 7, index), follower("Node2", "Node1", 7, index),
                follower("Node3", "Node1", 7, index), follower("Node4", "Node1", 7, index),
                follower("Node5", "Node1", 7, index)));
        for (NodeStatus n : instead) {
            rows.set(n.name().charAt(n.name().length() - 1) - '1', n);
        }
        return Rounds.round(rows.toArray(new NodeStatus[0]));
    }

    private record Case(String name, ClusterStatus round, ClusterHealth.Limits limits, ClusterHealth.Verdict verdict,
                        Map<String, Set<ClusterHealth.Kind>> degraded, int exit, int strictExit) {}

    private static Map<String, Set<ClusterHealth.Kind>> degraded(Object... nameAndKinds) {
        Map<String, Set<ClusterHealth.Kind>> m = new TreeMap<>();
        for (int i = 0; i < nameAndKinds.length; i += 2) {
            m.put((String) nameAndKinds[i], (Set<ClusterHealth.Kind>) nameAndKinds[i + 1]);
        }
        return m;
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("every member in step", ledByNode1(), DEFAULT, HEALTHY, degraded(), 0, 0));
        c.add(new Case("a pre-candidate that never heard a heartbeat (the moved container)",
                ledByNode1(node("Node4", "pre-candidate", 7, null, null, -1, -1)), DEFAULT, DEGRADED,
                degraded("Node4", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a candidate in a higher term", ledByNode1(node("Node4", "candidate", 9, null, 700L, 50, 50)),
                DEFAULT, DEGRADED, degraded("Node4", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a follower that still names the leader but has not heard it for 5 s",
                ledByNode1(node("Node3", "follower", 7, "Node1", 5_000L, 50, 50)), DEFAULT, DEGRADED,
                degraded("Node3", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a heartbeat 1 s ago is within the default limit",
                ledByNode1(node("Node3", "follower", 7, "Node1", 1_000L, 50, 50)), DEFAULT, HEALTHY, degraded(), 0, 0));
        c.add(new Case("a follower that knows no leader", ledByNode1(node("Node2", "follower", 7, null, 40L, 50, 50)),
                DEFAULT, DEGRADED, degraded("Node2", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a follower naming another leader", ledByNode1(node("Node5", "follower", 7, "Node4", 40L, 50, 50)),
                DEFAULT, DEGRADED, degraded("Node5", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a follower of the leader in an older term", ledByNode1(follower("Node5", "Node1", 6, 50)),
                DEFAULT, DEGRADED, degraded("Node5", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("one-way cut: the leader has not heard from a follower for 4 s",
                ledByNode1(heard(leader("Node1", 7, 50), heardMs("Node2", 4_000, "Node3", 30, "Node4", 31, "Node5", 29))),
                DEFAULT, DEGRADED, degraded("Node2", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("the leader has not heard from a follower in its term",
                ledByNode1(heard(leader("Node1", 7, 50), heardMs("Node2", 12, "Node3", null))),
                DEFAULT, DEGRADED, degraded("Node3", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("far behind: applied 1,001 entries behind the leader's commit",
                ledByNode1At(2_000, node("Node4", "follower", 7, "Node1", 40L, 1_500, 999),
                        follower("Node5", "Node1", 7, 1_990)),
                DEFAULT, DEGRADED, degraded("Node4", EnumSet.of(BEHIND)), 0, 1));
        c.add(new Case("exactly 1,000 behind is within the default limit",
                ledByNode1At(2_000, follower("Node4", "Node1", 7, 1_000)), DEFAULT, HEALTHY,
                degraded(), 0, 0));
        c.add(new Case("the leader itself applying far behind its commit",
                ledByNode1At(5_000, node("Node1", "leader", 7, "Node1", 40L, 5_000, 3_000)),
                DEFAULT, DEGRADED, degraded("Node1", EnumSet.of(BEHIND)), 0, 1));
        c.add(new Case("cut off and far behind at once",
                ledByNode1At(3_000, node("Node4", "pre-candidate", 7, null, null, -1, -1)),
                DEFAULT, DEGRADED, degraded("Node4", EnumSet.of(CUT_OFF, BEHIND)), 0, 1));
        c.add(new Case("tighter limits: 6 entries behind, heartbeat 150 ms ago",
                ledByNode1(follower("Node2", "Node1", 7, 44), node("Node3", "follower", 7, "Node1", 150L, 50, 50)),
                new ClusterHealth.Limits(5, 100), DEGRADED,
                degraded("Node2", EnumSet.of(BEHIND), "Node3", EnumSet.of(CUT_OFF)), 0, 1));
        c.add(new Case("a member out of space: the cluster takes no writes, so exit 1 even without --strict",
                ledByNode1(alarmed(follower("Node3", "Node1", 7, 50), "Node3", "over its quota")), DEFAULT, DEGRADED,
                degraded("Node3", EnumSet.of(NO_SPACE)), 1, 1));
        c.add(new Case("the leader's report of a follower's alarm does not make that follower degraded by itself",
                ledByNode1(alarmed(leader("Node1", 7, 50), "Node3", "its AppendReplies say so")), DEFAULT, HEALTHY,
                degraded(), 0, 0));
        c.add(new Case("out of space without a leader", Rounds.round(alarmed(follower("Node1", null, 8, 50), "Node1", "full"),
                follower("Node2", null, 8, 50), follower("Node3", null, 8, 50), follower("Node4", null, 8, 50),
                follower("Node5", null, 8, 50)), DEFAULT, UNHEALTHY, degraded("Node1", EnumSet.of(NO_SPACE)), 1, 1));
        c.add(new Case("a minority down", ledByNode1(Rounds.down("Node4"), Rounds.down("Node5")), DEFAULT, DEGRADED,
                degraded("Node4", EnumSet.of(DOWN), "Node5", EnumSet.of(DOWN)), 0, 1));
        c.add(new Case("a member answering without a usable STATUS", ledByNode1(Rounds.refusing("Node2", 7)), DEFAULT,
                DEGRADED, degraded("Node2", EnumSet.of(ERROR)), 0, 1));
        c.add(new Case("a majority down", ledByNode1(Rounds.down("Node3"), Rounds.down("Node4"), Rounds.down("Node5")),
                DEFAULT, UNHEALTHY, degraded("Node3", EnumSet.of(DOWN), "Node4", EnumSet.of(DOWN), "Node5", EnumSet.of(DOWN)),
                1, 1));
        c.add(new Case("the leader down: its followers still name it, but nobody can judge them against it",
                ledByNode1(Rounds.down("Node1")), DEFAULT, DEGRADED, degraded("Node1", EnumSet.of(DOWN)), 0, 1));
        c.add(new Case("no leader", Rounds.round(follower("Node1", null, 8, 50), follower("Node2", null, 8, 50),
                node("Node3", "pre-candidate", 8, null, 900L, 50, 50), follower("Node4", null, 8, 50),
                follower("Node5", null, 8, 50)), DEFAULT, UNHEALTHY, degraded(), 1, 1));
        c.add(new Case("two leaders, no majority for either", Rounds.round(leader("Node1", 7, 50),
                follower("Node2", "Node1", 7, 50), leader("Node3", 8, 50), follower("Node4", "Node3", 8, 50),
                Rounds.down("Node5")), DEFAULT, UNHEALTHY, degraded("Node5", EnumSet.of(DOWN)), 1, 1));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> verdicts() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ClusterHealth h = ClusterHealth.judge(c.round(), c.limits());

            assertEquals(c.verdict(), h.verdict(), h.toString());
            Map<String, Set<ClusterHealth.Kind>> found = new TreeMap<>();
            for (ClusterHealth.Member m : h.degraded()) {
                Set<ClusterHealth.Kind> kinds = EnumSet.noneOf(ClusterHealth.Kind.class);
                m.reasons().forEach(r -> kinds.add(r.kind()));
                found.put(m.node(), kinds);
            }
            assertEquals(c.degraded(), found, h.degraded().toString());
            assertEquals(c.exit(), h.exitCode(false), "exit status");
            assertEquals(c.strictExit(), h.exitCode(true), "exit status with --strict");
            assertEquals(c.verdict() != UNHEALTHY, h.healthy(), "healthy: a majority names one leader");
        }));
    }

    @Test
    void anAlarmIsAProblemAndTheMembersReason() {
        ClusterHealth h = ClusterHealth.judge(ledByNode1(alarmed(follower("Node2", "Node1", 7, 50), "Node2",
                "the data dir holds 2.1 GiB, over its quota of 2.0 GiB (--quota-bytes)")), DEFAULT);
        assertEquals(List.of("Node2: no space (the data dir holds 2.1 GiB, over its quota of 2.0 GiB (--quota-bytes))"),
                h.degraded().stream().map(ClusterHealth.Member::text).toList());
        assertEquals(List.of("Node2: NO_SPACE alarm (the data dir holds 2.1 GiB, over its quota of 2.0 GiB "
                + "(--quota-bytes)): the cluster takes no new writes"), h.problems());
        assertTrue(h.outOfSpace());
    }

    @Test
    void eachMemberSaysWhy() {
        ClusterHealth h = ClusterHealth.judge(ledByNode1At(3_000, node("Node4", "pre-candidate", 7, null, null, -1, -1),
                Rounds.down("Node5")), DEFAULT);

        assertEquals(List.of("Node4: cut off (pre-candidate in term 7: it does not hear the leader; has never heard a "
                        + "heartbeat); far behind (3001 entries behind: applied -1, the leader's commit 3000)",
                "Node5: down (no reply within 500 ms)"), h.degraded().stream().map(ClusterHealth.Member::text).toList());
        assertEquals(3001L, h.degraded().get(0).lag());
        assertEquals(null, h.degraded().get(1).lag(), "no lag for a member that did not answer");
    }

    @Test
    void theLeadersViewOfAFollowerIsQuoted() {
        ClusterHealth h = ClusterHealth.judge(ledByNode1(heard(leader("Node1", 7, 50), heardMs("Node2", 4_000,
                "Node3", null))), DEFAULT);

        assertEquals(List.of("Node2: cut off (the leader last heard from it 4000 ms ago)",
                "Node3: cut off (the leader has not heard from it in term 7)"),
                h.degraded().stream().map(ClusterHealth.Member::text).toList());
    }

    @Test
    void theProblemsOfHealthAreAsBefore() {
        ClusterHealth h = ClusterHealth.judge(ledByNode1(Rounds.down("Node4"),
                node("Node2", "follower", 7, null, 40L, 50, 50), follower("Node5", "Node1", 7, 0)), DEFAULT);

        assertEquals(List.of("Node2: knows no leader (term 7)", "Node4: no reply within 500 ms"), h.problems(),
                "only down, leaderless and dissenting nodes, as before; not the lagging one");
    }
}
