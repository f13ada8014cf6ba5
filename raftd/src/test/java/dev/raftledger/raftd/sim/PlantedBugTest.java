package dev.raftledger.raftd.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.sim.Violation.Check;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checker that cannot fail proves nothing. Each bug planted in the simulator's driver, disk or
 * client ({@link PlantedBug}) must be caught, by the check its damage calls for, in some seed
 * among the first {@value #SEEDS}; and that seed without the bug must pass. The runs stop at the
 * first catch, so this costs little.
 *
 * <p>The main test runs with only the Raft, ledger and client invariants (no durability check at
 * crashes, core anomalies ignored): the planted bug must show through its consequences.
 */
class PlantedBugTest {

    static final int SEEDS = 500;

    /** The invariant each bug must trip first. */
    static Set<Check> expected(PlantedBug bug) {
        switch (bug) {
            case FORGET_VOTE_ON_RESTART:
                return EnumSet.of(Check.ELECTION_SAFETY);
            case ACK_BEFORE_FSYNC:
                // a committed entry is lost when the nodes that "had" it crash: a later leader lacks it
                return EnumSet.of(Check.LEADER_COMPLETENESS, Check.STATE_MACHINE_SAFETY, Check.EXACTLY_ONCE);
            case APPLY_BEFORE_COMMIT:
                // the leader applies an entry no majority holds yet; or nodes apply different entries
                return EnumSet.of(Check.STATE_MACHINE_SAFETY, Check.COMMIT_QUORUM);
            case READ_WITHOUT_READ_INDEX:
                return EnumSet.of(Check.LINEARIZABLE_READ);
            case RETRY_WITH_NEW_SEQ:
                return EnumSet.of(Check.EXACTLY_ONCE);
            case APPLY_WITH_LOCAL_TERM:
                return EnumSet.of(Check.LEDGER_DIVERGENCE);
            case NO_TIMER:
                return EnumSet.of(Check.PROGRESS);
            case SNAPSHOT_WITHOUT_CONFIG:
                return EnumSet.of(Check.CONFIG_IN_FORCE);
            default:
                throw new IllegalArgumentException(bug.name());
        }
    }

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void theInvariantsCatchIt(PlantedBug bug) {
        caught(bug, expected(bug), seed -> SimConfig.of(seed).onlyRaftInvariants().withBugs(bug));
    }

    /** The direct check of the storage contract catches an early acknowledgement at the first unlucky crash. */
    @Test
    void theDurabilityCheckCatchesAcknowledgementsBeforeFsync() {
        caught(PlantedBug.ACK_BEFORE_FSYNC, EnumSet.of(Check.DURABILITY),
                seed -> SimConfig.of(seed).withBugs(PlantedBug.ACK_BEFORE_FSYNC));
    }

    private static void caught(PlantedBug bug, Set<Check> checks, LongFunction<SimConfig> config) {
        SeedRunner.Outcome out = SeedRunner.run(1, SEEDS, config, r -> checks.contains(r.violation().check()));
        SimResult caught = out.failures().stream().filter(r -> checks.contains(r.violation().check()))
                .findFirst().orElse(null);
        System.out.println("[sim] planted " + bug + ": " + (caught == null ? "NOT caught" : "caught by seed "
                + caught.seed() + " as " + caught.violation().check()) + " after " + out.totals().runs + " runs");
        assertNotNull(caught, bug + " was not caught as any of " + checks + " in " + SEEDS + " seeds; failures: "
                + out.failures().stream().map(r -> r.seed() + ":" + r.violation().check()).toList());
        System.out.println("      " + caught.violation() + "\n      replay: " + caught.replay());
        SimResult clean = new Simulator(SimConfig.of(caught.seed())).run();
        assertTrue(clean.ok(), "without the bug, seed " + caught.seed() + " must pass:\n" + clean.report());
    }
}
