package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A follower's progress as the leader tracks it: its states and transitions, as tables. Each
 * row starts from a follower first seen at time 0, to be probed from index 10, runs the steps
 * and checks the state, next index and match that result.
 */
class ProgressTest {

    /**
     * Steps, separated by ';': {@code accepted I T} (an acceptance through I at time T),
     * {@code sent I} (a batch ending at I), {@code probe I} (back to PROBE from I),
     * {@code snapshot T}, {@code restarted I P} (process P holds nothing from I on),
     * {@code lost T MS} (the window check at T, after MS without progress).
     */
    @ParameterizedTest(name = "{0} -> {1} next {2} match {3}")
    @CsvSource(delimiter = '|', value = {
        "                                         | PROBE     | 10 | -1",
        "accepted 5 0                             | REPLICATE | 6  | 5",
        "accepted 5 0; sent 8; sent 12            | REPLICATE | 13 | 5",
        "accepted 5 0; sent 8; sent 12; accepted 8 0 | REPLICATE | 13 | 8",
        "accepted 9 0; accepted 5 0               | REPLICATE | 10 | 9",
        "accepted 5 0; sent 8; probe 3            | PROBE     | 6  | 5",
        "accepted 5 0; sent 8; probe 7            | PROBE     | 7  | 5",
        "probe 4                                  | PROBE     | 4  | -1",
        "accepted 5 0; snapshot 0                 | SNAPSHOT  | 6  | 5",
        "accepted 5 0; snapshot 0; accepted 20 0  | REPLICATE | 21 | 20",
        "snapshot 0; accepted 3 0                 | REPLICATE | 4  | 3",
        "accepted 5 0; restarted 3 2              | PROBE     | 3  | 2",
        "accepted 5 0; sent 8; lost 101 100       | PROBE     | 6  | 5",
        "accepted 5 0; sent 8; lost 100 100       | REPLICATE | 9  | 5",
        "accepted 5 0; lost 500 100               | REPLICATE | 6  | 5",
        "accepted 5 0; sent 8; accepted 8 90; lost 150 100 | REPLICATE | 9 | 8",
        "accepted 5 0; sent 8; sent 9; accepted 8 90; lost 191 100 | PROBE | 9 | 8",
        "probe 4; lost 500 100                    | PROBE     | 4  | -1",
    })
    void transitions(String steps, Progress.State state, long next, long match) {
        Progress pr = new Progress(10, 0);
        if (steps != null) {
            for (String step : steps.split(";")) {
                String[] w = step.trim().split(" ");
                switch (w[0]) {
                    case "accepted" -> pr.accepted(Long.parseLong(w[1]), Long.parseLong(w[2]));
                    case "sent" -> pr.sent(Long.parseLong(w[1]));
                    case "probe" -> pr.becomeProbe(Long.parseLong(w[1]));
                    case "snapshot" -> pr.becomeSnapshot(Long.parseLong(w[1]));
                    case "restarted" -> pr.restartedAt(Long.parseLong(w[1]), Long.parseLong(w[2]), 0);
                    case "lost" -> pr.windowLost(Long.parseLong(w[1]), Long.parseLong(w[2]));
                    default -> throw new IllegalArgumentException(step);
                }
            }
        }
        assertEquals(state, pr.state(), "state");
        assertEquals(next, pr.next(), "next");
        assertEquals(match, pr.match(), "match");
    }

    /** Which refusals answer the request in question: in PROBE only the latest probe's, in REPLICATE any above the match. */
    @ParameterizedTest(name = "{0}: refusal of prev {1} stale: {2}")
    @CsvSource({
        "PROBE,     9,  false",
        "PROBE,     8,  true",
        "PROBE,     10, true",
        "REPLICATE, 5,  true",
        "REPLICATE, 4,  true",
        "REPLICATE, 6,  false",
        "REPLICATE, 12, false",
    })
    void staleRefusals(Progress.State state, long rejectIndex, boolean stale) {
        Progress pr = new Progress(10, 0); // PROBE from 10: the latest probe's prev is 9
        if (state == Progress.State.REPLICATE) {
            pr.accepted(5, 0);
            pr.sent(12);
        }
        assertEquals(stale, pr.staleRefusal(rejectIndex));
    }

    /**
     * When a heartbeat names the last index sent instead of the match: in REPLICATE, with batches
     * in flight, once the window has made no progress for a heartbeat (progress at 100 here).
     */
    @ParameterizedTest(name = "{0}, in flight {1}, at {2}: stalled {3}")
    @CsvSource({
        "REPLICATE, true,  150, false",
        "REPLICATE, true,  199, false",
        "REPLICATE, true,  200, true",
        "REPLICATE, false, 500, false",
        "PROBE,     true,  500, false",
        "SNAPSHOT,  true,  500, false",
    })
    void stalledWindows(Progress.State state, boolean inFlight, long now, boolean stalled) {
        Progress pr = new Progress(10, 0);
        pr.accepted(9, 100); // REPLICATE, progress at 100
        if (inFlight) {
            pr.sent(12);
        }
        if (state == Progress.State.PROBE) {
            pr.becomeProbe(10);
        } else if (state == Progress.State.SNAPSHOT) {
            pr.becomeSnapshot(100);
        }
        assertEquals(stalled, pr.stalled(now, 100));
    }

    /** A follower's processes: older ones are not believed; a newer one whose log ends before the match lost entries. */
    @ParameterizedTest(name = "newest {0}, answer from {1}: older {2}; log ends before {3}: lost {4}")
    @CsvSource({
        "3, 2, true,  5, false",
        "3, 0, false, 5, false",
        "3, 3, false, 5, false",
        "3, 4, false, 5, true",
        "3, 4, false, 6, true",
        "3, 4, false, 7, false",
        "0, 1, false, 6, true",
    })
    void processes(long newest, long from, boolean older, long conflictIndex, boolean lost) {
        Progress pr = new Progress(10, 0);
        pr.accepted(6, 0);
        pr.acceptedBy(newest, 0);
        assertEquals(older, pr.fromOlderProcess(from));
        assertEquals(lost, pr.lostAcknowledged(conflictIndex, from));
    }

    @org.junit.jupiter.api.Test
    void aProcessIsKnownFromItsFirstAcceptanceUntilAnotherTakesItsPlace() {
        Progress pr = new Progress(10, 0);
        assertEquals(-1, pr.processKnownSince(), "not heard yet");
        pr.acceptedBy(3, 100);
        pr.acceptedBy(3, 200);
        assertEquals(100, pr.processKnownSince(), "the first acceptance of process 3");
        pr.acceptedBy(4, 300);
        assertEquals(300, pr.processKnownSince(), "a new process, known since its first acceptance");
        pr.restartedAt(5, 5, 400);
        assertEquals(400, pr.processKnownSince());
    }

    @Test
    void oneProbeInFlightUntilAnsweredOrReset() {
        Progress pr = new Progress(10, 0);
        assertFalse(pr.probeInFlight());
        pr.probeSent(5);
        assertTrue(pr.probeInFlight());
        pr.becomeProbe(8);
        assertFalse(pr.probeInFlight(), "a new probe point: the next probe leaves at once");
        pr.probeSent(6);
        pr.accepted(9, 7);
        assertFalse(pr.probeInFlight(), "answered");
    }

    @Test
    void theWindowFillsAndDrainsWithAcknowledgements() {
        Progress pr = new Progress(0, 0);
        pr.accepted(-1, 0);
        pr.sent(3);
        pr.sent(6);
        assertTrue(pr.inflightFull(2));
        assertFalse(pr.inflightFull(3));
        pr.accepted(4, 1); // covers the first batch only
        assertFalse(pr.inflightFull(2));
        assertTrue(pr.inflightFull(1));
        pr.accepted(6, 2);
        assertFalse(pr.inflightFull(1));
    }

    @Test
    void theSnapshotIsAskedForAgainOnlyAfterTheInterval() {
        Progress pr = new Progress(0, 0);
        pr.becomeSnapshot(100);
        assertFalse(pr.askSnapshotAgain(1099, 1000));
        assertTrue(pr.askSnapshotAgain(1100, 1000));
        assertFalse(pr.askSnapshotAgain(1500, 1000), "counted from the last time it was asked");
        assertTrue(pr.askSnapshotAgain(2100, 1000));
    }

    @Test
    void heardCountsAnyAnswer() {
        Progress pr = new Progress(0, 0);
        assertFalse(pr.heardYet());
        assertEquals(-1, pr.lastHeardAt());
        pr.heard(42);
        assertTrue(pr.heardYet());
        assertEquals(42, pr.lastHeardAt());
        assertEquals(Progress.State.PROBE, pr.state(), "hearing alone changes no state");
    }
}
