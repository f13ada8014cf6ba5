package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Commitment (Raft 5.3, 5.4.2) and the follower's side of AppendEntry, one rule per test. */
class CommitRulesTest {

    private static Entry entry(long index, long term) {
        return new Entry(index, term, Payload.ofJson("{\"i\":" + index + "}"));
    }

    private static RaftCore node(String self, long term, List<Entry> log) {
        return new RaftCore(self, CoreFixtures.FIVE, Timings.SEED, Limits.DEFAULT, new HardState(term, null),
                log, new SplittableRandom(1), 0);
    }

    /** Node1 leading term 3 over a log of entries from terms 1 and 2 (plus its no-op at index 2). */
    private static RaftCore leaderOverOldEntries() {
        RaftCore l = node("Node1", 2, List.of(entry(0, 1), entry(1, 2)));
        l.forceElection(0);
        l.step(CoreFixtures.ack(3, true, "Node2", "Node1"), 1);
        l.step(CoreFixtures.ack(3, true, "Node3", "Node1"), 1);
        assertEquals(Role.LEADER, l.role());
        assertEquals(new Entry(2, 3, Payload.NOOP), l.entry(2), "the new leader's no-op");
        return l;
    }

    @Test
    void aLeaderDoesNotCommitEntriesOfEarlierTermsByCountingReplicas() {
        RaftCore l = leaderOverOldEntries();
        l.persisted(2, 2);
        // a majority (Node1, Node2, Node3) holds index 1, but it is of term 2, not 3: Figure 8
        Output first = l.step(AppendReply.accepted(3, "Node2", "Node1", 1), 3);
        Output second = l.step(AppendReply.accepted(3, "Node3", "Node1", 1), 3);
        assertEquals(-1, l.commitIndex());
        assertTrue(first.apply().isEmpty() && second.apply().isEmpty());
        // once the majority holds the current term's no-op, it and everything before it commit
        l.step(AppendReply.accepted(3, "Node2", "Node1", 2), 4);
        Output commit = l.step(AppendReply.accepted(3, "Node3", "Node1", 2), 4);
        assertEquals(2, l.commitIndex());
        assertEquals(List.of(entry(0, 1), entry(1, 2), new Entry(2, 3, Payload.NOOP)), commit.apply());
    }

    @Test
    void aLeaderCountsItselfOnlyForWhatIsDurableInItsOwnLog() {
        RaftCore l = leaderOverOldEntries();
        l.step(AppendReply.accepted(3, "Node2", "Node1", 2), 3);
        l.step(AppendReply.accepted(3, "Node3", "Node1", 2), 3);
        assertEquals(-1, l.commitIndex(), "two followers hold index 2, but the leader's own copy is not durable yet");
        Output out = l.persisted(2, 4);
        assertEquals(2, l.commitIndex());
        assertEquals(3, out.apply().size());
    }

    @Test
    void aOneNodeClusterCommitsOnceItsOwnLogIsDurable() {
        RaftCore solo = new RaftCore("Solo", List.of("Solo"), Timings.SEED, Limits.DEFAULT, HardState.INITIAL,
                List.of(), new SplittableRandom(1), 0);
        solo.tick(solo.nextDeadline());
        assertEquals(Role.LEADER, solo.role());
        RaftCore.Proposal p = solo.propose(List.of(Payload.ofJson("{\"k\":1}")), 500);
        assertEquals(1, p.entries().get(0).index());
        assertEquals(-1, solo.commitIndex());
        Output out = solo.persisted(1, 501);
        assertEquals(1, solo.commitIndex());
        assertEquals(2, out.apply().size());
    }

    @Test
    void aFollowerCommitsNoFurtherThanWhatThisRequestVerified() {
        RaftCore f = node("Node2", 1, List.of());
        List<Entry> batch = List.of(entry(0, 1), entry(1, 1));
        Output out = f.step(new AppendEntry(1, "Node1", -1, 0, "Node1", batch, 10), 5);
        assertEquals(1, f.commitIndex(), "leader_commit 10, but only 0..1 are known to match");
        assertEquals(batch, out.apply());
        assertEquals(batch, out.append());
        Outbound ack = out.messages().get(0);
        assertEquals(AppendReply.accepted(1, "Node2", "Node1", 1), ((AppendReply) ack.message()).withIncarnation(0));
        assertEquals(1, ack.durableIndex(), "the ack waits for 0..1 to be durable");
    }

    @Test
    void theCommitIndexNeverMovesBack() {
        RaftCore f = node("Node2", 1, List.of());
        f.step(new AppendEntry(1, "Node1", -1, 0, "Node1", List.of(entry(0, 1), entry(1, 1)), 1), 5);
        Output out = f.step(new AppendEntry(1, "Node1", 1, 1, "Node1", List.of(), 0), 6);
        assertEquals(1, f.commitIndex());
        assertTrue(out.apply().isEmpty());
    }

    @Test
    void aConflictingSuffixIsReplacedAndTheDriverToldToTruncate() {
        RaftCore f = node("Node2", 2, List.of(entry(0, 1), entry(1, 1), entry(2, 2)));
        Output out = f.step(new AppendEntry(3, "Node1", 0, 1, "Node1", List.of(entry(1, 3)), 0), 5);
        assertEquals(1, out.truncateFrom());
        assertEquals(List.of(entry(1, 3)), out.append());
        assertEquals(1, f.lastIndex());
        assertEquals(entry(1, 3), f.entry(1));
    }

    @Test
    void entriesAlreadyHeldAreNotAppendedAgainAndLaterOnesAreKept() {
        RaftCore f = node("Node2", 1, List.of(entry(0, 1), entry(1, 1), entry(2, 1)));
        // a delayed, older AppendEntry carrying 1..1 must not cut 2 off (it may be acknowledged already)
        Output out = f.step(new AppendEntry(1, "Node1", 0, 1, "Node1", List.of(entry(1, 1)), -1), 5);
        assertEquals(-1, out.truncateFrom());
        assertTrue(out.append().isEmpty());
        assertEquals(2, f.lastIndex());
        assertEquals(AppendReply.accepted(1, "Node2", "Node1", 1),
                ((AppendReply) out.messages().get(0).message()).withIncarnation(0));
    }

    @Test
    void aFollowerNeverOverwritesACommittedEntry() {
        RaftCore f = node("Node2", 1, List.of());
        f.step(new AppendEntry(1, "Node1", -1, 0, "Node1", List.of(entry(0, 1), entry(1, 1)), 1), 5);
        Output out = f.step(new AppendEntry(2, "Node3", 0, 1, "Node3", List.of(entry(1, 2)), 1), 6);
        assertEquals(entry(1, 1), f.entry(1), "index 1 is committed and stays");
        assertTrue(out.events().stream().anyMatch(e -> e instanceof CoreEvent.ProtocolAnomaly), out.toString());
        assertTrue(out.append().isEmpty());
        assertEquals(-1, out.truncateFrom());
    }

    @Test
    void aRefusalNamesTheConflictSoTheLeaderBacksUpAWholeTermAtOnce() {
        List<Entry> log = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            log.add(entry(i, 1));
        }
        for (int i = 3; i < 8; i++) {
            log.add(entry(i, 2)); // a stale run of term 2 the new leader does not have
        }
        RaftCore f = node("Node2", 2, log);
        Output out = f.step(new AppendEntry(4, "Node1", 7, 4, "Node1", List.of(), -1), 5);
        AppendReply refusal = (AppendReply) out.messages().get(0).message();
        assertFalse(refusal.success());
        assertEquals(7, refusal.rejectIndex());
        assertEquals(2, refusal.conflictTerm());
        assertEquals(3, refusal.conflictIndex(), "the first index of term 2 in the follower's log");

        Output shorter = f.step(new AppendEntry(4, "Node1", 20, 4, "Node1", List.of(), -1), 6);
        AppendReply tooShort = (AppendReply) shorter.messages().get(0).message();
        assertEquals(8, tooShort.conflictIndex(), "a log shorter than prev: resume after its last entry");
        assertEquals(0, tooShort.conflictTerm());
    }

    @Test
    void aFollowerThatLostAcknowledgedEntriesIsRepairedFromWhereItsLogEnds() {
        RaftCore l = leaderOverOldEntries();
        l.persisted(2, 2);
        l.step(AppendReply.accepted(3, "Node2", "Node1", 2).withIncarnation(7), 3); // Node2 holds 0..2
        // Node2 restarts (a new incarnation) with an empty log (a wiped data dir) and refuses
        Output out = l.step(AppendReply.refused(3, "Node2", "Node1", 2, 0, 0).withIncarnation(8), 4);
        assertTrue(out.events().stream().anyMatch(e -> e instanceof CoreEvent.ProtocolAnomaly), out.toString());
        AppendEntry resend = (AppendEntry) out.messages().get(0).message();
        assertEquals(-1, resend.prevLogIndex(), "resent from the start of the log");
        assertEquals(3, resend.entries().size());
        assertEquals(-1, l.status(4).followerMatch().get("Node2"));
    }

    @Test
    void aLateRefusalOfAnOlderTermsRequestChangesNothing() {
        RaftCore l = leaderOverOldEntries();
        l.step(AppendReply.accepted(3, "Node2", "Node1", 2), 3);
        // Node2 refused a request this node sent while it led an earlier term; the refusal
        // carries Node2's current term, which is ours now, and no log information
        Output out = l.step(AppendReply.refused(3, "Node2", "Node1", 1, -1, 0), 4);
        assertTrue(out.messages().isEmpty(), out.toString());
        assertEquals(2, l.status(4).followerMatch().get("Node2"));
    }

    @Test
    void aLateRefusalFromTheSameIncarnationIsNotTakenForLostEntries() {
        RaftCore l = leaderOverOldEntries();
        l.persisted(2, 2);
        // Node2 refused a request whose prev it did not have yet, then received the missing entry
        // and acknowledged it; the network delivers the acknowledgement first
        l.step(AppendReply.accepted(3, "Node2", "Node1", 2).withIncarnation(7), 3);
        Output late = l.step(AppendReply.refused(3, "Node2", "Node1", 2, 2, 0).withIncarnation(7), 4);
        assertTrue(late.events().isEmpty(), "no false alarm: " + late);
        assertTrue(late.messages().isEmpty(), "no wasted resend: " + late);
        assertEquals(2, l.status(4).followerMatch().get("Node2"));
    }
}
