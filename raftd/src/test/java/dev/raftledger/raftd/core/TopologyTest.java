package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.raftledger.common.wire.ClusterConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who takes part, as a table: the configuration in force and the committed one (voters, then
 * learners after a '+'), the node asking; whom it asks for votes, whom it replicates to as
 * leader, whether it may campaign, and whose vote requests it answers (of N1-N6).
 */
class TopologyTest {

    @ParameterizedTest(name = "{2} with {0} in force, {1} committed")
    @CsvSource(delimiter = '|', value = {
        // the classic five
        "N1 N2 N3 N4 N5 | N1 N2 N3 N4 N5 | N1 | N2 N3 N4 N5 | N2 N3 N4 N5 | true  | N2 N3 N4 N5",
        // a learner added (not committed yet): replicated to, never asked for a vote, may not campaign itself
        "N1 N2 N3 + N4  | N1 N2 N3       | N1 | N2 N3       | N2 N3 N4    | true  | N2 N3 N4",
        "N1 N2 N3 + N4  | N1 N2 N3 + N4  | N4 | N1 N2 N3    | N1 N2 N3    | false | N1 N2 N3",
        // N3 removed, not yet committed: still replicated to, still answered, may still campaign
        "N1 N2          | N1 N2 N3       | N1 | N2          | N2 N3       | true  | N2 N3",
        "N1 N2          | N1 N2 N3       | N3 | N1 N2       | N1 N2       | true  | N1 N2",
        // its removal committed: ignored, and it never campaigns
        "N1 N2          | N1 N2          | N1 | N2          | N2          | true  | N2",
        "N1 N2          | N1 N2          | N3 | N1 N2       | N1 N2       | false | N1 N2",
        // a node outside both (joining, before it learns it was added)
        "N1 N2 N3       | N1 N2 N3       | N6 | N1 N2 N3    | N1 N2 N3    | false | N1 N2 N3",
        // a promotion not yet committed
        "N1 N2 N3 N4    | N1 N2 N3 + N4  | N4 | N1 N2 N3    | N1 N2 N3    | true  | N1 N2 N3",
    })
    void whoTakesPart(String inForce, String committed, String self, String electionPeers, String targets,
                      boolean mayCampaign, String answered) {
        Topology t = Topology.of(self, config(inForce), config(committed));
        assertEquals(electionPeers, String.join(" ", t.electionPeers()), "asked for votes");
        assertEquals(targets, String.join(" ", t.targets()), "replicated to");
        assertEquals(mayCampaign, t.mayCampaign(), "may campaign");
        assertEquals(answered, String.join(" ", List.of("N1", "N2", "N3", "N4", "N5", "N6").stream()
                .filter(t::isCandidateMember).toList()), "vote requests answered");
        assertEquals(Quorum.of(config(inForce).voters().size()), t.quorum());
    }

    private static ClusterConfig config(String spec) {
        String[] parts = spec.split("\\+");
        ClusterConfig c = ClusterConfig.ofVoters(List.of(parts[0].trim().split(" +")));
        if (parts.length > 1) {
            for (String learner : parts[1].trim().split(" +")) {
                c = c.withLearner(learner, "127.0.0." + learner.substring(1));
            }
        }
        return c;
    }
}
