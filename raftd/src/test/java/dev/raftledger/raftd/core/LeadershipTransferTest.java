package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.TimeoutNow;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Leadership transfer (Raft thesis 3.10): TRANSFER_LEADER, and a leader's planned stop. */
class LeadershipTransferTest {

    private static final Payload WRITE = Payload.ofJson("{\"op\":\"noop-test\"}");

    /** Node1, leader of term 2 (elected by Node2 and Node3), its no-op at index 0. */
    private static RaftCore leader() {
        return CoreFixtures.leader(1, 0);
    }

    /** {@code from} acknowledges everything up to {@code match} at {@code now}. */
    private static Output ack(RaftCore leader, String from, long match, long now) {
        return leader.step(AppendReply.accepted(leader.term(), from, leader.name(), match), now);
    }

    private static RaftCore follower(String self, long term, String leader, long now) {
        RaftCore f = new RaftCore(self, CoreFixtures.FIVE, Timings.SEED, Limits.RECOMMENDED,
                new HardState(term, null), List.of(), new SplittableRandom(7), now);
        f.step(CoreFixtures.heartbeat(term, leader), now);
        return f;
    }

    @Test
    void aCaughtUpTargetIsToldToStartItsElectionAtOnce() {
        RaftCore l = leader();
        ack(l, "Node3", l.lastIndex(), 5);
        RaftCore.Transfer t = l.transferLeadership("Node3", 10);
        assertTrue(t.accepted());
        assertEquals("Node3", t.target());
        List<TimeoutNow> sent = CoreFixtures.sent(t.output(), TimeoutNow.class);
        assertEquals(List.of(new TimeoutNow(l.term(), "Node1", "Node3")), sent);
        assertEquals("Node3", l.transferTarget());
        assertEquals(0, CoreFixtures.onlyEvent(t.output(), CoreEvent.TransferStarted.class).lagEntries());
    }

    @Test
    void aLaggingTargetIsCaughtUpFirstThenToldOnce() {
        RaftCore l = leader();
        ack(l, "Node3", l.lastIndex(), 5);
        l.propose(List.of(WRITE, WRITE, WRITE), 6);
        long last = l.lastIndex();
        RaftCore.Transfer t = l.transferLeadership("Node3", 10);
        assertTrue(CoreFixtures.sent(t.output(), TimeoutNow.class).isEmpty(), "not caught up yet");
        assertEquals(3, CoreFixtures.onlyEvent(t.output(), CoreEvent.TransferStarted.class).lagEntries());
        assertEquals(1, CoreFixtures.sent(t.output(), AppendEntry.class).size(),
                "the target hears from the leader at once (the entries themselves are already streaming)");
        Output partly = ack(l, "Node3", last - 1, 12);
        assertTrue(CoreFixtures.sent(partly, TimeoutNow.class).isEmpty(), "one entry still missing");
        Output level = ack(l, "Node3", last, 13);
        assertEquals(1, CoreFixtures.sent(level, TimeoutNow.class).size());
        Output again = ack(l, "Node3", last, 14);
        assertTrue(CoreFixtures.sent(again, TimeoutNow.class).isEmpty(), "not resent within a heartbeat");
        Output later = ack(l, "Node3", last, 14 + Timings.SEED.heartbeatMs());
        assertEquals(1, CoreFixtures.sent(later, TimeoutNow.class).size(), "resent a heartbeat later, if still leader");
    }

    @Test
    void writesAreRefusedDuringATransferAndResumeWhenItIsAbandoned() {
        RaftCore l = leader();
        ack(l, "Node3", l.lastIndex(), 5);
        l.transferLeadership("Node3", 10);
        RaftCore.Proposal refused = l.propose(List.of(WRITE), 11);
        assertTrue(refused.entries().isEmpty(), "the target must catch up with a log that stops growing");
        assertTrue(refused.output().append().isEmpty());
        long giveUpAt = 10 + Timings.SEED.electionMaxMs();
        assertTrue(l.nextDeadline() <= giveUpAt, "the core asks to be woken for the deadline");
        Output before = l.tick(giveUpAt - 1);
        assertEquals("Node3", l.transferTarget());
        assertTrue(before.events().stream().noneMatch(e -> e instanceof CoreEvent.TransferAborted));
        Output abandoned = l.tick(giveUpAt);
        assertEquals("Node3", CoreFixtures.onlyEvent(abandoned, CoreEvent.TransferAborted.class).target());
        assertNull(l.transferTarget());
        assertEquals(Role.LEADER, l.role());
        assertEquals(1, l.propose(List.of(WRITE), giveUpAt + 1).entries().size());
    }

    @Test
    void amongCaughtUpFollowersTheOneWhoseProcessWasKnownLongestIsChosen() {
        RaftCore l = leader();
        l.propose(List.of(WRITE), 1);
        // Node2 (the earlier member) restarted: its new process is first heard at 500
        l.step(AppendReply.accepted(l.term(), "Node2", "Node1", 1).withIncarnation(1), 5);
        l.step(AppendReply.accepted(l.term(), "Node4", "Node1", 1).withIncarnation(1), 6);
        l.step(AppendReply.accepted(l.term(), "Node2", "Node1", 1).withIncarnation(2), 500);
        l.step(AppendReply.accepted(l.term(), "Node4", "Node1", 1).withIncarnation(1), 501);
        assertEquals("Node4", l.transferLeadership(null, 510).target(),
                "Node4's process known since 6, Node2's only since 500");

        RaftCore close = leader();
        close.propose(List.of(WRITE), 1);
        close.step(AppendReply.accepted(close.term(), "Node4", "Node1", 1).withIncarnation(1), 5);
        close.step(AppendReply.accepted(close.term(), "Node2", "Node1", 1).withIncarnation(1), 80);
        assertEquals("Node2", close.transferLeadership(null, 90).target(),
                "known within a heartbeat of each other: the earlier member");
    }

    @Test
    void withoutATargetTheMostUpToDateFollowerInReachIsChosen() {
        RaftCore l = leader();
        l.propose(List.of(WRITE, WRITE), 1);
        ack(l, "Node2", 1, 5);
        ack(l, "Node4", 2, 6);
        ack(l, "Node5", 2, 7);
        assertEquals("Node4", l.transferLeadership(null, 10).target(), "longest log; ties go to the earlier member");
        RaftCore quiet = leader();
        quiet.propose(List.of(WRITE), 1);
        ack(quiet, "Node2", 1, 0); // caught up, but silent since
        ack(quiet, "Node5", 0, 150);
        assertEquals("Node5", quiet.transferLeadership(null, 400).target(),
                "a follower unheard for longer than the longest election timeout may be down");
    }

    @Test
    void refusalsSayWhy() {
        RaftCore f = follower("Node2", 3, "Node1", 0);
        RaftCore.Transfer notLeader = f.transferLeadership(null, 1);
        assertEquals("NOT_LEADER", notLeader.refusal().name());
        assertTrue(notLeader.reason().contains("Node1 is"), notLeader.reason());
        RaftCore l = leader();
        assertEquals("UNKNOWN_NODE", l.transferLeadership("Node9", 1).refusal().name());
        long later = Timings.SEED.electionMaxMs() + 1;
        assertEquals("UNREACHABLE", l.transferLeadership("Node4", later).refusal().name(), "not heard since the election");
        assertEquals("UNREACHABLE", l.transferLeadership(null, later).refusal().name(), "nobody heard from");
        assertNull(l.transferTarget(), "a refused transfer changes nothing");
        RaftCore.Transfer self = l.transferLeadership("Node1", 1);
        assertTrue(self.accepted());
        assertEquals("Node1", self.target());
        assertNull(l.transferTarget(), "already leader: nothing to do");
        assertTrue(self.output().isEmpty());
    }

    @Test
    void timeoutNowStartsARealElectionAtOnceEvenWithPreVote() {
        RaftCore f = follower("Node3", 4, "Node1", 0);
        Output out = f.step(new TimeoutNow(4, "Node1", "Node3"), 20); // far before its timer
        assertEquals(Role.CANDIDATE, f.role());
        assertEquals(5, f.term());
        assertEquals(new HardState(5, "Node3"), out.hardState(), "the vote for itself is persisted first");
        List<RequestVote> asks = CoreFixtures.sent(out, RequestVote.class);
        assertEquals(4, asks.size());
        asks.forEach(rv -> assertFalse(rv.preVote(), "the leader is stepping aside: no pre-vote"));
    }

    @Test
    void timeoutNowFromAnythingButTheCurrentLeaderIsIgnored() {
        RaftCore f = follower("Node3", 4, "Node1", 0);
        assertTrue(f.step(new TimeoutNow(3, "Node1", "Node3"), 20).isEmpty(), "an older term's");
        assertTrue(f.step(new TimeoutNow(4, "Node2", "Node3"), 21).isEmpty(), "not our leader");
        assertTrue(f.step(new TimeoutNow(4, "Node1", "Node4"), 22).isEmpty(), "addressed to another node");
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(4, f.term());
        RaftCore l = leader();
        assertTrue(l.step(new TimeoutNow(l.term(), "Node2", "Node1"), 5).isEmpty(), "a leader never obeys one");
        assertEquals(Role.LEADER, l.role());
    }

    @Test
    void aFiveNodeClusterHandsOverInAboutOneRoundTripAndLosesNothing() {
        CoreCluster c = new CoreCluster(5, 42, CoreCluster.Network.RELIABLE);
        c.runFor(2_000);
        RaftCore old = c.leaders().get(0);
        c.propose(20);
        c.runFor(200);
        long committed = c.committedCount();
        String target = c.members().stream().filter(m -> !m.equals(old.name())).findFirst().orElseThrow();
        long term = old.term();
        long start = c.now();
        assertTrue(c.transferLeadership(old.name(), target).accepted());
        while (c.leaders().isEmpty() || !c.leaders().get(0).name().equals(target)) {
            assertTrue(c.now() - start < Timings.SEED.electionMinMs(), "no hand-over before any timer could fire");
            c.runFor(1);
        }
        long took = c.now() - start;
        // TIMEOUT_NOW, RequestVote and VoteAck: three one-way trips of 1-5 ms, plus an fsync
        assertTrue(took <= 20, "took " + took + " ms");
        assertEquals(term + 1, c.node(target).term(), "one election, no split");
        c.propose(5);
        c.runFor(500);
        assertTrue(c.committedCount() >= committed + 5, "the new leader commits");
        assertEquals(List.of(), c.violations());
        c.checkLogMatching();
    }
}
