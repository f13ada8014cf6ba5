package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.VoteAck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A follower that is behind still hears its leader, and a leader is kept while a majority answers
 * it (issue 10, part 4: leaders stepped down 400 ms after their election, "heard from only 2 of 5
 * voters", while two followers that were behind heard only vote requests and never the leader's
 * large datagrams).
 */
class LaggingFollowerLivenessTest {

    private static final String BIG = "{\"description\":\"" + "x".repeat(400) + "\"}";

    /** Node1 with {@code n} entries of term 1 (about 420 bytes each), elected leader of term 2. */
    private static RaftCore leaderWithLog(int n, Limits limits) {
        List<Entry> log = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            log.add(new Entry(i, 1, Payload.ofJson(BIG)));
        }
        RaftCore l = new RaftCore("Node1", CoreFixtures.FIVE, Timings.SEED, limits, new HardState(1, null), log,
                new SplittableRandom(1), 0);
        l.forceElection(0);
        l.step(new VoteAck(2, true, "Node2", "Node1"), 1);
        l.step(new VoteAck(2, true, "Node3", "Node1"), 1);
        assertEquals(Role.LEADER, l.role());
        return l;
    }

    private static List<AppendEntry> appendsTo(String peer, Output out) {
        return out.messages().stream().filter(o -> o.to().equals(peer)).map(Outbound::message)
                .filter(AppendEntry.class::isInstance).map(AppendEntry.class::cast).toList();
    }

    @Test
    void aFollowerInProbeGetsAnEmptyAppendEntryEveryHeartbeatUntilItAnswers() {
        RaftCore l = leaderWithLog(100, new Limits(2_048, 8, true, true));
        // Node2's log is empty: it refuses the first probe, and the leader backs up to index 0
        Output back = l.step(AppendReply.refused(2, "Node2", "Node1", 99, 0, 0), 10);
        AppendEntry probe = appendsTo("Node2", back).get(0);
        assertEquals(-1, probe.prevLogIndex());
        assertFalse(probe.entries().isEmpty(), "the first probe carries what fits a datagram");
        // that probe (or its answer) is lost: every heartbeat from now on is the smallest message
        for (long t = l.nextDeadline(); t < 1_000; t = l.nextDeadline()) {
            Output out = l.tick(t);
            List<AppendEntry> toNode2 = appendsTo("Node2", out);
            if (toNode2.isEmpty()) {
                continue; // a check-quorum tick
            }
            assertEquals(1, toNode2.size(), out.toString());
            assertEquals(-1, toNode2.get(0).prevLogIndex(), "it probes the same point");
            assertTrue(toNode2.get(0).entries().isEmpty(), "no entries: " + toNode2.get(0));
            // keep the leader a leader: Node3 and Node4 answer
            l.step(AppendReply.accepted(2, "Node3", "Node1", l.lastIndex()), t + 1);
            l.step(AppendReply.accepted(2, "Node4", "Node1", l.lastIndex()), t + 1);
        }
        assertEquals(Role.LEADER, l.role());
        // its answer brings the entries again
        Output resumed = l.step(AppendReply.accepted(2, "Node2", "Node1", -1), 1_001);
        assertFalse(appendsTo("Node2", resumed).get(0).entries().isEmpty());
    }

    @Test
    void aFollowerWithAFullWindowStillGetsAHeartbeatEveryInterval() {
        RaftCore l = leaderWithLog(200, new Limits(2_048, 2, true, true));
        l.step(AppendReply.accepted(2, "Node2", "Node1", 0), 10); // far behind: streamed to, two batches ahead
        long match = 0;
        for (long t = l.nextDeadline(); t < 1_000; t = l.nextDeadline()) {
            Output out = l.tick(t);
            l.step(AppendReply.accepted(2, "Node3", "Node1", l.lastIndex()), t + 1);
            l.step(AppendReply.accepted(2, "Node4", "Node1", l.lastIndex()), t + 1);
            List<AppendEntry> toNode2 = appendsTo("Node2", out);
            if (t % 100 != 0 && toNode2.isEmpty()) {
                continue; // a check-quorum tick between heartbeats
            }
            assertEquals(1, toNode2.size(), out.toString());
            assertTrue(toNode2.get(0).entries().isEmpty(), "a heartbeat, not more catch-up: " + toNode2.get(0));
            // a slow link: Node2 acknowledges one more entry per heartbeat, the window stays full
            l.step(AppendReply.accepted(2, "Node2", "Node1", ++match), t + 1);
        }
        assertEquals(Role.LEADER, l.role());
    }

    @Test
    void batchesCostWhatTheyTakeOnTheWire() {
        String quoted = "{\"k\":\"" + "\\\"".repeat(100) + "\"}"; // 204 quotes and backslashes
        Payload p = Payload.ofJson(quoted);
        List<Entry> log = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            log.add(new Entry(i, 1, p));
        }
        {
            Limits limits = new Limits(2_000, 64, false, false);
            RaftCore l = new RaftCore("Node1", CoreFixtures.FIVE, Timings.SEED, limits, new HardState(1, null), log,
                    new SplittableRandom(1), 0);
            l.forceElection(0);
            l.step(new VoteAck(2, true, "Node2", "Node1"), 1);
            l.step(new VoteAck(2, true, "Node3", "Node1"), 1);
            Output out = l.step(AppendReply.accepted(2, "Node2", "Node1", -1), 2); // REPLICATE from 0
            List<AppendEntry> batches = appendsTo("Node2", out);
            int sent = 0;
            for (AppendEntry ae : batches) {
                int cost = ae.entries().stream().mapToInt(limits::entryCost).sum();
                assertTrue(cost <= limits.maxBatchBytes() || ae.entries().size() == 1, cost + " bytes: " + ae);
                sent += ae.entries().size();
            }
            assertEquals(41, sent, "every entry and the no-op, in batches");
            int perBatch = 2_000 / limits.entryCost(log.get(0));
            assertEquals(perBatch, batches.get(0).entries().size(), "as many as fit");
        }
    }

    @Test
    void snapshotAcknowledgementsCountAsAnswersForCheckQuorum() {
        RaftCore l = leaderWithLog(0, Limits.RECOMMENDED);
        // Node2 answers heartbeats; Node3 is busy receiving a snapshot and answers only its chunks
        for (long t = l.nextDeadline(); t < 3_000; t = l.nextDeadline()) {
            l.tick(t);
            l.step(AppendReply.accepted(2, "Node2", "Node1", l.lastIndex()), t + 1);
            l.step(new SnapshotAck(2, "Node3", "Node1", 40, t * 100), t + 1);
        }
        assertEquals(Role.LEADER, l.role(), "three of five in reach");
        assertEquals(0, l.replicas(3_000).get("Node3").heardAgoMs() / 100, "Node3 heard recently");
        // a snapshot acknowledgement of a newer term deposes this leader, as any answer does
        l.step(new SnapshotAck(3, "Node3", "Node1", 40, 0), 3_001);
        assertEquals(Role.FOLLOWER, l.role());
        assertEquals(3, l.term());
    }

    @Test
    void refusalsAndLateRepliesCountAsAnswersForCheckQuorum() {
        RaftCore l = leaderWithLog(10, Limits.RECOMMENDED);
        for (long t = l.nextDeadline(); t < 3_000; t = l.nextDeadline()) {
            l.tick(t);
            l.step(AppendReply.refused(2, "Node2", "Node1", 3, 0, 0), t + 1); // an old probe's refusal
            l.step(AppendReply.accepted(2, "Node3", "Node1", -1), t + 1);    // a late answer, lower index
        }
        assertEquals(Role.LEADER, l.role());
    }

    @Test
    void aLeaderIsKeptWhileAMajorityAnswersWithinTheLongestElectionTimeout() {
        // on a lossy link two heartbeats in a row may go unanswered: 220 ms between answers
        RaftCore l = leaderWithLog(0, Limits.RECOMMENDED);
        long nextAnswer = 190;
        for (long t = l.nextDeadline(); t < 5_000; t = l.nextDeadline()) {
            if (t >= nextAnswer) {
                l.step(AppendReply.accepted(2, "Node2", "Node1", l.lastIndex()), t);
                l.step(AppendReply.accepted(2, "Node3", "Node1", l.lastIndex()), t);
                nextAnswer = t + 220;
            }
            l.tick(t);
            assertEquals(Role.LEADER, l.role(), "at " + t + " ms");
        }
    }

    @Test
    void aLeaderCutOffFromItsMajorityStepsDownWithinTheLongestElectionTimeoutAndACheck() {
        RaftCore l = leaderWithLog(0, Limits.RECOMMENDED);
        long lastAnswer = 0;
        for (long t = l.nextDeadline(); t < 1_000 && l.role() == Role.LEADER; t = l.nextDeadline()) {
            if (t < 500) {
                l.step(AppendReply.accepted(2, "Node2", "Node1", l.lastIndex()), t);
                l.step(AppendReply.accepted(2, "Node3", "Node1", l.lastIndex()), t);
                lastAnswer = t;
            }
            l.tick(t);
            if (l.role() != Role.LEADER) {
                assertTrue(t > lastAnswer + Timings.SEED.electionMaxMs(), "not before: " + t);
                assertTrue(t <= lastAnswer + Timings.SEED.electionMaxMs() + Timings.SEED.electionMinMs(), "at " + t);
            }
        }
        assertEquals(Role.FOLLOWER, l.role());
    }

    @Test
    void aVoterOfTheCommittedConfigurationIsAnsweredThoughAnUncommittedChangeRemovesIt() {
        // Node3 appended a configuration without Node2 (uncommitted): Node2 may still be needed to
        // commit it (it may campaign, thesis 4.2.2), so Node3 must answer its vote requests
        ClusterConfig five = ClusterConfig.ofVoters(CoreFixtures.FIVE);
        List<Entry> log = List.of(new Entry(0, 1, five.without("Node2").toPayload()));
        RaftCore n3 = new RaftCore("Node3", five, Timings.SEED, Limits.RECOMMENDED, new HardState(1, null),
                LogPosition.EMPTY, log, new SplittableRandom(3), 0, 1);
        Output out = n3.step(RequestVote.of(2, "Node2", 0, 1), 500);
        VoteAck ack = CoreFixtures.onlyAck(out);
        assertTrue(ack.granted(), ack.toString());
        // a node whose removal is committed is still ignored
        List<Entry> committed = List.of(new Entry(0, 1, five.without("Node2").toPayload()));
        RaftCore n4 = new RaftCore("Node4", five, Timings.SEED, Limits.RECOMMENDED, new HardState(1, null),
                LogPosition.EMPTY, committed, new SplittableRandom(4), 0, 1);
        n4.step(new AppendEntry(1, "Node1", 0, 1, "Node1", List.of(), 0, 0), 10); // index 0 committed
        assertTrue(n4.step(RequestVote.of(2, "Node2", 0, 1), 500).messages().isEmpty());
    }
}
