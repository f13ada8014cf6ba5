package dev.raftledger.raftd.bench;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.wire.ControllerMessage;
import java.util.concurrent.TimeUnit;
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
 *   <li>failover, three ways: SIGKILL of the leader (a crash), SIGTERM of the leader (a planned
 *       stop, which hands leadership over first) and TRANSFER_LEADER; each timed until 3 of the
 *       other 4 nodes name one new leader in a higher term;</li>
 *   <li>start to ready: one raftd started alone, until its controller port answers.</li>
 * </ul>
 * Run it after {@code mvn -DskipTests package} (see docs/benchmarks.md for the command).
 * Arguments: {@code --runs N} leader changes per mode (default 30), {@code --launches N}
 * (default 5), {@code --modes kill,sigterm,transfer}, {@code --ready-starts N} (default 10),
 * {@code --keyed} (a cluster key: every datagram sealed; start to ready is then not measured).
 */
public final class FailoverBenchmark {

    private FailoverBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = BenchArgs.integer(args, "--runs", 30);
        int launches = BenchArgs.integer(args, "--launches", 5);
        int readyStarts = BenchArgs.integer(args, "--ready-starts", 10);
        List<String> modes = List.of(BenchArgs.string(args, "--modes", "kill,sigterm,transfer").split(","));
        Path work = Path.of("target", "bench-failover");
        System.out.println("machine: " + Machine.describe());
        System.out.println("raftd: timings heartbeat 100 ms, election timeout 200-300 ms (the seed's)");
        BenchKeys keys = BenchKeys.in(Path.of("target", "bench-failover-keys"), BenchArgs.flag(args, "--keyed"));
        System.out.println("datagrams: " + keys.describe());

        List<Double> launchMs = new ArrayList<>();
        LocalCluster cluster = null;
        for (int i = 0; i < launches; i++) {
            if (cluster != null) {
                cluster.close();
            }
            LocalCluster.deleteRecursively(work);
            cluster = LocalCluster.localFive(work, keys.args()).useAuth(keys.nodes());
            long t0 = System.nanoTime();
            java.time.Instant at = java.time.Instant.now(); // to line the launch up with the nodes' logs
            cluster.startAll();
            LeaderView v = cluster.awaitLeader(cluster.names(), cluster.spec().quorum(), -1, Duration.ofSeconds(10));
            double ms = (System.nanoTime() - t0) / 1e6;
            launchMs.add(ms);
            System.out.printf(Locale.ROOT, "launch %d: leader %s (term %d) after %.1f ms (from %s)%n", i + 1, v.leader(), v.term(), ms, at);
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
            for (String mode : modes) {
                List<Double> times = new ArrayList<>();
                for (int r = 1; r <= runs; r++) {
                    times.add(failover(c, mode, r, random));
                }
                System.out.println("failover by " + describe(mode) + ": " + new Percentiles(times).summary());
            }
        }
        if (readyStarts > 0 && keys.args().length == 0) {
            measureStartToReady(work, readyStarts);
        }
    }

    /**
     * One leader change: {@code kill} (SIGKILL: a crash), {@code sigterm} (a planned stop, which
     * hands leadership over first) or {@code transfer} (TRANSFER_LEADER to the best follower).
     * The time runs from the order to three of the other four naming one new leader in a higher
     * term; a stopped node is started again before the next round.
     */
    static double failover(LocalCluster c, String mode, int round, SplittableRandom random) throws Exception {
        LeaderView old = c.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        awaitQuiet(c, Duration.ofSeconds(20));
        // at a random point of the heartbeat cycle, not in step with the poller
        LockSupport.parkNanos(random.nextLong(0, 100) * 1_000_000);
        long t0 = System.nanoTime();
        java.time.Instant at = java.time.Instant.now(); // to line the round up with the nodes' logs
        switch (mode) {
            case "kill":
                c.process(old.leader()).destroyForcibly();
                break;
            case "sigterm":
                c.process(old.leader()).destroy();
                break;
            case "transfer":
                Answer a = c.ask(old.leader(), "TRANSFER_LEADER", Duration.ofSeconds(1));
                if (!a.answered() || !"TRANSFERRING".equals(a.reply().keyText())) {
                    throw new IllegalStateException("transfer refused: " + (a.answered() ? a.reply() : a.error()));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode + "; kill, sigterm or transfer");
        }
        LeaderView next = c.awaitLeader(c.others(old.leader()), 3, old.term(), Duration.ofSeconds(10));
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "%s %2d: %s (term %d) -> %s (term %d) in %.1f ms (from %s)%n",
                mode, round, old.leader(), old.term(), next.leader(), next.term(), ms, at);
        if (!mode.equals("transfer")) {
            c.awaitExit(old.leader(), Duration.ofSeconds(10));
            c.start(old.leader());
        }
        return ms;
    }

    /** A node counts as quiet below this share of one core, over {@link #QUIET_WINDOW}. */
    static final double QUIET_SHARE = 0.05;
    static final Duration QUIET_WINDOW = Duration.ofMillis(300);

    /**
     * Waits until every node uses less than {@link #QUIET_SHARE} of a core: each round starts
     * from an idle cluster, as a planned stop on a real one would. Without it the node restarted
     * by the previous round was still loading and compiling classes during the next round, on
     * the same two cores as the nodes being measured, and every round paid for it (the
     * election of a SIGTERM round took twice as long as that of a TRANSFER_LEADER round).
     * A cluster that never gets quiet within {@code timeout} is measured anyway, and said so.
     */
    static void awaitQuiet(LocalCluster c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            java.util.Map<String, Double> before = new java.util.HashMap<>();
            for (String n : c.names()) {
                before.put(n, Machine.cpuSeconds(c.process(n).pid()));
            }
            LockSupport.parkNanos(QUIET_WINDOW.toNanos());
            double busiest = 0;
            for (String n : c.names()) {
                busiest = Math.max(busiest, Machine.cpuSeconds(c.process(n).pid()) - before.get(n));
            }
            double share = busiest / (QUIET_WINDOW.toNanos() / 1e9);
            if (share < QUIET_SHARE) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "(the busiest node still used %.0f %% of a core after %d s: measured anyway)%n",
                        share * 100, timeout.toSeconds());
                return;
            }
        }
    }

    private static String describe(String mode) {
        switch (mode) {
            case "kill":
                return "SIGKILL of the leader (crash)";
            case "sigterm":
                return "SIGTERM of the leader (planned stop: hand-over first)";
            default:
                return "TRANSFER_LEADER";
        }
    }

    /**
     * Start to ready, as systemd would see it on a VM: one raftd process started alone, timed
     * until its controller port answers STATUS (all four ports are bound by then).
     */
    private static void measureStartToReady(Path work, int starts) throws Exception {
        List<Double> ready = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            LocalCluster.deleteRecursively(work);
            try (LocalCluster c = LocalCluster.localFive(work)) {
                long t0 = System.nanoTime();
                c.start("Node1");
                // short reply timeouts: a request sent before the port is bound is simply lost
                ControllerClient quick = new ControllerClient(Duration.ofMillis(5), 1);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                while (!quick.ask(c.node("Node1"), ControllerMessage.request("STATUS")).answered()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Node1 not ready within 10 s");
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                ready.add(ms);
                System.out.printf(Locale.ROOT, "start to ready %d: %.1f ms%n", i, ms);
            }
        }
        System.out.println("start to ready (JVM, one node alone): " + new Percentiles(ready).summary());
    }
}
