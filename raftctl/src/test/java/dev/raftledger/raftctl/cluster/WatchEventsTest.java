package dev.raftledger.raftctl.cluster;

import static dev.raftledger.raftctl.Rounds.down;
import static dev.raftledger.raftctl.Rounds.led;
import static dev.raftledger.raftctl.Rounds.refusing;
import static dev.raftledger.raftctl.Rounds.round;
import static dev.raftledger.raftctl.Rounds.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.cluster.WatchEvent.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchEventsTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private static List<String> texts(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::text).toList();
    }

    @Test
    void theFirstRoundNamesTheLeaderAndTheNodesThatDoNotAnswer() {
        ClusterStatus first = round(up("Node1", "leader", 3, "Node1"), up("Node2", "follower", 3, "Node1"),
                down("Node3"), refusing("Node4", 3), up("Node5", "follower", 3, "Node1"));

        List<WatchEvent> events = WatchEvents.diff(null, first, T);

        assertEquals(List.of("leader is Node1 (term 3)", "Node3 not answering: no reply within 500 ms",
                "Node4 not answering: refused: UNKNOWN_REQUEST: no STATUS here"), texts(events));
        assertEquals(List.of(Kind.LEADER_ELECTED, Kind.NODE_LOST, Kind.NODE_LOST),
                events.stream().map(WatchEvent::kind).toList());
        assertEquals("Node1", events.get(0).node());
        assertEquals(3L, events.get(0).term());
        assertTrue(events.stream().allMatch(e -> e.time().equals(T)));
    }

    @Test
    void nothingChangedNothingReported() {
        assertEquals(List.of(), WatchEvents.diff(led("Node1", 3), led("Node1", 3), T));
    }

    @Test
    void aLeaderChangeIsOneLeaderEventAndTheOldLeadersStepDown() {
        List<WatchEvent> events = WatchEvents.diff(led("Node1", 3), led("Node2", 4), T);

        // Node2's own follower -> leader is not repeated; Node1's step-down is news
        assertEquals(List.of("leader changed: Node1 -> Node2 (term 4)", "Node1: leader -> follower (term 4)"),
                texts(events));
        assertEquals(Kind.LEADER_CHANGED, events.get(0).kind());
        assertEquals("Node2", events.get(0).node());
        assertEquals(4L, events.get(0).term());
        assertEquals(Kind.STATE_CHANGED, events.get(1).kind());
    }

    @Test
    void theSameLeaderInANewTermIsReElected() {
        assertEquals(List.of("Node1 re-elected leader (term 5)"), texts(WatchEvents.diff(led("Node1", 3), led("Node1", 5), T)));
    }

    @Test
    void aNodeLostAndBack() {
        ClusterStatus all = led("Node1", 3);
        ClusterStatus without3 = round(up("Node1", "leader", 3, "Node1"), up("Node2", "follower", 3, "Node1"),
                down("Node3"), up("Node4", "follower", 3, "Node1"), up("Node5", "follower", 3, "Node1"));

        List<WatchEvent> lost = WatchEvents.diff(all, without3, T);
        List<WatchEvent> back = WatchEvents.diff(without3, all, T);

        assertEquals(List.of("Node3 lost: no reply within 500 ms"), texts(lost));
        assertEquals(Kind.NODE_LOST, lost.get(0).kind());
        assertEquals("Node3", lost.get(0).node());
        assertEquals(List.of("Node3 back: follower, term 3"), texts(back));
        assertEquals(Kind.NODE_BACK, back.get(0).kind());
    }

    @Test
    void anErrorReplyCountsAsLost() {
        ClusterStatus refused = round(up("Node1", "leader", 3, "Node1"), refusing("Node2", 3),
                up("Node3", "follower", 3, "Node1"), up("Node4", "follower", 3, "Node1"), up("Node5", "follower", 3, "Node1"));

        assertEquals(List.of("Node2 lost: refused: UNKNOWN_REQUEST: no STATUS here"),
                texts(WatchEvents.diff(led("Node1", 3), refused, T)));
    }

    @Test
    void theLeaderLostAndAnElectionStartedByOneCandidate() {
        ClusterStatus electing = round(down("Node1"), up("Node2", "candidate", 4, null),
                up("Node3", "follower", 4, null), up("Node4", "follower", 3, null), up("Node5", "follower", 3, null));

        List<WatchEvent> events = WatchEvents.diff(led("Node1", 3), electing, T);

        // Node2's follower -> candidate is the election event; nobody names a leader any more
        assertEquals(List.of("leader lost: Node1 (term 3) is no longer agreed: no answering node knows a leader",
                "Node2 started an election (term 4)", "Node1 lost: no reply within 500 ms"), texts(events));
        assertEquals(List.of(Kind.LEADER_LOST, Kind.ELECTION_STARTED, Kind.NODE_LOST),
                events.stream().map(WatchEvent::kind).toList());
        assertEquals("Node2", events.get(1).node());
        assertEquals(4L, events.get(1).term());
        assertEquals(4L, events.get(0).term(), "the leader was lost in the highest term now known");
    }

    @Test
    void aSplitVoteNamesEveryCandidateAndATermWithoutCandidatesSaysSo() {
        ClusterStatus split = round(up("Node1", "candidate", 4, null), up("Node2", "candidate", 4, null),
                up("Node3", "follower", 4, null), up("Node4", "follower", 4, null), up("Node5", "follower", 4, null));
        ClusterStatus quiet = round(up("Node1", "follower", 5, null), up("Node2", "follower", 5, null),
                up("Node3", "follower", 5, null), up("Node4", "follower", 5, null), up("Node5", "follower", 5, null));

        assertEquals("election in term 4: candidates Node1, Node2", WatchEvents.diff(led("Node3", 3), split, T).get(1).text());
        List<WatchEvent> later = WatchEvents.diff(split, quiet, T);
        assertEquals(List.of("term rose to 5, no leader yet", "Node1: candidate -> follower (term 5)",
                "Node2: candidate -> follower (term 5)"), texts(later));
        assertEquals(null, later.get(0).node());
    }

    @Test
    void aLeaderAfterNoneIsElectedAndNoElectionEventIsAdded() {
        ClusterStatus none = round(up("Node1", "candidate", 4, null), up("Node2", "follower", 4, null),
                up("Node3", "follower", 4, null), up("Node4", "follower", 4, null), up("Node5", "follower", 4, null));

        List<WatchEvent> events = WatchEvents.diff(none, led("Node1", 4), T);

        assertEquals(List.of("Node1 elected leader (term 4)"), texts(events));
        List<WatchEvent> jump = WatchEvents.diff(none, led("Node2", 6), T);
        assertEquals(List.of("Node2 elected leader (term 6)", "Node1: candidate -> follower (term 6)"), texts(jump),
                "a term that rose with a leader already in it is the leader event only");
    }

    @Test
    void disputedLeadersAndSilenceAreReasonsForTheLoss() {
        ClusterStatus disputed = round(up("Node1", "leader", 3, "Node1"), up("Node2", "leader", 4, "Node2"),
                up("Node3", "follower", 4, "Node2"), up("Node4", "follower", 3, "Node1"), up("Node5", "follower", 3, "Node1"));
        ClusterStatus silent = round(down("Node1"), down("Node2"), down("Node3"), down("Node4"), down("Node5"));

        assertTrue(WatchEvents.diff(led("Node1", 3), disputed, T).get(0).text()
                .endsWith("is no longer agreed: the nodes name different leaders"));
        WatchEvent lost = WatchEvents.diff(led("Node1", 3), silent, T).get(0);
        assertEquals("leader lost: Node1 (term 3) is no longer agreed: no node answers", lost.text());
        assertEquals(null, lost.term(), "no node answers, so no term is known");
        assertEquals(6, WatchEvents.diff(led("Node1", 3), silent, T).size(), "the loss and five nodes lost");
    }
}
