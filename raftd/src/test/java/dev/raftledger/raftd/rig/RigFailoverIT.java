package dev.raftledger.raftd.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover from the evidence, on five real hosts ({@link NetRig}: namespaces, veth pairs, a
 * bridge, a 1500-byte MTU). When the leader's process is killed and its host stays up, the host
 * answers the followers' port checks with ICMP port unreachable across the link, and a follower
 * says so in its log before the election; when the leader's host vanishes (every packet to and
 * from it dropped by nftables), no answer comes, and the election timers still elect a new
 * leader. The times are printed, not asserted (FailoverBenchmark and RigBenchmark measure them).
 * Skipped (loudly) where the rig cannot run, failed instead with {@code -Drig.required=true}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RigFailoverIT {

    private RigCluster cluster;

    @AfterEach
    void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aKilledLeadersHostAnswersForItAndAVanishedLeaderIsReplacedByTheTimers() throws Exception {
        NetRig.requireRig();
        Path dir = Path.of("target", "rig", "failover").toAbsolutePath();
        cluster = RigCluster.start(dir, 15);
        RigCluster.LeaderView first = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30));

        // the process dies, its host stays up
        long t0 = System.nanoTime();
        cluster.kill(first.leader());
        RigCluster.LeaderView second = awaitNewer(first);
        System.out.printf("RigFailoverIT: SIGKILL of %s (term %d): %s leads term %d after %.1f ms%n", first.leader(),
                first.term(), second.leader(), second.term(), (System.nanoTime() - t0) / 1e6);
        List<String> evidence = awaitLines("leader " + first.leader() + " of term " + first.term() + " is gone");
        assertTrue(!evidence.isEmpty(), "a follower took its host's answer as evidence");
        evidence.forEach(l -> System.out.println("RigFailoverIT: " + l));

        // the host vanishes: nothing goes to it or comes from it, so nothing answers the checks
        cluster.start(first.leader());
        RigCluster.LeaderView third = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30));
        int isolated = cluster.index(third.leader());
        Set<Integer> rest = new TreeSet<>(List.of(1, 2, 3, 4, 5));
        rest.remove(isolated);
        t0 = System.nanoTime();
        cluster.net().partition(List.of(Set.of(isolated), rest));
        RigCluster.LeaderView fourth = awaitNewer(third);
        System.out.printf("RigFailoverIT: %s isolated (term %d): %s leads term %d after %.1f ms%n", third.leader(),
                third.term(), fourth.leader(), fourth.term(), (System.nanoTime() - t0) / 1e6);
        assertEquals(List.of(), cluster.logLinesContaining("leader " + third.leader() + " of term " + third.term() + " is gone"),
                "no answer crosses a cut: the timers, not the evidence, replaced the isolated leader");
        cluster.net().clearCuts();
    }

    /** A leader agreed by a majority in a term after {@code old}'s. */
    private RigCluster.LeaderView awaitNewer(RigCluster.LeaderView old) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            RigCluster.LeaderView v = cluster.awaitLeader(Duration.ofSeconds(15));
            if (v.term() > old.term() && v.leader() != null && !v.leader().equals(old.leader())) {
                return v;
            }
            assertTrue(System.nanoTime() < deadline, "no new leader after " + old + " within 15 s");
        }
    }

    /** Lines of the nodes' logs containing {@code text}, waiting up to 5 s for the first (logs are written as they go). */
    private List<String> awaitLines(String text) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> found;
        while ((found = cluster.logLinesContaining(text)).isEmpty() && System.nanoTime() < deadline) {
            RigCluster.pause(20);
        }
        return found;
    }
}
