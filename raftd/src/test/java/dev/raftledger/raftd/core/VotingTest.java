package dev.raftledger.raftd.core;

import static dev.raftledger.raftd.core.CoreFixtures.FIVE;
import static dev.raftledger.raftd.core.CoreFixtures.node;
import static dev.raftledger.raftd.core.CoreFixtures.onlyAck;
import static dev.raftledger.raftd.core.CoreFixtures.onlyEvent;
import static dev.raftledger.raftd.core.CoreFixtures.recipients;
import static dev.raftledger.raftd.core.CoreFixtures.sent;
import static dev.raftledger.raftd.core.CoreFixtures.voteRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a node casts its vote: once per term, durably before answering, only for up-to-date logs. */
class VotingTest {

    // ---- one vote per term -------------------------------------------------------------------

    @Test
    void followerThatVotedForNode2DeniesNode3InTheSameTerm() {
        RaftCore voter = node("Node1", new HardState(4, null), 0);

        VoteAck first = onlyAck(voter.step(voteRequest(5, "Node2"), 10));
        assertTrue(first.granted());
        assertEquals(new VoteAck(5, true, "Node1", "Node2"), first);

        Output second = voter.step(voteRequest(5, "Node3"), 20);
        assertEquals(new VoteAck(5, false, "Node1", "Node3"), onlyAck(second));
        CoreEvent.VoteDenied denied = onlyEvent(second, CoreEvent.VoteDenied.class);
        assertEquals("Node3", denied.candidate());
        assertTrue(denied.reason().contains("already voted for Node2"), denied.reason());
        assertEquals(new HardState(5, "Node2"), voter.hardState());
    }

    @Test
    void retriedRequestFromTheSameCandidateIsGrantedAgain() {
        // the candidate's first ack may have been lost: answering its retry "yes" again is safe
        RaftCore voter = node("Node1", new HardState(4, null), 0);
        voter.step(voteRequest(5, "Node2"), 10);
        voter.step(voteRequest(5, "Node3"), 20);

        Output retry = voter.step(voteRequest(5, "Node2"), 30);
        assertEquals(new VoteAck(5, true, "Node1", "Node2"), onlyAck(retry));
        assertEquals(new HardState(5, "Node2"), retry.hardState());
        assertEquals(2, voter.status(30).counters().votesGranted());
        assertEquals(1, voter.status(30).counters().votesDenied());
    }

    @Test
    void voteSurvivesACrashAndRestartFromThePersistedHardState() {
        RaftCore voter = node("Node1", new HardState(4, null), 0);
        HardState disk = voter.step(voteRequest(5, "Node2"), 10).hardState();
        assertEquals(new HardState(5, "Node2"), disk);

        // crash: everything but the disk is lost
        RaftCore restarted = node("Node1", disk, 5_000);
        assertEquals(5, restarted.term());
        assertEquals(Role.FOLLOWER, restarted.role());

        Output toNode3 = restarted.step(voteRequest(5, "Node3"), 5_010);
        assertFalse(onlyAck(toNode3).granted());
        assertTrue(onlyEvent(toNode3, CoreEvent.VoteDenied.class).reason().contains("already voted for Node2"));
        assertTrue(onlyAck(restarted.step(voteRequest(5, "Node2"), 5_020)).granted());
    }

    @Test
    void aNewTermAllowsANewVote() {
        RaftCore voter = node("Node1", new HardState(4, null), 0);
        voter.step(voteRequest(5, "Node2"), 10);
        Output next = voter.step(voteRequest(6, "Node3"), 20);
        assertEquals(new VoteAck(6, true, "Node1", "Node3"), onlyAck(next));
        assertEquals(new HardState(6, "Node3"), next.hardState());
    }

    @Test
    void candidateAndLeaderHaveVotedForThemselves() {
        RaftCore candidate = CoreFixtures.candidate(4, 0);
        Output c = candidate.step(voteRequest(5, "Node2"), 10);
        assertFalse(onlyAck(c).granted());
        assertTrue(onlyEvent(c, CoreEvent.VoteDenied.class).reason().contains("already voted for Node1"));
        assertEquals(Role.CANDIDATE, candidate.role());

        RaftCore leader = CoreFixtures.leader(4, 0);
        assertFalse(onlyAck(leader.step(voteRequest(5, "Node4"), 10)).granted());
        assertEquals(Role.LEADER, leader.role());
    }

    // ---- persist before reply ------------------------------------------------------------------

    @Test
    void everyGrantedAckComesWithTheHardStateThatRecordsIt() {
        RaftCore follower = node("Node1", HardState.INITIAL, 0);
        assertGrantPersisted(follower.step(voteRequest(1, "Node2"), 5));
        assertGrantPersisted(follower.step(voteRequest(1, "Node2"), 6)); // retry
        assertGrantPersisted(follower.step(voteRequest(3, "Node4"), 7)); // skipping a term

        RaftCore leader = CoreFixtures.leader(0, 0);
        assertGrantPersisted(leader.step(CoreFixtures.upToDateVoteRequest(9, "Node5"), 10)); // deposed by the request

        RaftCore candidate = CoreFixtures.candidate(0, 0);
        assertGrantPersisted(candidate.step(voteRequest(2, "Node3"), 10));
    }

    private static void assertGrantPersisted(Output out) {
        VoteAck ack = onlyAck(out);
        assertTrue(ack.granted(), () -> "expected a grant in " + out);
        assertNotNull(out.hardState(), "a granted vote must be persisted before the ack is sent");
        assertEquals(new HardState(ack.term(), ack.to()), out.hardState());
    }

    @Test
    void startingAnElectionPersistsTheNewTermAndSelfVoteWithTheRequests() {
        RaftCore follower = node("Node1", new HardState(7, "Node3"), 0);

        Output out = follower.tick(follower.nextDeadline());

        assertEquals(new HardState(8, "Node1"), out.hardState());
        List<RequestVote> requests = sent(out, RequestVote.class);
        assertEquals(4, requests.size());
        assertEquals(List.of("Node2", "Node3", "Node4", "Node5"), recipients(out));
        for (RequestVote rv : requests) {
            assertEquals(RequestVote.of(8, "Node1", -1, 0), rv);
        }
        CoreEvent.ElectionStarted started = onlyEvent(out, CoreEvent.ElectionStarted.class);
        assertEquals(8, started.term());
    }

    @Test
    void requestVoteCarriesTheCandidatesLastLogPosition() {
        RaftCore c = node("Node1", new HardState(2, null), new LogPosition(7, 2), 0);
        Output out = c.forceElection(0);
        for (RequestVote rv : sent(out, RequestVote.class)) {
            assertEquals(7, rv.lastLogIndex());
            assertEquals(2, rv.lastLogTerm());
            assertEquals("Node1", rv.senderName());
        }
    }

    // ---- log up-to-date restriction (5.4.1) ------------------------------------------------------

    @ParameterizedTest(name = "candidate log ({0},{1}) vs voter (5,3) -> granted={2}")
    @CsvSource({
            "10, 2, false", // longer but with an older last term
            "4,  3, false", // same last term, shorter
            "5,  3, true",  // identical
            "6,  3, true",  // same last term, longer
            "0,  4, true",  // shorter but with a newer last term
            "-1, 0, false"})// empty
    void voterGrantsOnlyToACandidateWhoseLogIsAtLeastAsUpToDate(long index, long term, boolean granted) {
        RaftCore voter = new RaftCore("Node1", FIVE, Timings.SEED, new HardState(3, null), new LogPosition(5, 3),
                new java.util.SplittableRandom(1), 0);

        Output out = voter.step(RequestVote.of(4, "Node2", index, term), 10);

        VoteAck ack = onlyAck(out);
        assertEquals(granted, ack.granted());
        assertEquals(4, ack.term(), "the higher term is adopted either way");
        if (granted) {
            assertEquals(new HardState(4, "Node2"), out.hardState());
        } else {
            assertTrue(onlyEvent(out, CoreEvent.VoteDenied.class).reason().contains("log"));
            // adopted the term, but no vote was cast, so another candidate may still get it
            assertEquals(new HardState(4, null), out.hardState());
            assertTrue(onlyAck(voter.step(RequestVote.of(4, "Node3", 5, 3), 20)).granted());
        }
    }

    @Test
    void deniedVoteDoesNotResetTheElectionTimerButAGrantedOneDoes() {
        RaftCore voter = node("Node1", new HardState(5, null), new LogPosition(5, 3), 0);
        long deadline = voter.nextDeadline();

        voter.step(RequestVote.of(5, "Node2", 0, 1), 100); // stale log: denied
        assertEquals(deadline, voter.nextDeadline());

        voter.step(RequestVote.of(5, "Node2", 5, 3), 150); // granted
        assertTrue(voter.nextDeadline() >= 350 && voter.nextDeadline() <= 450, "deadline " + voter.nextDeadline());
    }
}
