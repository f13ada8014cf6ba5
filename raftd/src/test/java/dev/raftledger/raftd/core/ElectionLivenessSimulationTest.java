package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With a network that loses nothing, a five-node cluster elects a leader quickly and keeps it:
 * the seed's timings (100 ms heartbeats, 200-300 ms election timeouts) must make a leader appear
 * within two simulated seconds for every seed, with every node agreeing on it.
 */
class ElectionLivenessSimulationTest {

    private static final int SEEDS = 300;

    @Test
    void fiveNodesElectExactlyOneLeaderWithinTwoSecondsAndAllAgree() {
        long latestFirstLeaderAt = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            CoreCluster cluster = new CoreCluster(5, seed, CoreCluster.Network.RELIABLE);
            long firstLeaderAt = -1;
            while (cluster.now() < 2_000) {
                cluster.runFor(1);
                if (firstLeaderAt < 0 && !cluster.leaders().isEmpty()) {
                    firstLeaderAt = cluster.now();
                }
            }
            if (firstLeaderAt < 0) {
                fail("seed " + seed + ": no leader within 2 s; terms " + terms(cluster));
            }
            latestFirstLeaderAt = Math.max(latestFirstLeaderAt, firstLeaderAt);
            assertAgreedLeader(cluster, "seed " + seed + " at 2 s");
            assertTrue(cluster.violations().isEmpty(), "seed " + seed + ": " + cluster.violations());
        }
        // The first timeout fires at 200-300 ms, and without loss one round nearly always suffices.
        assertTrue(latestFirstLeaderAt <= 2_000);
    }

    @Test
    void anElectedLeaderStaysLeaderWhileTheNetworkIsReliable() {
        for (long seed = 0; seed < 100; seed++) {
            CoreCluster cluster = new CoreCluster(5, seed, CoreCluster.Network.RELIABLE);
            cluster.runUntil(2_000);
            RaftCore leader = assertAgreedLeader(cluster, "seed " + seed + " at 2 s");
            long term = leader.term();
            cluster.runUntil(6_000);
            RaftCore later = assertAgreedLeader(cluster, "seed " + seed + " at 6 s");
            // heartbeats every 100 ms keep every follower's 200-300 ms timer from firing
            assertEquals(leader.name(), later.name(), "seed " + seed + ": leadership changed");
            assertEquals(term, later.term(), "seed " + seed + ": a needless election happened");
        }
    }

    @Test
    void aNewLeaderIsElectedAfterTheLeaderCrashes() {
        for (long seed = 0; seed < 100; seed++) {
            CoreCluster cluster = new CoreCluster(5, seed, CoreCluster.Network.RELIABLE);
            cluster.runUntil(2_000);
            RaftCore old = assertAgreedLeader(cluster, "seed " + seed + " before the crash");
            cluster.crash(old.name());
            cluster.runUntil(4_000);
            RaftCore successor = assertAgreedLeader(cluster, "seed " + seed + " after the crash");
            assertTrue(successor.term() > old.term(), "seed " + seed);
            // the old leader rejoins as a follower of the new one
            cluster.restart(old.name());
            cluster.runUntil(5_000);
            RaftCore after = assertAgreedLeader(cluster, "seed " + seed + " after the restart");
            assertEquals(Role.FOLLOWER, cluster.node(old.name()).role(), "seed " + seed);
            assertTrue(after.term() >= successor.term(), "seed " + seed);
            assertTrue(cluster.violations().isEmpty(), "seed " + seed + ": " + cluster.violations());
        }
    }

    /** Exactly one live leader, and every live node's leader() names it in the same term. */
    private static RaftCore assertAgreedLeader(CoreCluster cluster, String when) {
        List<RaftCore> leaders = cluster.leaders();
        assertEquals(1, leaders.size(), () -> when + ": leaders " + leaders.stream().map(RaftCore::name).toList()
                + ", terms " + terms(cluster));
        RaftCore leader = leaders.get(0);
        for (RaftCore c : cluster.liveNodes()) {
            assertEquals(leader.name(), c.leader(), () -> when + ": " + c.name() + " follows " + c.leader());
            assertEquals(leader.term(), c.term(), () -> when + ": " + c.name() + " is in another term");
        }
        return leader;
    }

    private static List<String> terms(CoreCluster cluster) {
        return cluster.liveNodes().stream().map(c -> c.name() + ":" + c.term() + "/" + c.role().wireName()).toList();
    }
}
