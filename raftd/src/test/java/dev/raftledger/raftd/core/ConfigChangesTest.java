package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.raftledger.common.wire.ClusterConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The membership-change checks alone, as a table over one configuration. */
class ConfigChangesTest {

    /** Voters N1, N2, N3 (N1 the leader); learners N4 (caught up) and N5 (behind). */
    private static final ClusterConfig CURRENT = ClusterConfig.ofVoters(List.of("N1", "N2", "N3"))
            .withLearner("N4", "127.0.0.4").withLearner("N5", "127.0.0.5");

    private static ConfigChanges.Members members(Set<String> inReach) {
        return new ConfigChanges.Members() {
            @Override
            public boolean inReach(String name) {
                return inReach.contains(name);
            }

            @Override
            public String notCaughtUp(String name) {
                return name.equals("N5") ? "it is 500 entries behind" : null;
            }
        };
    }

    /**
     * A change, the members in reach, and either the refusal code or the voters and learners
     * of the configuration it leads to.
     */
    @ParameterizedTest(name = "{0} {1} (in reach: {3}) -> {4}")
    @CsvSource(delimiter = '|', value = {
        "ADD_LEARNER | N6 | 127.0.0.6 | N1 N2 N3 | voters N1 N2 N3, learners N4 N5 N6",
        "ADD_LEARNER | N6 | 127.0.0.6 | N1       | voters N1 N2 N3, learners N4 N5 N6",
        "ADD_LEARNER | N2 | 127.0.0.2 | N1 N2 N3 | ALREADY_MEMBER",
        "ADD_LEARNER | N4 | 127.0.0.4 | N1 N2 N3 | ALREADY_MEMBER",
        "ADD_LEARNER | bad name! | 127.0.0.6 | N1 N2 N3 | MALFORMED",
        "ADD_LEARNER | N6 | no host!  | N1 N2 N3 | MALFORMED",
        "PROMOTE     | N4 |           | N1 N2 N4 | voters N1 N2 N3 N4, learners N5",
        "PROMOTE     | N4 |           | N1 N2    | NO_QUORUM",
        "PROMOTE     | N5 |           | N1 N2 N3 N5 | NOT_READY",
        "PROMOTE     | N2 |           | N1 N2 N3 | ALREADY_VOTER",
        "PROMOTE     | N9 |           | N1 N2 N3 | UNKNOWN_NODE",
        "REMOVE      | N3 |           | N1 N2    | voters N1 N2, learners N4 N5",
        "REMOVE      | N3 |           | N1       | NO_QUORUM",
        "REMOVE      | N1 |           | N2 N3    | voters N2 N3, learners N4 N5",
        "REMOVE      | N4 |           | N1       | voters N1 N2 N3, learners N5",
        "REMOVE      | N9 |           | N1 N2 N3 | UNKNOWN_NODE",
    })
    void changes(RaftCore.ConfigChange.Kind kind, String name, String host, String inReach, String expected) {
        RaftCore.ConfigChange change = new RaftCore.ConfigChange(kind, name, host);
        ConfigChanges.Verdict v = ConfigChanges.check(change, CURRENT, members(Set.of(inReach.split(" "))), 4000);
        if (v.accepted()) {
            assertEquals(expected, "voters " + String.join(" ", v.next().voters()) + ", learners "
                    + String.join(" ", v.next().names().stream().filter(n -> !v.next().isVoter(n)).toList()));
        } else {
            assertEquals(expected, v.refusal().name(), v.reason());
            assertNull(v.next());
        }
    }

    @Test
    void theLastVoterStays() {
        ClusterConfig one = ClusterConfig.ofVoters(List.of("N1")).withLearner("N2", "127.0.0.2");
        ConfigChanges.Verdict v = ConfigChanges.check(RaftCore.ConfigChange.remove("N1"), one,
                members(Set.of("N1", "N2")), 4000);
        assertEquals("LAST_VOTER", v.refusal().name());
        assertEquals("N1 is the only voter", v.reason());
        assertEquals("voters N1", "voters " + String.join(" ",
                ConfigChanges.check(RaftCore.ConfigChange.remove("N2"), one, members(Set.of("N1")), 4000).next().voters()));
    }

    @Test
    void theReasonsSayWhy() {
        ConfigChanges.Verdict v = ConfigChanges.check(RaftCore.ConfigChange.promote("N4"), CURRENT,
                members(Set.of("N1")), 4000);
        assertEquals("only 1 of the new configuration's 4 voters have answered in the last 4000 ms, and 3 are needed",
                v.reason());
        assertEquals("N5 is not caught up: it is 500 entries behind", ConfigChanges.check(
                RaftCore.ConfigChange.promote("N5"), CURRENT, members(Set.of("N1", "N2", "N3", "N5")), 4000).reason());
    }

    /** One change at a time: the leader's term committed, and the latest configuration too. */
    @ParameterizedTest(name = "term {0}, commit term {1}, commit {2}, config at {3} -> {4}")
    @CsvSource({
        "5, 5, 10, 10, ''",
        "5, 5, 10, 3,  ''",
        "5, 5, 10, -1, ''",
        "5, 4, 10, 3,  CHANGE_IN_PROGRESS",
        "5, 5, 10, 11, CHANGE_IN_PROGRESS",
    })
    void oneAtATime(long term, long commitTerm, long commitIndex, long configIndex, String expected) {
        ConfigChanges.Verdict v = ConfigChanges.oneAtATime(term, commitTerm, commitIndex, configIndex);
        assertEquals(expected, v == null ? "" : v.refusal().name());
    }
}
