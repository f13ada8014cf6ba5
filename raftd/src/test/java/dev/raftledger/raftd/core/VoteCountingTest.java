package dev.raftledger.raftd.core;

import static dev.raftledger.raftd.core.CoreFixtures.ack;
import static dev.raftledger.raftd.core.CoreFixtures.node;
import static dev.raftledger.raftd.core.CoreFixtures.recipients;
import static dev.raftledger.raftd.core.CoreFixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which VoteAcks count toward a candidate's majority: only fresh, distinct, addressed grants. */
class VoteCountingTest {

    /**
     * Node1 candidate in term 5 after a failed election in term 4, so that acks of term 4
     * are genuinely stale ones (a lost-then-late answer to the earlier election).
     */
    private static RaftCore candidateInTerm5AfterAnElectionInTerm4() {
        RaftCore c = node("Node1", new HardState(3, null), 0);
        c.forceElection(0);
        assertEquals(4, c.term());
        c.tick(c.nextDeadline()); // the term-4 election times out without a winner
        assertEquals(5, c.term());
        assertEquals(Role.CANDIDATE, c.role());
        return c;
    }

    @Test
    void staleGrantsFromAnEarlierTermDoNotCount() {
        RaftCore c = candidateInTerm5AfterAnElectionInTerm4();
        long now = c.nextDeadline() - 1;

        c.step(ack(4, true, "Node2", "Node1"), now);
        c.step(ack(4, true, "Node3", "Node1"), now);

        // own vote + two stale ones would be a "majority" of 3 out of 5 if they counted
        assertEquals(Role.CANDIDATE, c.role());
        assertEquals(5, c.term());
        assertEquals(2, c.status(now).counters().staleMessages());
    }

    @Test
    void twoCurrentTermGrantsPlusItsOwnVoteWin() {
        RaftCore c = candidateInTerm5AfterAnElectionInTerm4();
        long now = c.nextDeadline() - 1;
        c.step(ack(4, true, "Node2", "Node1"), now);
        c.step(ack(4, true, "Node3", "Node1"), now);

        c.step(ack(5, true, "Node2", "Node1"), now);
        assertEquals(Role.CANDIDATE, c.role(), "two votes of five are not a majority");
        Output win = c.step(ack(5, true, "Node3", "Node1"), now);

        assertEquals(Role.LEADER, c.role());
        assertEquals("Node1", c.leader());
        assertEquals(5, c.term());
        assertEquals(new CoreEvent.LeaderElected(5, 3, 5), CoreFixtures.onlyEvent(win, CoreEvent.LeaderElected.class));
        // a new leader asserts itself at once with a heartbeat to every peer
        assertEquals(List.of("Node2", "Node3", "Node4", "Node5"), recipients(win));
        for (AppendEntry ae : sent(win, AppendEntry.class)) {
            assertEquals(new AppendEntry(5, "Node1", -1, 0, "Node1",
                    List.of(new dev.raftledger.common.wire.Entry(0, 5, dev.raftledger.common.wire.Payload.NOOP)), -1), ae);
        }
    }

    @Test
    void duplicateGrantsFromOneVoterCountOnce() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        for (int i = 0; i < 5; i++) {
            c.step(ack(5, true, "Node2", "Node1"), 10 + i); // duplicated datagrams, retries
        }
        assertEquals(Role.CANDIDATE, c.role());
        c.step(ack(5, true, "Node3", "Node1"), 20);
        assertEquals(Role.LEADER, c.role());
    }

    @Test
    void grantsAddressedToAnotherCandidateDoNotCount() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        c.step(ack(5, true, "Node2", "Node4"), 10);
        c.step(ack(5, true, "Node3", "Node4"), 10);
        c.step(ack(5, true, "Node5", "Node4"), 10);
        assertEquals(Role.CANDIDATE, c.role());
        assertEquals(3, c.status(10).counters().staleMessages());
    }

    @Test
    void deniedAcksDoNotCount() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        for (String voter : List.of("Node2", "Node3", "Node4", "Node5")) {
            Output out = c.step(ack(5, false, voter, "Node1"), 10);
            // a refusal sends nothing and changes no durable state (the third one only
            // brings the next election forward: see LostElectionRetryTest)
            assertTrue(out.messages().isEmpty(), out.toString());
            assertEquals(null, out.hardState());
        }
        assertEquals(Role.CANDIDATE, c.role());
        assertEquals(5, c.term());
    }

    @Test
    void acksAfterBecomingLeaderChangeNothing() {
        RaftCore c = CoreFixtures.leader(4, 0);
        long deadline = c.nextDeadline();
        for (VoteAckCase late : List.of(new VoteAckCase("Node4", true), new VoteAckCase("Node5", false),
                new VoteAckCase("Node2", true))) {
            Output out = c.step(ack(5, late.granted(), late.from(), "Node1"), 30);
            assertTrue(out.isEmpty(), () -> "late ack had an effect: " + out);
        }
        assertEquals(Role.LEADER, c.role());
        assertEquals(5, c.term());
        assertEquals(deadline, c.nextDeadline());
        assertEquals(1, c.status(30).counters().electionsWon());
    }

    private record VoteAckCase(String from, boolean granted) {}

    @Test
    void grantsReceivedBeforeSteppingDownDoNotCarryIntoALaterElection() {
        RaftCore c = CoreFixtures.candidate(4, 0);
        c.step(ack(5, true, "Node2", "Node1"), 10);
        c.convertToFollower(20);
        c.step(ack(5, true, "Node3", "Node1"), 30); // a follower counts nothing
        assertEquals(Role.FOLLOWER, c.role());

        c.forceElection(40); // term 6: Node2's term-5 grant is history
        c.step(ack(6, true, "Node3", "Node1"), 50);
        assertEquals(Role.CANDIDATE, c.role());
        c.step(ack(6, true, "Node2", "Node1"), 60);
        assertEquals(Role.LEADER, c.role());
    }

    @Test
    void fourNodeClusterNeedsThreeVotes() {
        RaftCore c = new RaftCore("A", List.of("A", "B", "C", "D"), Timings.SEED, HardState.INITIAL,
                LogPosition.EMPTY, new SplittableRandom(3), 0);
        c.forceElection(0);
        c.step(ack(1, true, "B", "A"), 5);
        assertEquals(Role.CANDIDATE, c.role(), "2 of 4 is a tie, not a majority");
        c.step(ack(1, true, "C", "A"), 6);
        assertEquals(Role.LEADER, c.role());
    }
}
