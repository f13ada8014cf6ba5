package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A candidate that can no longer win (a majority refused) retries after 25-100 ms instead of
 * a whole 200-300 ms election timeout; one that can still win keeps its timer.
 */
class LostElectionRetryTest {

    @Test
    void threeRefusalsOfFiveBringTheNextElectionForward() {
        RaftCore c = CoreFixtures.candidate(4, 1_000); // candidate in term 5 at t=1000
        long term = c.term();
        long before = c.nextDeadline();
        c.step(CoreFixtures.ack(term, false, "Node2", "Node1"), 1_010);
        c.step(CoreFixtures.ack(term, false, "Node3", "Node1"), 1_011);
        assertEquals(before, c.nextDeadline(), "two refusals: a majority (self + Node4 + Node5) is still possible");
        Output out = c.step(CoreFixtures.ack(term, false, "Node4", "Node1"), 1_012);
        long retryIn = c.nextDeadline() - 1_012;
        assertTrue(retryIn >= 25 && retryIn <= 100, "retry in " + retryIn + " ms");
        CoreEvent.ElectionLost lost = CoreFixtures.onlyEvent(out, CoreEvent.ElectionLost.class);
        assertEquals(term, lost.term());
        assertEquals(3, lost.refusals());
        assertEquals(Role.CANDIDATE, c.role(), "it stays a candidate until the retry fires");
        Output retry = c.tick(c.nextDeadline());
        assertEquals(term + 1, c.term(), "the retry is a new election in the next term");
        assertEquals(4, CoreFixtures.sent(retry, dev.raftledger.common.wire.RequestVote.class).size());
    }

    @Test
    void aRepeatedRefusalFromTheSameVoterCountsOnce() {
        RaftCore c = CoreFixtures.candidate(0, 0);
        long before = c.nextDeadline();
        for (int i = 0; i < 5; i++) {
            c.step(CoreFixtures.ack(c.term(), false, "Node2", "Node1"), 10 + i);
            c.step(CoreFixtures.ack(c.term(), false, "Node3", "Node1"), 10 + i);
        }
        assertEquals(before, c.nextDeadline());
    }

    @Test
    void refusalsFromAnEarlierElectionDoNotCount() {
        RaftCore c = CoreFixtures.candidate(0, 0); // term 1
        c.step(CoreFixtures.ack(1, false, "Node2", "Node1"), 5);
        c.step(CoreFixtures.ack(1, false, "Node3", "Node1"), 6);
        c.tick(c.nextDeadline()); // term 2: a new election, refusals start over
        long before = c.nextDeadline();
        long now = before - 150;
        c.step(CoreFixtures.ack(1, false, "Node4", "Node1"), now);
        c.step(CoreFixtures.ack(2, false, "Node2", "Node1"), now);
        c.step(CoreFixtures.ack(2, false, "Node3", "Node1"), now);
        assertEquals(before, c.nextDeadline(), "2 current refusals + 1 stale one do not lose term 2");
    }
}
