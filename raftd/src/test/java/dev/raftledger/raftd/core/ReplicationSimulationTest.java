package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Log replication under faults (Raft sections 5.3-5.4): seeded runs of five cores with loss,
 * duplication, reordering, crashes that lose what was not fsynced, forced elections and a
 * stream of client writes. After every step the harness checks state machine safety, leader
 * completeness, one leader per term and that no write commits twice; at the end, log matching,
 * that once the faults stop every node converges on the same applied log, and that the five
 * expenses ledgers built from it are identical (equal state digests). A failure names its seed.
 */
class ReplicationSimulationTest {

    private static final int SEEDS = 200;

    @Test
    void safeUnderFaultsAndConvergentOnceHealed() {
        long writes = 0;
        long committed = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            CoreCluster cluster = run(seed);
            if (!cluster.violations().isEmpty()) {
                fail("seed " + seed + ": " + cluster.violations().subList(0, Math.min(5, cluster.violations().size())));
            }
            writes += cluster.writesApplied();
            committed += cluster.committedCount();
        }
        // the runs did replicate real writes, so the checks above had something to check
        assertTrue(writes > SEEDS * 50L, "only " + writes + " writes committed over " + SEEDS + " seeds");
        assertTrue(committed > writes, "no-op entries commit too");
    }

    CoreCluster run(long seed) {
        SplittableRandom chaos = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7);
        CoreCluster.Network faulty = new CoreCluster.Network(chaos.nextDouble(0, 0.2), chaos.nextDouble(0, 0.1),
                0, 1 + chaos.nextLong(chaos.nextBoolean() ? 20 : 150));
        CoreCluster cluster = new CoreCluster(CoreCluster.names(5), seed, faulty, Timings.SEED);
        List<String> names = cluster.members();
        while (cluster.now() < 4_000) {
            cluster.runFor(1 + chaos.nextLong(40));
            cluster.propose(1 + chaos.nextInt(4));
            int action = chaos.nextInt(100);
            String target = names.get(chaos.nextInt(names.size()));
            if (action < 3 && cluster.isUp(target)) {
                cluster.crash(target);
            } else if (action < 10 && !cluster.isUp(target)) {
                cluster.restart(target);
            } else if (action < 12 && cluster.isUp(target)) {
                cluster.forceElection(target);
            }
        }
        // heal: everyone up, a reliable network, time to settle, one more write to commit everything
        names.forEach(cluster::restart);
        cluster.setNetwork(new CoreCluster.Network(0, 0, 0, 5));
        cluster.runFor(2_000);
        cluster.propose(1);
        cluster.runFor(2_000);
        cluster.checkLogMatching();
        if (cluster.violations().isEmpty() && new java.util.HashSet<>(cluster.ledgerDigests().values()).size() != 1) {
            fail("seed " + seed + ": the five ledgers differ: " + cluster.ledgerDigests());
        }
        long applied = cluster.agreedAppliedIndex();
        if (cluster.violations().isEmpty() && applied != cluster.committedCount() - 1) {
            StringBuilder sb = new StringBuilder();
            for (RaftCore c : cluster.liveNodes()) {
                CoreStatus st = c.status(cluster.now());
                sb.append("\n  ").append(c.name()).append(' ').append(st.role()).append(" term ").append(st.term())
                        .append(" last ").append(st.lastLog()).append(" commit ").append(st.commitIndex())
                        .append(" applied ").append(st.appliedIndex()).append(" persisted ").append(st.persistedIndex())
                        .append(" match ").append(st.followerMatch());
            }
            fail("seed " + seed + ": nodes did not converge: agreed applied index " + applied
                    + ", committed entries " + cluster.committedCount() + sb);
        }
        return cluster;
    }

    @Test
    void aNodeThatWasDownCatchesUpOnThousandsOfEntries() {
        CoreCluster cluster = new CoreCluster(CoreCluster.names(5), 42, new CoreCluster.Network(0, 0, 0, 2), Timings.SEED);
        cluster.runFor(1_000);
        cluster.crash("Node5");
        for (int i = 0; i < 200; i++) {
            cluster.propose(10);
            cluster.runFor(5);
        }
        cluster.runFor(500);
        assertEquals(2_000, cluster.writesApplied());
        cluster.restart("Node5");
        cluster.runFor(2_000);
        assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
        assertEquals(cluster.committedCount() - 1, cluster.agreedAppliedIndex(), "Node5 caught up");
        cluster.checkLogMatching();
        assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
    }
}
