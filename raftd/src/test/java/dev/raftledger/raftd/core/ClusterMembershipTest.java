package dev.raftledger.raftd.core;

import static dev.raftledger.raftd.core.CoreFixtures.ack;
import static dev.raftledger.raftd.core.CoreFixtures.heartbeat;
import static dev.raftledger.raftd.core.CoreFixtures.node;
import static dev.raftledger.raftd.core.CoreFixtures.onlyAck;
import static dev.raftledger.raftd.core.CoreFixtures.upToDateVoteRequest;
import static dev.raftledger.raftd.core.CoreFixtures.voteRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who takes part: the single-node cluster, and messages from outside the membership. */
class ClusterMembershipTest {

    // ---- a cluster of one ---------------------------------------------------------------------------

    @Test
    void singleNodeClusterElectsItselfOnTheFirstTimeout() {
        RaftCore solo = new RaftCore("Solo", List.of("Solo"), Timings.SEED, HardState.INITIAL, LogPosition.EMPTY,
                new SplittableRandom(1), 0);
        long deadline = solo.nextDeadline();
        assertTrue(solo.tick(deadline - 1).isEmpty());

        Output out = solo.tick(deadline);

        assertEquals(Role.LEADER, solo.role());
        assertEquals(1, solo.term());
        assertEquals("Solo", solo.leader());
        assertEquals(new HardState(1, "Solo"), out.hardState());
        assertTrue(out.messages().isEmpty(), "nobody to send to");
        assertTrue(out.events().contains(new CoreEvent.LeaderElected(1, 1, 1)));
        assertEquals(deadline + 100, solo.nextDeadline(), "now on the heartbeat timer");
    }

    @Test
    void singleNodeClusterControllerTimeoutReelectsItInANewTerm() {
        RaftCore solo = new RaftCore("Solo", List.of("Solo"), Timings.SEED, new HardState(3, "Solo"),
                LogPosition.EMPTY, new SplittableRandom(1), 0);
        solo.forceElection(10);
        assertEquals(Role.LEADER, solo.role());
        assertEquals(4, solo.term());
    }

    @Test
    void constructorRefusesABadMembership() {
        assertThrows(IllegalArgumentException.class, () -> new RaftCore("Node9", CoreFixtures.FIVE, Timings.SEED,
                HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new RaftCore("Node1", List.of("Node1", "Node2", "Node2"),
                Timings.SEED, HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), 0));
    }

    // ---- non-members --------------------------------------------------------------------------------

    static Stream<Arguments> messagesFromOutsiders() {
        return Stream.of(
                Arguments.of(Named.of("RequestVote from a stranger", voteRequest(9, "Mallory"))),
                Arguments.of(Named.of("VoteAck from a stranger", ack(9, true, "Mallory", "Node1"))),
                Arguments.of(Named.of("RequestVote signed by ourselves", voteRequest(9, "Node1"))),
                Arguments.of(Named.of("AppendEntry signed by ourselves", heartbeat(9, "Node1"))),
                Arguments.of(Named.of("member relaying a stranger's candidacy",
                        new RequestVote(9, "Mallory", -1, 0, "Node2"))),
                Arguments.of(Named.of("member relaying a stranger's leadership",
                        new AppendEntry(9, "Mallory", -1, 0, "Node2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesFromOutsiders")
    void messagesFromNonMembersChangeNothing(PeerMessage message) {
        RaftCore f = node("Node1", new HardState(5, null), 0);
        f.step(heartbeat(5, "Node2"), 0);
        long deadline = f.nextDeadline();

        Output out = f.step(message, 10);

        assertTrue(out.isEmpty(), () -> "expected no effect, got " + out);
        assertEquals(5, f.term());
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals("Node2", f.leader());
        assertEquals(new HardState(5, null), f.hardState());
        assertEquals(deadline, f.nextDeadline());
        assertEquals(1, f.status(10).counters().staleMessages());
    }

    @Test
    void strangersVotesDoNotCountTowardAMajority() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        c.step(ack(5, true, "Node2", "Node1"), 10);
        c.step(ack(5, true, "Mallory", "Node1"), 10);
        c.step(ack(5, true, "Node1", "Node1"), 10); // a forged second vote from itself
        assertEquals(Role.CANDIDATE, c.role());
        c.step(ack(5, true, "Node3", "Node1"), 10);
        assertEquals(Role.LEADER, c.role());
    }

    @Test
    void strangersHigherTermDoesNotDeposeALeader() {
        RaftCore l = CoreFixtures.leader(4, 0);
        l.step(new VoteAck(100, false, "Mallory", "Node1"), 10);
        l.step(voteRequest(100, "Mallory"), 10);
        l.step(RequestVote.preVote(100, "Mallory", 1_000, 99), 10);
        assertEquals(Role.LEADER, l.role());
        assertEquals(5, l.term());
        assertEquals("Node1", l.leader());
    }

    /**
     * A candidate outside this node's configurations whose log reaches past its latest
     * configuration may have been added by one it has not seen (thesis 4.1): it is answered, but
     * only while no leader has been heard within the minimum election timeout (thesis 4.2.3), so
     * a removed or unknown node cannot disrupt a live cluster.
     */
    @Test
    void aStrangerWithALongerLogIsAnsweredOnlyWhenNoLeaderIsHeard() {
        RaftCore f = node("Node1", new HardState(5, null), 0);
        f.step(heartbeat(5, "Node2"), 0);
        Output whileLed = f.step(upToDateVoteRequest(9, "Node6"), Timings.SEED.electionMinMs() - 100);
        assertTrue(whileLed.isEmpty(), () -> "ignored while the leader is heard, got " + whileLed);
        assertEquals(5, f.term());

        Output leaderless = f.step(upToDateVoteRequest(9, "Node6"), Timings.SEED.electionMinMs() + 1);
        assertEquals(9, f.term());
        assertTrue(onlyAck(leaderless).granted(), leaderless.toString());
        assertEquals("Node6", f.hardState().votedFor());

        RaftCore g = node("Node1", new HardState(5, null), 0);
        Output noClaim = g.step(voteRequest(9, "Node6"), Timings.SEED.electionMaxMs() + 1);
        assertTrue(noClaim.isEmpty(), "a stranger whose log holds no newer configuration is ignored: " + noClaim);
    }

    /**
     * A leader need not be in this node's configuration: a node that was away while Node6 was
     * added and promoted, and Node6 elected, must follow Node6 to learn of any of it (thesis 4.1:
     * servers accept AppendEntries from leaders outside their configuration). Only the listener
     * keeps complete strangers out.
     */
    @Test
    void aLeaderOutsideTheConfigurationIsFollowed() {
        RaftCore f = node("Node1", new HardState(5, null), 0);

        Output out = f.step(heartbeat(6, "Node6"), 10);

        assertEquals(6, f.term());
        assertEquals("Node6", f.leader());
        assertEquals(List.of("Node6"), CoreFixtures.recipients(out), "it answers the leader");
    }
}
