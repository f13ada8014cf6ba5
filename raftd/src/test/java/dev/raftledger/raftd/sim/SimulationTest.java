package dev.raftledger.raftd.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seeded simulation of the whole replicated ledger: five pure Raft cores with simulated
 * disks and ledgers, a faulty network, crashes, partitions and retrying clients, checked after
 * every step (see {@link Invariants}). Every CI run explores {@value #DEFAULT_SCHEDULES}
 * schedules.
 *
 * <ul>
 *   <li>Soak: {@code -Dsim.schedules=100000} (optionally {@code -Dsim.seed=N} as the first seed).</li>
 *   <li>Replay one seed, printing its whole trace: {@code -Dsim.seed=N} alone. A failure prints
 *       the exact command, with the flags of a run that was not standard
 *       ({@code -Dsim.bugs=ACK_BEFORE_FSYNC,...}, {@code -Dsim.anomalies=STRICT}, {@code -Dsim.durability=false}).</li>
 *   <li>Threads: {@code -Dsim.threads=N} (default: the cores, at most 4; results do not depend on it).</li>
 * </ul>
 */
class SimulationTest {

    static final int DEFAULT_SCHEDULES = 2_000;
    static final long DEFAULT_FIRST_SEED = 1;

    @Test
    void everyScheduleKeepsEveryInvariant() {
        Long seed = Long.getLong("sim.seed");
        Integer schedules = Integer.getInteger("sim.schedules");
        if (seed != null && schedules == null) {
            replay(seed);
            return;
        }
        long first = seed != null ? seed : DEFAULT_FIRST_SEED;
        int count = schedules != null ? schedules : DEFAULT_SCHEDULES;
        SeedRunner.Outcome out = SeedRunner.run(first, count, SimConfig::of, r -> false);
        System.out.println("[sim] " + count + " schedules (seeds " + first + ".." + (first + count - 1) + ") in "
                + out.wallMs() + " ms wall on " + SeedRunner.threads() + " threads: " + out.totals());
        if (!out.failures().isEmpty()) {
            StringBuilder seeds = new StringBuilder();
            out.failures().forEach(r -> seeds.append(' ').append(r.seed()).append('(').append(r.violation().check()).append(')'));
            fail(out.failures().size() + " of " + count + " schedules failed:" + seeds + "\nfirst failure:\n"
                    + out.failures().get(0).report());
        }
        if (count < 100) {
            return; // a handful of seeds proves little either way
        }
        // not vacuous: the runs elected, crashed, partitioned, wrote and read plenty
        SimStats t = out.totals();
        assertTrue(t.writesAcked >= 20L * count, "writes acknowledged: " + t.writesAcked);
        assertTrue(t.leadersElected >= 3L * count, "leaders elected: " + t.leadersElected);
        assertTrue(t.crashes >= 3L * count, "crashes: " + t.crashes);
        assertTrue(t.partitions + t.isolations + t.oneWayCuts >= 3L * count, "partitions: " + t.partitions
                + " + " + t.isolations + " + " + t.oneWayCuts);
        assertTrue(t.oneWayCuts >= count, "one-way cuts: " + t.oneWayCuts);
        assertTrue(t.retries >= count, "client retries: " + t.retries);
        assertTrue(t.readsServed >= 5L * count, "reads served: " + t.readsServed);
        assertTrue(t.dropped > 0 && t.duplicated > 0, "lossy network: " + t.dropped + "/" + t.duplicated);
    }

    /** One seed, its whole trace printed as it runs. */
    private static void replay(long seed) {
        String bugs = System.getProperty("sim.bugs", "");
        Set<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);
        Arrays.stream(bugs.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(b -> planted.add(PlantedBug.valueOf(b)));
        SimConfig standard = SimConfig.of(seed);
        SimConfig config = standard.withEcho(System.out).withBugs(planted.toArray(new PlantedBug[0]))
                .withAnomalies(SimConfig.Anomalies.valueOf(System.getProperty("sim.anomalies", standard.anomalies().name())))
                .withDurabilityCheck(Boolean.parseBoolean(System.getProperty("sim.durability",
                        String.valueOf(standard.checkDurability()))));
        SimResult r = new Simulator(config).run();
        System.out.println("[sim] seed " + seed + ": " + r.stats());
        if (!r.ok()) {
            fail(r.report());
        }
    }

    /** The same seed twice is the same run, event for event: a failing seed replays exactly. */
    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {3, 11, 12345}) {
            SimResult a = new Simulator(SimConfig.of(seed)).run();
            SimResult b = new Simulator(SimConfig.of(seed)).run();
            assertEquals(a.fingerprint(), b.fingerprint(), "seed " + seed);
            assertEquals(a.stats().toString(), b.stats().toString(), "seed " + seed);
            assertEquals(a.trace(), b.trace(), "seed " + seed);
        }
    }
}
