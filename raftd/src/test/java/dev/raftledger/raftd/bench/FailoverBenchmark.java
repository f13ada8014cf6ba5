package dev.raftledger.raftd.bench;

import dev.raftledger.raftd.it.LocalCluster;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures, on the local five-node cluster with the seed's timings:
 * <ul>
 *   <li>launch to leader: from starting five raftd processes to a leader named by a majority;</li>
 *   <li>idle RSS of each raftd once the cluster has settled;</li>
 *   <li>failover: SIGKILL the leader, time until a majority of the survivors (3 of 4) name one
 *       new leader in a higher term; the killed node is restarted before the next round.</li>
 * </ul>
 * Run it after {@code mvn -DskipTests package} (see docs/benchmarks.md for the command).
 * Arguments: {@code --runs N} failovers (default 30), {@code --launches N} (default 5).
 */
public final class FailoverBenchmark {

    private FailoverBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 30);
        int launches = intArg(args, "--launches", 5);
        Path work = Path.of("target", "bench-failover");
        System.out.println("machine: " + Machine.describe());
        System.out.println("raftd: timings heartbeat 100 ms, election timeout 200-300 ms (the seed's)");

        List<Double> launchMs = new ArrayList<>();
        LocalCluster cluster = null;
        for (int i = 0; i < launches; i++) {
            if (cluster != null) {
                cluster.close();
            }
            LocalCluster.deleteRecursively(work);
            cluster = LocalCluster.localFive(work);
            long t0 = System.nanoTime();
            cluster.startAll();
            LeaderView v = cluster.awaitLeader(cluster.names(), cluster.spec().quorum(), -1, Duration.ofSeconds(10));
            double ms = (System.nanoTime() - t0) / 1e6;
            launchMs.add(ms);
            System.out.printf(Locale.ROOT, "launch %d: leader %s (term %d) after %.1f ms%n", i + 1, v.leader(), v.term(), ms);
        }
        System.out.println("launch to leader: " + new Percentiles(launchMs).summary());

        try (LocalCluster c = cluster) {
            c.awaitStableLeader(Duration.ofSeconds(2), Duration.ofSeconds(20));
            List<Double> rss = new ArrayList<>();
            for (String n : c.names()) {
                double mib = Machine.rssKiB(c.process(n).pid()) / 1024.0;
                rss.add(mib);
                System.out.printf(Locale.ROOT, "idle RSS %s: %.1f MiB%n", n, mib);
            }
            System.out.printf(Locale.ROOT, "idle RSS: max %.1f MiB%n", new Percentiles(rss).max());

            SplittableRandom random = new SplittableRandom(42);
            List<Double> failover = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                LeaderView old = c.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
                // Kill at a random point of the heartbeat cycle, not in step with the poller.
                LockSupport.parkNanos(random.nextLong(0, 100) * 1_000_000);
                long t0 = System.nanoTime();
                c.kill(old.leader());
                LeaderView next = c.awaitLeader(c.others(old.leader()), 3, old.term(), Duration.ofSeconds(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                failover.add(ms);
                System.out.printf(Locale.ROOT, "failover %2d: %s (term %d) -> %s (term %d) in %.1f ms%n",
                        r, old.leader(), old.term(), next.leader(), next.term(), ms);
                c.start(old.leader());
            }
            System.out.println("failover after SIGKILL of the leader: " + new Percentiles(failover).summary());
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

}
