package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The leader's ReadIndex queue alone: rounds, confirmations by a majority of voters, failure. */
class ReadQueueTest {

    private static final List<String> FIVE = List.of("N1", "N2", "N3", "N4", "N5");

    /**
     * Steps, separated by ';': {@code read ID...} starts a round for those reads at commit index
     * 10 times the round's number, N1 (the leader, a voter) answering it; {@code ack FROM ROUND}
     * is an answer. The reads confirmed, in order, as "id@index".
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "read 1                                     | ''",
        "read 1; ack N2 1                           | ''",
        "read 1; ack N2 1; ack N3 1                 | 1@10",
        "read 1; ack N2 1; ack N2 1                 | ''",
        "read 1; ack N6 1; ack N7 1                 | ''",
        "read 1; ack N2 0; ack N3 0                 | ''",
        "read 1; read 2; ack N2 2; ack N3 2         | 1@10 2@20",
        "read 1; read 2; ack N2 1; ack N3 1         | 1@10",
        "read 1; read 2; ack N2 1; ack N3 1; ack N4 2; ack N5 2 | 1@10 2@20",
        "read 1 2 3; ack N4 1; ack N5 1             | 1@10 2@10 3@10",
        "read 1; ack N2 1; ack N3 1; ack N4 1       | 1@10",
    })
    void confirmations(String steps, String expected) {
        ReadQueue q = new ReadQueue();
        List<String> confirmed = new ArrayList<>();
        for (String step : steps.split(";")) {
            String[] w = step.trim().split(" ");
            if (w[0].equals("read")) {
                List<Long> ids = Arrays.stream(w).skip(1).map(Long::valueOf).toList();
                q.startRound(ids, 10 * (q.seq() + 1), "N1");
            } else {
                for (ReadResult r : q.confirm(w[1], Long.parseLong(w[2]), FIVE)) {
                    assertEquals(true, r.ok());
                    confirmed.add(r.id() + "@" + r.index());
                }
            }
        }
        assertEquals(expected, String.join(" ", confirmed));
    }

    @Test
    void roundsAreNumberedFromOne() {
        ReadQueue q = new ReadQueue();
        assertEquals(0, q.seq());
        assertEquals(1, q.startRound(List.of(7L), 3, "N1"));
        assertEquals(2, q.startRound(List.of(), 3, "N1"));
        assertEquals(2, q.seq());
    }

    @Test
    void aLeaderThatIsNotAVoterCountsOnlyItsFollowers() {
        ReadQueue q = new ReadQueue();
        List<String> voters = List.of("N2", "N3", "N4");
        long round = q.startRound(List.of(1L), 5, null);
        assertEquals(List.of(), q.confirm("N1", round, voters), "the leader's own answer is not a voter's");
        assertEquals(List.of(), q.confirm("N2", round, voters));
        assertEquals(List.of(new ReadResult(1, 5, true)), q.confirm("N3", round, voters));
    }

    @Test
    void losingLeadershipRefusesEveryReadOnce() {
        ReadQueue q = new ReadQueue();
        q.startRound(List.of(1L, 2L), 10, "N1");
        q.awaitTermCommit(3);
        assertEquals(List.of(new ReadResult(1, -1, false), new ReadResult(2, -1, false), new ReadResult(3, -1, false)),
                q.failAll());
        assertEquals(List.of(), q.failAll());
        assertEquals(List.of(), q.confirm("N2", 1, FIVE));
        assertEquals(List.of(), q.confirm("N3", 1, FIVE));
        assertEquals(List.of(), q.takeAwaitingTermCommit());
    }

    @Test
    void readsWaitingForTheTermsFirstCommitAreReleasedOnce() {
        ReadQueue q = new ReadQueue();
        q.awaitTermCommit(4);
        q.awaitTermCommit(5);
        assertEquals(List.of(4L, 5L), q.takeAwaitingTermCommit());
        assertEquals(List.of(), q.takeAwaitingTermCommit());
        assertEquals(0, q.seq(), "waiting starts no round");
    }
}
