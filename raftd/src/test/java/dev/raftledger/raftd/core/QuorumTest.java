package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The majority arithmetic, as tables: sizes, committed indexes, election results. */
class QuorumTest {

    @ParameterizedTest(name = "{0} voters: majority {1}, lost with {2} refusals")
    @CsvSource({
        "1, 1, 1",
        "2, 2, 1",
        "3, 2, 2",
        "4, 3, 2",
        "5, 3, 3",
        "6, 4, 3",
        "7, 4, 4",
    })
    void sizes(int voters, int majority, int refusalsToLose) {
        assertEquals(majority, Quorum.of(voters));
        assertEquals(refusalsToLose, Quorum.refusalsToLose(voters));
        assertEquals(true, Quorum.isMajority(majority, voters));
        assertEquals(false, Quorum.isMajority(majority - 1, voters));
    }

    @Test
    void aConfigurationWithoutVotersHasNoMajority() {
        assertThrows(IllegalArgumentException.class, () -> Quorum.of(0));
    }

    /** Each voter's acknowledged index, "name=index" ("-" for nothing known): the index a majority holds. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'N1=7',                         7",
        "'N1=7 N2=-',                    -1",
        "'N1=7 N2=5',                    5",
        "'N1=7 N2=5 N3=-',               5",
        "'N1=7 N2=- N3=-',               -1",
        "'N1=3 N2=9 N3=4',               4",
        "'N1=1 N2=2 N3=3 N4=4',          2",
        "'N1=10 N2=10 N3=2 N4=1 N5=-',   2",
        "'N1=10 N2=10 N3=10 N4=1 N5=1',  10",
        "'N1=5 N2=5 N3=5 N4=5 N5=5',     5",
    })
    void committedIndex(String acks, long expected) {
        Map<String, Long> acked = new HashMap<>();
        List<String> voters = Arrays.stream(acks.split(" ")).map(a -> {
            String[] kv = a.split("=");
            acked.put(kv[0], kv[1].equals("-") ? -1L : Long.parseLong(kv[1]));
            return kv[0];
        }).toList();
        assertEquals(expected, Quorum.committedIndex(voters, acked::get));
    }

    /** Voters, who granted, who refused (names not among the voters count for nothing). */
    @ParameterizedTest(name = "voters {0}, granted {1}, refused {2}: {3}")
    @CsvSource({
        "'N1',             'N1',          '',              WON",
        "'N1',             '',            '',              PENDING",
        "'N1',             '',            'N1',            LOST",
        "'N1 N2 N3',       'N1 N2',       '',              WON",
        "'N1 N2 N3',       'N1',          'N2',            PENDING",
        "'N1 N2 N3',       'N1',          'N2 N3',         LOST",
        "'N1 N2 N3 N4 N5', 'N1 N2',       'N3 N4',         PENDING",
        "'N1 N2 N3 N4 N5', 'N1',          'N3 N4 N5',      LOST",
        "'N1 N2 N3 N4 N5', 'N1 N2 N6 N7', '',              PENDING",
        "'N1 N2 N3 N4 N5', 'N1 N2',       'N6 N7 N8 N9',   PENDING",
        "'N1 N2 N3 N4 N5', 'N1 N2 N3',    'N4 N5',         WON",
        "'N1 N2 N3 N4',    'N1 N2',       'N3',            PENDING",
        "'N1 N2 N3 N4',    'N1',          'N2 N3',         LOST",
    })
    void voteResult(String voters, String granted, String refused, Quorum.VoteResult expected) {
        assertEquals(expected, Quorum.voteResult(names(voters), names(granted), names(refused)));
    }

    @Test
    void onlyVotersAreCounted() {
        assertEquals(2, Quorum.count(List.of("N1", "N2", "N3"), List.of("N3", "N1", "N9")));
        assertEquals(0, Quorum.count(List.of("N1"), List.of()));
    }

    private static List<String> names(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split(" +"));
    }
}
