package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Election safety (Raft figure 3): at most one leader can be elected in a given term, whatever
 * the network and the controller do. Hundreds of seeded runs with loss, duplication, reordering,
 * controller TIMEOUT / CONVERT_FOLLOWER at random moments and crashes with restarts from the
 * persisted hard state. Any breach names its seed: replay it with {@link #run(int, long)}.
 */
class ElectionSafetySimulationTest {

    private static final int SEEDS = 500;
    private static final long RUN_MS = 5_000;

    /** Totals over all seeds, to make sure the runs were not vacuous. */
    private long leadersElected;
    private long messagesDropped;
    private long messagesDuplicated;
    private long controllerActions;
    private long crashes;

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void neverTwoLeadersInOneTerm(int size) {
        for (long seed = 0; seed < SEEDS; seed++) {
            CoreCluster cluster = run(size, seed);
            if (!cluster.violations().isEmpty()) {
                fail("seed " + seed + " (" + size + " nodes): " + cluster.violations().size()
                        + " violation(s), first: " + cluster.violations().subList(0, Math.min(5, cluster.violations().size())));
            }
            leadersElected += cluster.leadersByTerm().size();
            messagesDropped += cluster.dropped();
            messagesDuplicated += cluster.duplicated();
        }
        // the runs really exercised elections under faults, so the check above meant something
        assertTrue(leadersElected > 2L * SEEDS, "only " + leadersElected + " leaders over " + SEEDS + " runs");
        assertTrue(messagesDropped > 1000, "dropped " + messagesDropped);
        assertTrue(messagesDuplicated > 1000, "duplicated " + messagesDuplicated);
        assertTrue(controllerActions > SEEDS, "controller actions " + controllerActions);
        assertTrue(crashes > SEEDS / 2, "crashes " + crashes);
    }

    /** One seeded run: the network's faults and the chaos schedule both derive from {@code seed}. */
    CoreCluster run(int size, long seed) {
        SplittableRandom chaos = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + size);
        CoreCluster.Network network = new CoreCluster.Network(
                chaos.nextDouble(0, 0.3),               // up to 30 % loss
                chaos.nextDouble(0, 0.15),              // up to 15 % duplicates
                0,
                // half the runs up to 60 ms latency (reordering), half up to 400 ms, so that
                // answers to an election often arrive after the next one has begun
                1 + chaos.nextLong(chaos.nextBoolean() ? 60 : 400));
        CoreCluster cluster = new CoreCluster(size, seed, network);
        List<String> names = cluster.members();
        while (cluster.now() < RUN_MS) {
            cluster.runFor(1 + chaos.nextLong(250));
            String target = names.get(chaos.nextInt(names.size()));
            int action = chaos.nextInt(10);
            if (!cluster.isUp(target)) {
                if (action < 6) {
                    cluster.restart(target);
                }
                continue;
            }
            switch (action) {
                case 0, 1 -> {
                    cluster.forceElection(target);
                    controllerActions++;
                }
                case 2, 3 -> {
                    // most useful on the leader, so aim there when there is one
                    List<RaftCore> leaders = cluster.leaders();
                    cluster.convertToFollower(leaders.isEmpty() ? target : leaders.get(0).name());
                    controllerActions++;
                }
                case 4 -> {
                    cluster.crash(target);
                    crashes++;
                }
                default -> {
                    // let the cluster run undisturbed
                }
            }
        }
        return cluster;
    }
}
