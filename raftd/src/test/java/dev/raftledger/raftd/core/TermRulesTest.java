package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.AppendReply;

import static dev.raftledger.raftd.core.CoreFixtures.ack;
import static dev.raftledger.raftd.core.CoreFixtures.heartbeat;
import static dev.raftledger.raftd.core.CoreFixtures.node;
import static dev.raftledger.raftd.core.CoreFixtures.onlyAck;
import static dev.raftledger.raftd.core.CoreFixtures.onlyEvent;
import static dev.raftledger.raftd.core.CoreFixtures.voteRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raft's term rules (figure 2, "Rules for Servers"): a higher term in any message demotes the
 * receiver to follower in that term; a lower term is refused or ignored.
 */
class TermRulesTest {

    /** Node1 in term 5 in the given role; as follower it knows Node2 as leader of term 5. */
    private static RaftCore inTerm5(Role role) {
        switch (role) {
            case CANDIDATE:
                return CoreFixtures.candidate(4, 0);
            case LEADER:
                return CoreFixtures.leader(4, 0);
            default:
                RaftCore f = node("Node1", new HardState(5, null), 0);
                f.step(heartbeat(5, "Node2"), 0);
                assertEquals("Node2", f.leader());
                return f;
        }
    }

    private record Snapshot(Role role, long term, String leader, HardState hardState, long nextDeadline) {
        static Snapshot of(RaftCore c) {
            return new Snapshot(c.role(), c.term(), c.leader(), c.hardState(), c.nextDeadline());
        }
    }

    // ---- a higher term demotes -------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CANDIDATE", "LEADER"})
    void higherTermRequestVoteMakesItStepDownAdoptTheTermAndVote(Role role) {
        RaftCore c = inTerm5(role);
        Output out = c.step(CoreFixtures.upToDateVoteRequest(9, "Node3"), 50);

        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(9, c.term());
        assertNull(c.leader());
        assertEquals(new VoteAck(9, true, "Node1", "Node3"), onlyAck(out));
        assertEquals(new HardState(9, "Node3"), out.hardState());
        assertEquals(new CoreEvent.RoleChanged(9, Role.FOLLOWER), out.events().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CANDIDATE", "LEADER"})
    void higherTermRequestVoteFromAStaleLogStillDemotesButIsDenied(Role role) {
        // Node1 has a log (last entry index 3, term 4) that the candidate's (10, 2) is behind
        RaftCore withLog = node("Node1", new HardState(4, null), new LogPosition(3, 4), 0);
        withLog.forceElection(0);
        if (role == Role.LEADER) {
            withLog.step(ack(5, true, "Node2", "Node1"), 0);
            withLog.step(ack(5, true, "Node3", "Node1"), 0);
        }
        assertEquals(role, withLog.role());

        Output out = withLog.step(RequestVote.of(9, "Node3", 10, 2), 50);

        assertEquals(Role.FOLLOWER, withLog.role());
        assertEquals(9, withLog.term());
        assertFalse(onlyAck(out).granted());
        assertEquals(9, onlyAck(out).term());
        assertEquals(new HardState(9, null), out.hardState());
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CANDIDATE", "LEADER"})
    void higherTermVoteAckMakesItStepDownWithNoVote(Role role) {
        RaftCore c = inTerm5(role);
        Output out = c.step(ack(9, false, "Node4", "Node1"), 50);

        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(9, c.term());
        assertNull(c.leader());
        assertEquals(new HardState(9, null), out.hardState());
        assertTrue(out.messages().isEmpty());
    }

    @Test
    void higherTermGrantedAckIsNotCountedAsAVote() {
        // a granted ack of a later term cannot be for this election: it demotes, never promotes
        RaftCore c = CoreFixtures.candidate(4, 0);
        c.step(ack(6, true, "Node2", "Node1"), 10);
        c.step(ack(6, true, "Node3", "Node1"), 10);
        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(6, c.term());
        assertEquals(new HardState(6, null), c.hardState());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void higherTermAppendEntryMakesItFollowTheSender(Role role) {
        RaftCore c = inTerm5(role);
        Output out = c.step(heartbeat(9, "Node3"), 50);

        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(9, c.term());
        assertEquals("Node3", c.leader());
        assertEquals(new HardState(9, null), out.hardState());
        // the heartbeat is answered (prev -1 always matches), once the empty append is durable
        AppendReply reply = (AppendReply) out.messages().get(0).message();
        assertEquals(AppendReply.accepted(9, "Node1", "Node3", -1), reply.withIncarnation(0));
        assertEquals(new CoreEvent.LeaderKnown("Node3", 9), onlyEvent(out, CoreEvent.LeaderKnown.class));
    }

    // ---- a lower term is refused or ignored ------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Role.class)
    void lowerTermRequestVoteIsDeniedWithTheReceiversTerm(Role role) {
        RaftCore c = inTerm5(role);
        Snapshot before = Snapshot.of(c);

        Output out = c.step(voteRequest(3, "Node4"), 50);

        assertEquals(new VoteAck(5, false, "Node1", "Node4"), onlyAck(out), "the ack tells the candidate our term");
        assertTrue(onlyEvent(out, CoreEvent.VoteDenied.class).reason().contains("older"));
        assertEquals(before, Snapshot.of(c));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void lowerTermAppendEntryIsRefusedWithOurTermAndChangesNothing(Role role) {
        RaftCore c = inTerm5(role);
        Snapshot before = Snapshot.of(c);
        long staleBefore = c.status(50).counters().staleMessages();

        Output out = c.step(heartbeat(4, "Node3"), 50);

        // the refusal tells the deposed leader our term, so it steps down
        assertEquals(1, out.messages().size(), out.toString());
        AppendReply reply = (AppendReply) out.messages().get(0).message();
        assertFalse(reply.success());
        assertEquals(5, reply.term());
        assertNull(out.hardState());
        assertTrue(out.append().isEmpty() && out.truncateFrom() < 0 && out.events().isEmpty(), out.toString());
        assertEquals(before, Snapshot.of(c), "no state change, no leader change, no timer reset");
        assertEquals(staleBefore + 1, c.status(50).counters().staleMessages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void lowerTermVoteAckIsIgnored(Role role) {
        RaftCore c = inTerm5(role);
        Snapshot before = Snapshot.of(c);

        Output out = c.step(ack(4, true, "Node2", "Node1"), 50);

        assertTrue(out.isEmpty());
        assertEquals(before, Snapshot.of(c));
    }

    // ---- same term --------------------------------------------------------------------------------

    @Test
    void candidateHearingALeaderOfItsOwnTermBecomesItsFollower() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        Output out = c.step(heartbeat(5, "Node2"), 40);

        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(5, c.term());
        assertEquals("Node2", c.leader());
        // the term and its vote (for itself) stand: nothing new to persist
        assertEquals(new HardState(5, "Node1"), c.hardState());
        assertTrue(out.hardState() == null || out.hardState().equals(new HardState(5, "Node1")));
        assertTrue(out.events().contains(new CoreEvent.RoleChanged(5, Role.FOLLOWER)));
        assertTrue(out.events().contains(new CoreEvent.LeaderKnown("Node2", 5)));
        assertTrue(c.nextDeadline() >= 240 && c.nextDeadline() <= 340, "timer reset: " + c.nextDeadline());
    }

    @Test
    void leaderHearingAnotherLeaderOfItsTermReportsAnAnomalyAndChangesNothing() {
        RaftCore c = CoreFixtures.leader(4, 0);
        Snapshot before = Snapshot.of(c);

        Output out = c.step(heartbeat(5, "Node2"), 40);

        CoreEvent.ProtocolAnomaly anomaly = onlyEvent(out, CoreEvent.ProtocolAnomaly.class);
        assertTrue(anomaly.description().contains("two leaders in term 5"), anomaly.description());
        assertEquals(before, Snapshot.of(c));
        assertTrue(out.messages().isEmpty());
    }

    @Test
    void followerLearnsTheLeaderFromAHeartbeatOfItsTermWithoutPersisting() {
        RaftCore f = node("Node1", new HardState(5, "Node4"), 0);
        Output out = f.step(heartbeat(5, "Node2"), 10);
        assertEquals("Node2", f.leader());
        assertNull(out.hardState());
        assertEquals(new HardState(5, "Node4"), f.hardState(), "the vote of the term is kept");
    }

    /**
     * A data dir whose term and vote are older than its log (hand-made, or half restored): the
     * node starts in its log's term with no vote, so that as leader it never appends an entry of
     * a lower term behind entries of a higher one (the event loop used to die on it).
     */
    @Test
    void aPersistedTermBelowTheLogsLastTermStartsAtTheLogsTermWithNoVote() {
        RaftCore solo = new RaftCore("Node1", java.util.List.of("Node1"), Timings.SEED, Limits.DEFAULT,
                new HardState(2, "Node1"), new LogPosition(10, 6), java.util.List.of(),
                new java.util.SplittableRandom(1), 0, 1);
        assertEquals(6, solo.term());
        assertNull(solo.hardState().votedFor(), "the vote was of term 2");
        solo.forceElection(1);
        assertEquals(Role.LEADER, solo.role(), "a one-node cluster elects itself");
        assertEquals(7, solo.term());
        assertEquals(7, solo.entry(solo.lastIndex()).term(), "its no-op follows the snapshot's term 6");

        RaftCore kept = node("Node2", new HardState(8, "Node3"), new LogPosition(4, 6), 0);
        assertEquals(8, kept.term(), "a newer persisted term is kept, with its vote");
        assertEquals("Node3", kept.hardState().votedFor());
    }
}
