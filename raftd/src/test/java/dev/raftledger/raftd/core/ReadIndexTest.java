package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Linearizable reads (Raft section 8, ReadIndex): served only after a majority answers a round
 * of heartbeats started after the read arrived, at the commit index noted on arrival.
 */
class ReadIndexTest {

    /** Node1 leading term 1 with its no-op committed (Node2 and Node3 hold it). */
    private static RaftCore leaderWithCommittedNoop() {
        RaftCore l = CoreFixtures.leader(0, 0);
        l.persisted(0, 1);
        l.step(AppendReply.accepted(1, "Node2", "Node1", 0), 2);
        l.step(AppendReply.accepted(1, "Node3", "Node1", 0), 2);
        assertEquals(0, l.commitIndex());
        return l;
    }

    private static long readSeqSent(Output out) {
        List<AppendEntry> sent = CoreFixtures.sent(out, AppendEntry.class);
        assertEquals(4, sent.size(), "a round goes to every follower");
        long seq = sent.get(0).readSeq();
        assertTrue(seq > 0);
        sent.forEach(ae -> assertEquals(seq, ae.readSeq()));
        return seq;
    }

    @Test
    void aReadIsConfirmedByAMajorityAnsweringItsRound() {
        RaftCore l = leaderWithCommittedNoop();
        Output start = l.readIndex(7, 10);
        assertTrue(start.reads().isEmpty(), "not before a majority answered");
        long seq = readSeqSent(start);
        assertTrue(l.step(AppendReply.accepted(1, "Node4", "Node1", 0).withReadSeq(seq), 11).reads().isEmpty());
        Output done = l.step(AppendReply.accepted(1, "Node5", "Node1", 0).withReadSeq(seq), 12);
        assertEquals(List.of(new ReadResult(7, 0, true)), done.reads());
    }

    @Test
    void answersToAnEarlierRoundDoNotConfirmALaterRead() {
        RaftCore l = leaderWithCommittedNoop();
        long first = readSeqSent(l.readIndex(1, 10));
        long second = readSeqSent(l.readIndex(2, 11));
        assertTrue(second > first);
        Output a = l.step(AppendReply.accepted(1, "Node2", "Node1", 0).withReadSeq(first), 12);
        Output b = l.step(AppendReply.accepted(1, "Node3", "Node1", 0).withReadSeq(first), 12);
        assertEquals(List.of(new ReadResult(1, 0, true)), b.reads(), "round 1 confirms read 1 only");
        assertTrue(a.reads().isEmpty());
        Output c = l.step(AppendReply.accepted(1, "Node2", "Node1", 0).withReadSeq(second), 13);
        assertTrue(c.reads().isEmpty());
        Output d = l.step(AppendReply.refused(1, "Node4", "Node1", 5, 1, 0).withReadSeq(second), 13);
        assertEquals(List.of(new ReadResult(2, 0, true)), d.reads(), "a refusal in this term confirms leadership too");
    }

    @Test
    void aNewLeaderWaitsForItsNoopBeforeStartingARound() {
        RaftCore l = CoreFixtures.leader(0, 0);
        Output early = l.readIndex(3, 5);
        assertTrue(early.messages().isEmpty() && early.reads().isEmpty(), "its commit index may still lag");
        l.persisted(0, 6);
        l.step(AppendReply.accepted(1, "Node2", "Node1", 0), 7);
        Output commit = l.step(AppendReply.accepted(1, "Node3", "Node1", 0), 7);
        long seq = readSeqSent(commit);
        l.step(AppendReply.accepted(1, "Node2", "Node1", 0).withReadSeq(seq), 8);
        Output done = l.step(AppendReply.accepted(1, "Node3", "Node1", 0).withReadSeq(seq), 8);
        assertEquals(List.of(new ReadResult(3, 0, true)), done.reads());
    }

    @Test
    void steppingDownRefusesReadsInProgress() {
        RaftCore l = leaderWithCommittedNoop();
        l.readIndex(4, 10);
        Output deposed = l.step(CoreFixtures.heartbeat(5, "Node3"), 11);
        assertEquals(List.of(new ReadResult(4, -1, false)), deposed.reads());
    }

    @Test
    void aFollowerRefusesAtOnceAndEchoesTheLeadersRound() {
        RaftCore f = CoreFixtures.node("Node2", HardState.INITIAL, 0);
        assertEquals(List.of(new ReadResult(9, -1, false)), f.readIndex(9, 1).reads());
        Output out = f.step(new AppendEntry(1, "Node1", -1, 0, "Node1", List.of(), -1, 42), 2);
        assertEquals(42, ((AppendReply) out.messages().get(0).message()).readSeq());
    }

    @Test
    void aOneNodeClusterConfirmsAtOnce() {
        RaftCore solo = new RaftCore("Solo", List.of("Solo"), Timings.SEED, Limits.DEFAULT, HardState.INITIAL,
                List.of(), new SplittableRandom(1), 0);
        solo.tick(solo.nextDeadline());
        solo.persisted(0, 301);
        assertEquals(List.of(new ReadResult(1, 0, true)), solo.readIndex(1, 302).reads());
    }
}
