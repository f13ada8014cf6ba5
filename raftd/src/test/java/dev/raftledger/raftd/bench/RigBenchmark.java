package dev.raftledger.raftd.bench;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.rig.NetRig;
import dev.raftledger.raftd.rig.RigCluster;
import dev.raftledger.raftd.rig.RigCluster.LeaderView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The write and failover benchmarks on the five-host rig ({@link NetRig}: each raftd in its own
 * network namespace with its own address, veths at MTU 1500 through a bridge, default timings,
 * fsync on, default {@code --max-datagram-bytes}), so that the figures can be set next to the
 * loopback ones of {@link WriteBenchmark} and {@link FailoverBenchmark}. It measures:
 * <ul>
 *   <li>writes: committed writes/s and latency (p50, p99, max) for C concurrent clients, each
 *       adding ~100-byte expenses with the exactly-once discipline as WriteBenchmark does; the
 *       clients are a JVM of their own ({@link RigWriter}) in the rig's clients namespace, so
 *       every request and reply crosses the bridge;</li>
 *   <li>failover: wait until all five name the same leader for 500 ms, wait a random 0-100 ms,
 *       SIGKILL the leader's process, time until 3 of the 4 survivors name one new leader in a
 *       higher term (polled every 5 ms through the rig's probe, in the clients namespace);
 *       the killed node is restarted on its data dir before the next run: FailoverBenchmark's
 *       definition;</li>
 *   <li>availability gap: the same failovers under a steady write load from the clients
 *       namespace; per run, the longest stretch without a successfully completed write (all
 *       clients together) from 500 ms before the kill until the first write completed after the
 *       new leader was named; and the longest over the whole load phase, restarts included.</li>
 * </ul>
 * Run as root after {@code mvn -DskipTests package} (the rig needs ip, nft and tc), holding
 * {@code /tmp/raftledger-it.lock} if other runs may start raftd processes. Arguments:
 * {@code --seconds S} per concurrency level (default 10), {@code --levels 1,16,64},
 * {@code --runs N} failovers without load (default 30), {@code --gap-runs N} failovers under
 * load (default: --runs), {@code --gap-clients C} (default 4), {@code --seed N} (default 42).
 *
 * <p>Cleanup: the namespaces, the nodes and the clients are removed when it ends, fails, is
 * stopped with Ctrl-C (NetRig's shutdown hook) or runs past its time bound (a watchdog exits
 * the JVM, which runs that hook).
 */
public final class RigBenchmark {

    private static final ControllerMessage LEADER_INFO = ControllerMessage.request("LEADER_INFO");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private RigBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = BenchArgs.integer(args, "--seconds", 10);
        String[] levels = BenchArgs.string(args, "--levels", "1,16,64").split(",");
        int runs = BenchArgs.integer(args, "--runs", 30);
        int gapRuns = BenchArgs.integer(args, "--gap-runs", runs);
        int gapClients = BenchArgs.integer(args, "--gap-clients", 4);
        long seed = Long.parseLong(BenchArgs.string(args, "--seed", "42"));

        System.out.println("machine: " + Machine.describe());
        System.out.println("command: " + ProcessHandle.current().info().commandLine()
                .orElse("RigBenchmark " + String.join(" ", args)));
        Optional<String> why = NetRig.unavailableReason();
        if (why.isPresent()) {
            System.out.println("the five-host rig cannot run here: " + why.get());
            System.exit(2);
        }
        System.getenv().keySet().stream().filter(k -> k.startsWith("RAFTD_") || k.startsWith("RAFT_"))
                .forEach(k -> System.out.println("WARNING: " + k + " is set and the nodes inherit it: not raftd's defaults"));
        long boundSeconds = levels.length * (seconds + 90L) + (runs + gapRuns) * 45L + 180;
        startWatchdog(boundSeconds);
        System.out.println("rig: 5 raftd, each in its own network namespace (10.77.0.1-5/24), clients in their own "
                + "(10.77.0.100), veth pairs at MTU 1500 to one bridge; raftd defaults: heartbeat 100 ms, election "
                + "timeout 200-300 ms, fsync on, --max-datagram-bytes 1400; seed " + seed + "; time bound " + boundSeconds + " s");

        Path dir = Path.of("target", "bench-rig").toAbsolutePath();
        try (RigCluster cluster = RigCluster.start(dir, seed)) {
            cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30));
            try (Writer writer = new Writer(cluster, dir)) {
                for (String level : levels) {
                    writes(cluster, writer, Integer.parseInt(level.trim()), seconds);
                }
                SplittableRandom random = new SplittableRandom(seed);
                List<Double> times = new ArrayList<>();
                for (int r = 1; r <= runs; r++) {
                    times.add(failover(cluster, "kill", r, random, null).ms());
                }
                if (!times.isEmpty()) {
                    System.out.println("failover by SIGKILL of the leader (crash), rig, no load: "
                            + new Percentiles(times).summary());
                }
                if (gapRuns > 0) {
                    gaps(cluster, writer, gapRuns, gapClients, random);
                }
            }
        }
        System.exit(0); // the watchdog is a daemon, but say so plainly
    }

    // ---- writes ------------------------------------------------------------------------------

    private static void writes(RigCluster cluster, Writer writer, int clients, int seconds) throws Exception {
        double cpuBefore = nodesCpu(cluster);
        double clientCpuBefore = Machine.cpuSeconds(writer.pid());
        writer.start(clients, "bench-" + clients);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds)); // the measuring window, not synchronisation
        double cpuUsed = nodesCpu(cluster) - cpuBefore;
        double clientCpu = Machine.cpuSeconds(writer.pid()) - clientCpuBefore;
        List<Double> rssMiB = new ArrayList<>();
        for (String n : cluster.names()) {
            rssMiB.add(Machine.rssKiB(cluster.processHandle(n).orElseThrow().pid()) / 1024.0);
        }
        Writer.Result r = writer.stop();
        double elapsed = (r.end() - r.start()) / 1e9;
        if (r.latencyMs().isEmpty()) {
            System.out.printf(Locale.ROOT, "C=%d: NO write completed in %.1f s; %s%n", clients, elapsed, r.errorText());
            return;
        }
        Percentiles p = new Percentiles(r.latencyMs());
        System.out.printf(Locale.ROOT, "rig C=%d: %d writes in %.1f s = %.0f writes/s; latency p50 %.2f ms, p99 %.2f ms, "
                        + "max %.1f ms; the five nodes used %.2f of the %d cores, the client JVM %.2f; RSS under load %s MiB%s%n",
                clients, r.latencyMs().size(), elapsed, r.latencyMs().size() / elapsed, p.at(50), p.at(99), p.max(),
                cpuUsed / seconds, Runtime.getRuntime().availableProcessors(), clientCpu / seconds, Machine.mibList(rssMiB),
                r.errors() == 0 ? "" : "; " + r.errorText());
    }

    private static double nodesCpu(RigCluster cluster) throws IOException {
        List<Long> pids = new java.util.ArrayList<>();
        for (String n : cluster.names()) {
            pids.add(cluster.processHandle(n).orElseThrow().pid());
        }
        return Machine.cpuSeconds(pids);
    }


    // ---- failover ----------------------------------------------------------------------------

    /** One failover: kill at {@code killed}, new leader seen at {@code named}, both nanoTime. */
    private record Run(long killed, long named, double ms) {}

    /**
     * One SIGKILL of the leader, timed as FailoverBenchmark does; {@code afterNamed} (if any)
     * runs once the new leader is named and before the killed node is restarted.
     */
    private static Run failover(RigCluster cluster, String label, int round, SplittableRandom random,
                                Runnable afterNamed) throws Exception {
        LeaderView old = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(30));
        // at a random point of the heartbeat cycle, not in step with the poller
        LockSupport.parkNanos(random.nextLong(0, 100) * 1_000_000);
        ProcessHandle leader = cluster.processHandle(old.leader()).orElseThrow();
        List<String> others = cluster.names().stream().filter(n -> !n.equals(old.leader())).toList();
        long t0 = System.nanoTime();
        leader.destroyForcibly(); // SIGKILL to raftd itself (the launcher execs the JVM), as FailoverBenchmark
        LeaderView next = awaitNewLeader(cluster, others, 3, old.term(), Duration.ofSeconds(10));
        long t1 = System.nanoTime();
        double ms = (t1 - t0) / 1e6;
        System.out.printf(Locale.ROOT, "%s %2d: %s (term %d) -> %s (term %d) in %.1f ms%n",
                label, round, old.leader(), old.term(), next.leader(), next.term(), ms);
        if (afterNamed != null) {
            afterNamed.run();
        }
        cluster.kill(old.leader()); // waits for its exit (and kills anything it left)
        cluster.start(old.leader());
        return new Run(t0, t1, ms);
    }

    /** Polls {@code nodes} until {@code needed} of them name one leader in a term above {@code aboveTerm}. */
    private static LeaderView awaitNewLeader(RigCluster cluster, List<String> nodes, int needed, long aboveTerm,
                                             Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, LeaderView> last = Map.of();
        while (System.nanoTime() < deadline) {
            Map<LeaderView, Integer> votes = new HashMap<>();
            Map<String, LeaderView> views = new HashMap<>();
            for (Answer a : cluster.ask(nodes, LEADER_INFO, 150, 1).values()) {
                if (a.answered() && "LEADER_INFO".equals(a.reply().request())) {
                    LeaderView v = new LeaderView(a.reply().valueText(), a.reply().term() == null ? -1 : a.reply().term());
                    views.put(a.node(), v);
                    if (v.leader() != null && v.term() > aboveTerm && votes.merge(v, 1, Integer::sum) >= needed) {
                        return v;
                    }
                }
            }
            last = views;
            LockSupport.parkNanos(POLL_NANOS);
        }
        throw new AssertionError("no leader agreed by " + needed + " of " + nodes + " above term " + aboveTerm
                + " within " + timeout.toMillis() + " ms; last views: " + last);
    }

    // ---- availability gap --------------------------------------------------------------------

    private static void gaps(RigCluster cluster, Writer writer, int runs, int clients, SplittableRandom random)
            throws Exception {
        writer.start(clients, "gap");
        awaitWriteAfter(writer, 0, Duration.ofSeconds(30));
        List<Run> done = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Run run = failover(cluster, "kill under load", r, random, () -> {
                // the window of this run ends with the first write completed after the new leader was named
                awaitWriteAfter(writer, System.nanoTime(), Duration.ofSeconds(30));
            });
            done.add(run);
            times.add(run.ms());
        }
        Writer.Result result = writer.stop();
        long[] ends = result.ends();
        Arrays.sort(ends);
        List<Double> gaps = new ArrayList<>();
        for (int r = 0; r < done.size(); r++) {
            Run run = done.get(r);
            long from = run.killed() - TimeUnit.MILLISECONDS.toNanos(500);
            int after = firstAfter(ends, run.named());
            double gap = after < 0 ? Double.NaN : longestGap(ends, from, ends[after]) / 1e6;
            gaps.add(gap);
            System.out.printf(Locale.ROOT, "gap %2d: longest stretch without a successful write %.1f ms "
                    + "(failover %.1f ms, first write after the new leader was named %.1f ms after the kill)%n",
                    r + 1, gap, run.ms(), after < 0 ? Double.NaN : (ends[after] - run.killed()) / 1e6);
        }
        double elapsed = (result.end() - result.start()) / 1e9;
        double whole = ends.length == 0 ? Double.NaN : longestGap(ends, result.start(), result.end()) / 1e6;
        System.out.printf(Locale.ROOT, "load during the gap runs: C=%d, %d writes in %.1f s = %.0f writes/s; longest "
                        + "stretch without a successful write over the whole phase (kills and restarts) %.1f ms%s%n",
                clients, ends.length, elapsed, ends.length / elapsed, whole,
                result.errors() == 0 ? "" : "; " + result.errorText());
        if (!times.isEmpty()) {
            System.out.println("failover by SIGKILL of the leader (crash), rig, under write load C=" + clients + ": "
                    + new Percentiles(times).summary());
            List<Double> valid = gaps.stream().filter(g -> !g.isNaN()).toList();
            if (!valid.isEmpty()) {
                System.out.println("availability gap per SIGKILL of the leader, rig, C=" + clients + ": "
                        + new Percentiles(valid).summary());
            }
        }
    }

    /** Polls the writer until a write has completed after {@code after} (nanoTime). */
    private static void awaitWriteAfter(Writer writer, long after, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (writer.last() <= after) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no write completed within " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Index of the first completion after {@code t} in the sorted {@code ends}, or -1. */
    private static int firstAfter(long[] ends, long t) {
        for (int i = 0; i < ends.length; i++) {
            if (ends[i] > t) {
                return i;
            }
        }
        return -1;
    }

    /** The longest stretch in [from, to] not containing a completion of the sorted {@code ends}. */
    static long longestGap(long[] ends, long from, long to) {
        long prev = from;
        long longest = 0;
        for (long e : ends) {
            if (e <= from) {
                continue;
            }
            if (e > to) {
                break;
            }
            longest = Math.max(longest, e - prev);
            prev = e;
        }
        return Math.max(longest, to - prev);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Exits the JVM (its shutdown hooks remove the rig) if the benchmark runs past its bound. */
    private static void startWatchdog(long seconds) {
        Thread t = new Thread(() -> {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            System.out.println("RigBenchmark: still running after its bound of " + seconds + " s; stopping");
            System.exit(3);
        }, "rig-bench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** The {@link RigWriter} JVM in the clients namespace, driven through its stdin and stdout. */
    private static final class Writer implements AutoCloseable {

        record Result(long start, long end, int errors, String firstError, long[] ends, List<Double> latencyMs) {
            String errorText() {
                return errors + " client session(s) FAILED, first: " + firstError;
            }
        }

        private final Process process;
        private final PrintStream in;
        private final BufferedReader out;
        private final Path log;

        Writer(RigCluster cluster, Path dir) throws IOException {
            log = dir.resolve("writer.log");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), RigWriter.class.getName(), cluster.net().clusterSpec());
            process = cluster.net().execPiped(cluster.net().clientNamespace(), cmd, log);
            in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        long pid() {
            return process.pid();
        }

        private String command(String line) {
            in.println(line);
            try {
                String reply = out.readLine();
                if (reply == null) {
                    throw new IllegalStateException("the writer exited; see " + log);
                }
                return reply;
            } catch (IOException e) {
                throw new IllegalStateException("writer: " + e.getMessage(), e);
            }
        }

        void start(int clients, String prefix) {
            String r = command("start " + clients + " " + prefix);
            if (!r.equals("started")) {
                throw new IllegalStateException("writer: " + r);
            }
        }

        long last() {
            String r = command("last");
            return Long.parseLong(r.substring("last ".length()));
        }

        Result stop() throws IOException {
            String[] head = command("stop").split(" ", 5);
            if (!head[0].equals("stopped")) {
                throw new IllegalStateException("writer: " + String.join(" ", head));
            }
            long[] ends = new long[1024];
            int n = 0;
            List<Double> latencies = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.equals("end"); ) {
                String[] f = line.split(" ");
                if (n == ends.length) {
                    ends = Arrays.copyOf(ends, n * 2);
                }
                ends[n++] = Long.parseLong(f[1]);
                latencies.add(Long.parseLong(f[2]) / 1e6);
            }
            return new Result(Long.parseLong(head[1]), Long.parseLong(head[2]), Integer.parseInt(head[3]), head[4],
                    Arrays.copyOf(ends, n), latencies);
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
