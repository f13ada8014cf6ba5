package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.raftd.it.LedgerClient;
import dev.raftledger.raftd.it.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Committed writes per second and latency on the local five-node cluster (fsync on), for C
 * concurrent clients each adding expenses through the controller port exactly as raftctl does:
 * an EXPENSE request to the leader with the client's id and next sequence number, answered once
 * the entry is applied. Run after {@code mvn -DskipTests package} (docs/benchmarks.md).
 * Arguments: {@code --seconds S} per concurrency level (default 10), {@code --levels 1,16,64},
 * {@code --keyed} (a cluster key: every datagram sealed), {@code --java-opts "FLAGS"} (added to
 * each raftd's JVM flags through RAFT_JAVA_OPTS, which the launcher puts last).
 */
public final class WriteBenchmark {

    private WriteBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(BenchArgs.string(args, "--seconds", "10"));
        String[] levels = BenchArgs.string(args, "--levels", "1,16,64").split(",");
        Path work = Path.of("target", "bench-writes");
        LocalCluster.deleteRecursively(work);
        System.out.println("machine: " + Machine.describe());
        BenchKeys keys = BenchKeys.in(work.resolve("keys"), BenchArgs.flag(args, "--keyed"));
        System.out.println("datagrams: " + keys.describe());
        String javaOpts = BenchArgs.string(args, "--java-opts", "");
        System.out.println("RAFT_JAVA_OPTS: '" + javaOpts + "'");
        try (LocalCluster cluster = LocalCluster.localFive(work, keys.args()).useAuth(keys.nodes())
                .withEnvironment("RAFT_JAVA_OPTS", javaOpts).startAll()) {
            cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(20));
            for (String level : levels) {
                run(cluster, Integer.parseInt(level.trim()), seconds, keys);
            }
        }
    }

    /** What one concurrency level measured: committed writes per second and latency in ms. */
    record Level(int clients, double writesPerSecond, double p50, double p99, double max) {}

    /**
     * Runs {@code clients} writers for {@code seconds} against the running cluster, prints the
     * level's line and returns its figures. Throws if a write is refused.
     */
    static Level run(LocalCluster cluster, int clients, int seconds, BenchKeys keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<List<Double>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String id = "bench-" + clients + "-" + c;
            results.add(pool.submit(() -> {
                LedgerClient client = new LedgerClient(cluster.spec(), id, keys.nodes());
                List<Double> latencies = new ArrayList<>();
                int i = 0;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    JsonNode r = client.add((1 + i % 500) + ".25", i % 2 == 0 ? "EUR" : "USD", "cat" + (i % 7), id);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (!r.get("ok").asBoolean()) {
                        throw new IllegalStateException("write refused: " + r);
                    }
                    i++;
                }
                return latencies;
            }));
        }
        long start = System.nanoTime();
        double cpuBefore = nodesCpu(cluster);
        Thread.sleep(seconds * 1000L); // the measuring window, not synchronisation
        double cpuUsed = nodesCpu(cluster) - cpuBefore;
        List<Double> rssMiB = new ArrayList<>();
        for (String n : cluster.names()) {
            rssMiB.add(Machine.rssKiB(cluster.process(n).pid()) / 1024.0);
        }
        stop.set(true);
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        Percentiles p = new Percentiles(all);
        System.out.printf(Locale.ROOT, "C=%d: %d writes in %.1f s = %.0f writes/s; latency p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
                        + "the five nodes used %.2f of the 2 cores; RSS under load %s MiB%n", clients, all.size(), elapsed,
                all.size() / elapsed, p.at(50), p.at(99), p.max(), cpuUsed / seconds, Machine.mibList(rssMiB));
        return new Level(clients, all.size() / elapsed, p.at(50), p.at(99), p.max());
    }

    private static double nodesCpu(LocalCluster cluster) throws java.io.IOException {
        List<Long> pids = new java.util.ArrayList<>();
        for (String n : cluster.names()) {
            pids.add(cluster.process(n).pid());
        }
        return Machine.cpuSeconds(pids);
    }

}
