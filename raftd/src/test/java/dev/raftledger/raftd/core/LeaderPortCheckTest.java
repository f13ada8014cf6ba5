package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.RequestVote;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A follower checks its silent leader's port ({@link Limits#checkLeaderPort}) and takes the
 * host's "nothing listens there" as evidence ({@link RaftCore#leaderUnreachable}): when it
 * checks, what counts as evidence, and what the evidence does. The scripts port-check.txt and
 * port-check-stray.txt show the same as whole traces.
 */
class LeaderPortCheckTest {

    private static RaftCore follower(String self, Limits limits, long heardAt) {
        RaftCore f = new RaftCore(self, CoreFixtures.FIVE, Timings.SEED, limits, new HardState(3, null), List.of(),
                new SplittableRandom(self.hashCode()), 0);
        f.step(CoreFixtures.heartbeat(3, "Node1"), heardAt);
        assertEquals("Node1", f.leader());
        return f;
    }

    private static RaftCore follower(String self, long heardAt) {
        return follower(self, Limits.RECOMMENDED, heardAt);
    }

    @Test
    void aHeartbeatLateByATenthOfAnIntervalIsFollowedByAPortCheckThenAnotherEveryQuarter() {
        RaftCore f = follower("Node2", 1_000);
        assertEquals(1_110, f.nextDeadline(), "heartbeat due at 1,100; late at 1,110");
        Output first = f.tick(1_110);
        assertEquals(List.of("Node1"), first.portChecks());
        assertTrue(first.messages().isEmpty(), "a check is not a message: " + first);
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(1_135, f.nextDeadline(), "the next check, if the first was lost");
        assertEquals(List.of("Node1"), f.tick(1_135).portChecks());
        f.step(CoreFixtures.heartbeat(3, "Node1"), 1_140);
        assertEquals(1_250, f.nextDeadline(), "heard again: checks wait for the next late heartbeat");
    }

    @Test
    void withoutTheSettingNoPortIsChecked() {
        Limits plain = new Limits(16 * 1024, 32, true, true);
        RaftCore f = follower("Node2", plain, 1_000);
        assertTrue(f.nextDeadline() >= 1_200, "only the election timer: " + f.nextDeadline());
        assertTrue(f.tick(f.nextDeadline()).portChecks().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Limits(16 * 1024, 32, false, true, true),
                "the evidence only hastens a pre-vote: without pre-vote it is refused");
    }

    @Test
    void anAnswerToACheckStartsTheElectionWithinAQuarterOfAnInterval() {
        RaftCore f = follower("Node2", 1_000);
        f.tick(1_110);
        Output evidence = f.leaderUnreachable("Node1", 1_111);
        CoreEvent.LeaderUnreachable e = CoreFixtures.onlyEvent(evidence, CoreEvent.LeaderUnreachable.class);
        assertEquals("Node1", e.leader());
        assertEquals(111, e.silentMs());
        // Node2 is second of five in term 3's order (Node4, Node5, Node1, Node2, Node3): 5 + 3 * 10 ms
        assertEquals(35, e.electionInMs());
        assertEquals(1_111 + e.electionInMs(), f.nextDeadline());
        Output campaign = f.tick(f.nextDeadline());
        assertEquals(Role.PRE_CANDIDATE, f.role());
        assertEquals(3, f.term(), "a pre-vote first: no term raised on evidence alone");
        assertEquals(4, CoreFixtures.sent(campaign, RequestVote.class).size());
    }

    @Test
    void eachVoterHasItsOwnTurnAndTheOrderTurnsWithTheTerm() {
        java.util.Map<String, Long> delays = new java.util.TreeMap<>();
        for (String self : List.of("Node2", "Node3", "Node4", "Node5")) {
            RaftCore f = follower(self, 1_000);
            f.tick(1_110);
            delays.put(self, CoreFixtures.onlyEvent(f.leaderUnreachable("Node1", 1_110),
                    CoreEvent.LeaderUnreachable.class).electionInMs());
        }
        assertEquals(java.util.Map.of("Node2", 35L, "Node3", 45L, "Node4", 5L, "Node5", 15L), delays,
                "term 3 of 5 voters: Node4 first, Node1's (the dead leader's) slot at 25 ms empty");
    }

    @Test
    void aPreVoteGrantedOnEvidencePutsTheVotersOwnElectionOff() {
        RaftCore f = follower("Node2", 1_000);
        f.tick(1_110);
        f.leaderUnreachable("Node1", 1_110);
        assertEquals(1_145, f.nextDeadline());
        assertTrue(CoreFixtures.onlyAck(f.step(RequestVote.preVote(4, "Node4", -1, 0), 1_116)).granted());
        assertTrue(f.nextDeadline() >= 1_316, "a whole election timeout from the grant: " + f.nextDeadline());
        assertEquals(Role.FOLLOWER, f.role());
    }

    @Test
    void aVoterWithEvidenceGrantsAPreVoteBeforeTheLeaseRunsOutAndOneWithoutRefuses() {
        RequestVote ask = RequestVote.preVote(4, "Node2", -1, 0);
        RaftCore withEvidence = follower("Node3", 1_000);
        withEvidence.tick(1_110);
        withEvidence.leaderUnreachable("Node1", 1_111);
        assertTrue(CoreFixtures.onlyAck(withEvidence.step(ask, 1_115)).granted(), "115 ms after the leader, with evidence");
        RaftCore without = follower("Node4", 1_000);
        assertFalse(CoreFixtures.onlyAck(without.step(ask, 1_115)).granted(), "115 ms: within the 150 ms lease");
    }

    @Test
    void anAnswerCountsOnlyForTheLeaderAfterACheckSentSinceItWasLastHeard() {
        RaftCore f = follower("Node2", 1_000);
        assertTrue(f.leaderUnreachable("Node1", 1_050).isEmpty(), "no check sent: a stray answer");
        f.tick(1_110);
        assertTrue(f.leaderUnreachable("Node3", 1_111).isEmpty(), "not the leader");
        f.step(CoreFixtures.heartbeat(3, "Node1"), 1_112);
        assertTrue(f.leaderUnreachable("Node1", 1_113).isEmpty(), "heard since the check");
        assertEquals(1_222, f.nextDeadline(), "nothing hastened");
        f.tick(1_222);
        assertFalse(f.leaderUnreachable("Node1", 1_223).isEmpty(), "an answer to the check of 1,222");
        assertTrue(f.leaderUnreachable("Node1", 1_224).isEmpty(), "evidence already in");
    }

    @Test
    void aLeaderOfANewerTermCancelsTheEvidence() {
        RaftCore f = follower("Node2", 1_000);
        f.tick(1_110);
        f.leaderUnreachable("Node1", 1_111);
        f.step(CoreFixtures.heartbeat(4, "Node5"), 1_112);
        assertEquals("Node5", f.leader());
        assertEquals(1_222, f.nextDeadline(), "a port check of the new leader when its heartbeat is late, no election");
        RequestVote ask = RequestVote.preVote(5, "Node3", -1, 0);
        assertFalse(CoreFixtures.onlyAck(f.step(ask, 1_120)).granted(), "the lease holds for the new leader");
    }
}
