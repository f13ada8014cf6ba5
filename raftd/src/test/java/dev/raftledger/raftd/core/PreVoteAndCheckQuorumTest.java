package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pre-vote and check-quorum (Raft thesis 9.6), as raftd runs them (Limits.RECOMMENDED). */
class PreVoteAndCheckQuorumTest {

    private static RaftCore node(String self, long term, long now) {
        return new RaftCore(self, CoreFixtures.FIVE, Timings.SEED, Limits.RECOMMENDED, new HardState(term, null),
                List.of(), new SplittableRandom(self.hashCode()), now);
    }

    /** A follower of Node1 in term 3, its last heartbeat at {@code heardAt}. */
    private static RaftCore follower(String self, long heardAt) {
        RaftCore f = node(self, 3, 0);
        f.step(CoreFixtures.heartbeat(3, "Node1"), heardAt);
        assertEquals("Node1", f.leader());
        return f;
    }

    @Test
    void aTimedOutFollowerAsksForPreVotesWithoutRaisingItsTerm() {
        RaftCore n = node("Node2", 3, 0);
        Output out = n.tick(n.nextDeadline());
        assertEquals(Role.PRE_CANDIDATE, n.role());
        assertEquals(3, n.term(), "the term does not move");
        assertNull(out.hardState(), "nothing to persist");
        List<RequestVote> asks = CoreFixtures.sent(out, RequestVote.class);
        assertEquals(4, asks.size());
        asks.forEach(rv -> assertTrue(rv.preVote() && rv.term() == 4, rv.toString()));
    }

    @Test
    void votersThatHeardTheLeaderRecentlyRefuseAndThoseWhoDidNotGrant() {
        RequestVote ask = RequestVote.preVote(4, "Node2", -1, 0);
        VoteAck refused = CoreFixtures.onlyAck(follower("Node3", 100).step(ask, 200)); // heard 100 ms ago
        assertFalse(refused.granted());
        assertTrue(refused.preVote());
        assertEquals(3, refused.term());
        RaftCore quiet = follower("Node4", 100);
        Output granted = quiet.step(ask, 260); // 160 ms: past the 150 ms lease
        assertTrue(CoreFixtures.onlyAck(granted).granted());
        assertEquals(4, CoreFixtures.onlyAck(granted).term());
        assertNull(granted.hardState(), "a pre-vote changes no term and no vote");
        assertEquals(3, quiet.term());
        assertEquals(new HardState(3, null), quiet.hardState());
    }

    @Test
    void aMajorityOfPreVotesStartsARealElection() {
        RaftCore n = node("Node2", 3, 0);
        n.tick(n.nextDeadline());
        n.step(new VoteAck(4, true, "Node3", "Node2", true), 301);
        Output election = n.step(new VoteAck(4, true, "Node4", "Node2", true), 302);
        assertEquals(Role.CANDIDATE, n.role());
        assertEquals(4, n.term());
        assertEquals(new HardState(4, "Node2"), election.hardState());
        CoreFixtures.sent(election, RequestVote.class).forEach(rv -> assertFalse(rv.preVote()));
    }

    @Test
    void theControllersTimeoutStillForcesARealElection() {
        RaftCore n = follower("Node2", 100);
        Output out = n.forceElection(110);
        assertEquals(Role.CANDIDATE, n.role());
        assertEquals(4, n.term());
        CoreFixtures.sent(out, RequestVote.class).forEach(rv -> assertFalse(rv.preVote()));
    }

    @Test
    void aLeaderThatHearsFromAMajorityStaysLeader() {
        RaftCore l = node("Node1", 0, 0);
        l.forceElection(0);
        l.step(new VoteAck(1, true, "Node2", "Node1"), 1);
        l.step(new VoteAck(1, true, "Node3", "Node1"), 1);
        for (long t = l.nextDeadline(); t < 2_000; t = l.nextDeadline()) {
            l.step(AppendReply.accepted(1, "Node2", "Node1", -1), t);
            l.step(AppendReply.accepted(1, "Node3", "Node1", -1), t);
            l.tick(t);
        }
        assertEquals(Role.LEADER, l.role());
    }
}
