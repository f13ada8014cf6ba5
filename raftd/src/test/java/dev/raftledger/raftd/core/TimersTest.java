package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;

import static dev.raftledger.raftd.core.CoreFixtures.FIVE;
import static dev.raftledger.raftd.core.CoreFixtures.heartbeat;
import static dev.raftledger.raftd.core.CoreFixtures.node;
import static dev.raftledger.raftd.core.CoreFixtures.recipients;
import static dev.raftledger.raftd.core.CoreFixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.RequestVote;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Election timeouts, heartbeats, and the controller's TIMEOUT and CONVERT_FOLLOWER. */
class TimersTest {

    private static void assertElectionDeadline(RaftCore c, long now) {
        long d = c.nextDeadline() - now;
        assertTrue(d >= 200 && d <= 300, "election timeout " + d + " ms outside [200, 300]");
    }

    // ---- timeout distribution ----------------------------------------------------------------------

    /**
     * Draws 10,000 election timeouts the ways the core draws them (at construction, when a
     * timeout starts an election, when a heartbeat arrives) and checks they are uniform over
     * [200, 300] ms: the randomness is what keeps split votes rare.
     */
    @Test
    void electionTimeoutsAreUniformOverTwoToThreeHundredMs() {
        SplittableRandom seeds = new SplittableRandom(20_240_601);
        List<Long> draws = new ArrayList<>();
        RaftCore core = null;
        long now = 0;
        while (draws.size() < 10_000) {
            if (draws.size() % 50 == 0) {
                now += 1_000;
                core = new RaftCore("Node1", FIVE, Timings.SEED, HardState.INITIAL, LogPosition.EMPTY,
                        new SplittableRandom(seeds.nextLong()), now);
            } else if (seeds.nextBoolean()) {
                now = core.nextDeadline();
                Output out = core.tick(now); // the timer fires: a new election, a new timeout
                assertEquals(4, sent(out, RequestVote.class).size());
            } else {
                now += 1 + seeds.nextLong(150);
                core.step(heartbeat(core.term(), "Node2"), now); // a leader's heartbeat resets it
                assertEquals("Node2", core.leader());
            }
            draws.add(core.nextDeadline() - now);
        }

        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long sum = 0;
        int[] buckets = new int[10];
        for (long d : draws) {
            assertTrue(d >= 200 && d <= 300, "timeout " + d + " outside [200, 300]");
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
            buckets[(int) Math.min(9, (d - 200) / 10)]++; // 300 itself falls in the last bucket
        }
        double mean = sum / (double) draws.size();
        assertTrue(min <= 205, "min " + min);
        assertTrue(max >= 295, "max " + max);
        assertTrue(Math.abs(mean - 250) <= 5, "mean " + mean);
        for (int b = 0; b < 10; b++) {
            double share = buckets[b] / (double) draws.size();
            int from = 200 + 10 * b;
            assertTrue(share >= 0.07 && share <= 0.13, "bucket [" + from + ", " + (from + 10) + "): " + share);
        }
    }

    @Test
    void sameSeedDrawsTheSameTimeouts() {
        RaftCore a = new RaftCore("Node1", FIVE, Timings.SEED, HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(9), 0);
        RaftCore b = new RaftCore("Node1", FIVE, Timings.SEED, HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(9), 0);
        for (int i = 0; i < 20; i++) {
            assertEquals(a.nextDeadline(), b.nextDeadline());
            a.tick(a.nextDeadline());
            b.tick(b.nextDeadline());
        }
    }

    @Test
    void customTimingsAreHonoured() {
        Timings t = new Timings(10, 50, 60);
        RaftCore c = new RaftCore("Node1", FIVE, t, HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), 1000);
        long first = c.nextDeadline() - 1000;
        assertTrue(first >= 50 && first <= 60, "timeout " + first);
        for (int i = 0; i < 100; i++) {
            long now = c.nextDeadline();
            c.tick(now);
            long d = c.nextDeadline() - now;
            assertTrue(d >= 50 && d <= 60, "timeout " + d);
        }
    }

    @Test
    void invalidTimingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Timings(0, 200, 300));
        assertThrows(IllegalArgumentException.class, () -> new Timings(100, 100, 300)); // no longer than a heartbeat
        assertThrows(IllegalArgumentException.class, () -> new Timings(100, 300, 200));
        assertEquals(new Timings(100, 200, 300), Timings.SEED);
    }

    // ---- follower -----------------------------------------------------------------------------------

    @Test
    void followerStartsWithAnElectionTimeoutAndDoesNothingBeforeIt() {
        RaftCore f = node("Node1", HardState.INITIAL, 1_000);
        assertElectionDeadline(f, 1_000);
        assertTrue(f.tick(f.nextDeadline() - 1).isEmpty());
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(0, f.term());
    }

    @Test
    void heartbeatResetsTheFollowersTimerAndNamesTheLeader() {
        RaftCore f = node("Node1", HardState.INITIAL, 0);
        long firstDeadline = f.nextDeadline();
        long now = firstDeadline - 10;

        f.step(heartbeat(1, "Node3"), now);

        assertElectionDeadline(f, now);
        assertEquals("Node3", f.leader());
        assertEquals(Role.FOLLOWER, f.role());
        // the old deadline passes without an election
        assertTrue(f.tick(firstDeadline).isEmpty());
        assertEquals(1, f.term());
        assertEquals(30, f.status(now + 30).heartbeatAgeMs());
        assertEquals(1, f.status(now).counters().heartbeatsReceived());
    }

    @Test
    void followerWithoutHeartbeatsStartsAnElectionAtItsDeadline() {
        RaftCore f = node("Node1", new HardState(3, null), 0);
        long deadline = f.nextDeadline();

        Output out = f.tick(deadline);

        assertEquals(Role.CANDIDATE, f.role());
        assertEquals(4, f.term());
        assertEquals(List.of("Node2", "Node3", "Node4", "Node5"), recipients(out));
        assertElectionDeadline(f, deadline);
        assertEquals("no heartbeat from a leader", CoreFixtures.onlyEvent(out, CoreEvent.ElectionStarted.class).reason());
    }

    @Test
    void candidateWithoutAWinnerStartsTheNextElectionAtItsDeadline() {
        RaftCore c = CoreFixtures.candidate(3, 0);
        long deadline = c.nextDeadline();
        assertTrue(c.tick(deadline - 1).isEmpty());

        Output out = c.tick(deadline);

        assertEquals(Role.CANDIDATE, c.role());
        assertEquals(5, c.term());
        assertEquals(new HardState(5, "Node1"), out.hardState());
        assertEquals(4, sent(out, RequestVote.class).size());
        assertEquals("election timed out without a winner",
                CoreFixtures.onlyEvent(out, CoreEvent.ElectionStarted.class).reason());
    }

    // ---- leader -------------------------------------------------------------------------------------

    @Test
    void leaderSendsAHeartbeatToEveryPeerEveryHundredMs() {
        RaftCore l = CoreFixtures.leader(0, 500);
        assertEquals(600, l.nextDeadline());
        assertTrue(l.tick(599).isEmpty());

        Output out = l.tick(600);

        assertEquals(List.of("Node2", "Node3", "Node4", "Node5"), recipients(out));
        // no follower has answered the probe that carried the leader's no-op entry: each is probed
        // at the same point again, with no entries (the smallest AppendEntry; entries follow an answer)
        for (AppendEntry ae : sent(out, AppendEntry.class)) {
            assertEquals(new AppendEntry(1, "Node1", -1, 0, "Node1", List.of(), -1), ae);
        }
        assertNull(out.hardState());
        assertEquals(700, l.nextDeadline());
        assertEquals(Role.LEADER, l.role());
        // 4 on election + 4 now
        assertEquals(8, l.status(600).counters().heartbeatsSent());
    }

    @Test
    void leaderNeverTimesOutOnItsElectionTimer() {
        RaftCore l = CoreFixtures.leader(0, 0);
        for (long t = 100; t <= 5_000; t += 100) {
            assertEquals(t, l.nextDeadline());
            Output out = l.tick(t);
            assertEquals(4, sent(out, AppendEntry.class).size());
            assertEquals(Role.LEADER, l.role());
            assertEquals(1, l.term());
        }
    }

    @Test
    void leaderHeartbeatCarriesItsLastLogPosition() {
        RaftCore c = node("Node1", new HardState(2, null), new LogPosition(7, 2), 0);
        c.forceElection(0);
        c.step(CoreFixtures.ack(3, true, "Node2", "Node1"), 1);
        Output out = c.step(CoreFixtures.ack(3, true, "Node3", "Node1"), 1);
        // the first AppendEntry follows the leader's last entry and carries its no-op entry
        for (AppendEntry ae : sent(out, AppendEntry.class)) {
            assertEquals(new AppendEntry(3, "Node1", 7, 2, "Node1", List.of(new Entry(8, 3, Payload.NOOP)), -1), ae);
        }
    }

    @Test
    void heartbeatAgeIsUnknownBeforeAnyHeartbeatAndCountsFromTheLastSentOneForALeader() {
        RaftCore f = node("Node1", HardState.INITIAL, 0);
        assertEquals(-1, f.status(50).heartbeatAgeMs());
        RaftCore l = CoreFixtures.leader(0, 1_000);
        assertEquals(40, l.status(1_040).heartbeatAgeMs());
    }

    /**
     * protocol.md, STATUS: heartbeat_age_ms is the time since a follower last *received* a
     * heartbeat, null if never. A leader that steps down has received none, so it must not
     * report the age of the last heartbeat it sent as leader.
     */
    @Test
    void deposedLeaderHasNoReceivedHeartbeatAge() {
        RaftCore l = CoreFixtures.leader(0, 1_000);
        l.convertToFollower(1_050);
        assertEquals(Role.FOLLOWER, l.role());
        assertEquals(-1, l.status(1_080).heartbeatAgeMs(), "this follower never received a heartbeat");
    }

    // ---- controller: TIMEOUT ------------------------------------------------------------------------

    @Test
    void forceElectionOnAFollowerStartsAnElectionInTheNextTerm() {
        RaftCore f = node("Node1", new HardState(6, "Node2"), 0);
        f.step(heartbeat(6, "Node2"), 10);

        Output out = f.forceElection(20);

        assertEquals(Role.CANDIDATE, f.role());
        assertEquals(7, f.term());
        assertNull(f.leader());
        assertEquals(new HardState(7, "Node1"), out.hardState());
        assertEquals(4, sent(out, RequestVote.class).size());
        assertEquals(List.of("Node2", "Node3", "Node4", "Node5"), recipients(out));
        assertEquals("controller TIMEOUT", CoreFixtures.onlyEvent(out, CoreEvent.ElectionStarted.class).reason());
        assertElectionDeadline(f, 20);
    }

    @Test
    void forceElectionOnALeaderMakesItACandidateInTheNextTerm() {
        RaftCore l = CoreFixtures.leader(0, 0);

        Output out = l.forceElection(50);

        assertEquals(Role.CANDIDATE, l.role());
        assertEquals(2, l.term());
        assertNull(l.leader());
        assertEquals(new HardState(2, "Node1"), out.hardState());
        assertEquals(4, sent(out, RequestVote.class).size());
        assertElectionDeadline(l, 50);
    }

    // ---- controller: CONVERT_FOLLOWER ---------------------------------------------------------------

    @Test
    void convertToFollowerMakesALeaderStepDownKeepingItsTerm() {
        RaftCore l = CoreFixtures.leader(4, 0);

        Output out = l.convertToFollower(30);

        assertEquals(Role.FOLLOWER, l.role());
        assertEquals(5, l.term());
        assertNull(l.leader(), "it no longer leads, and knows no other leader");
        assertEquals(new HardState(5, "Node1"), l.hardState(), "the term's vote is kept");
        assertTrue(out.messages().isEmpty());
        assertTrue(out.events().contains(new CoreEvent.RoleChanged(5, Role.FOLLOWER)));
        assertElectionDeadline(l, 30);
    }

    @Test
    void convertToFollowerMakesACandidateStepDownKeepingItsTerm() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        c.convertToFollower(30);
        assertEquals(Role.FOLLOWER, c.role());
        assertEquals(5, c.term());
        assertElectionDeadline(c, 30);
    }

    @Test
    void convertToFollowerIsANoOpOnAFollower() {
        RaftCore f = node("Node1", new HardState(5, null), 0);
        f.step(heartbeat(5, "Node2"), 10);
        long deadline = f.nextDeadline();

        Output out = f.convertToFollower(50);

        assertTrue(out.isEmpty());
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(5, f.term());
        assertEquals("Node2", f.leader(), "a follower keeps following its leader");
        assertEquals(deadline, f.nextDeadline(), "and its timer is not reset");
    }
}
