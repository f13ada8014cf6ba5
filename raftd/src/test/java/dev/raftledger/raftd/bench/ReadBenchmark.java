package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
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
 * Linearizable reads per second and latency on the local five-node cluster, for C concurrent
 * clients each asking the leader for one page of one expense ({@code EXPENSES list}, not stale:
 * the leader confirms its leadership with a round of heartbeats, one round serving every read
 * that arrived before it), on a ledger of {@code --expenses N} (default 1,000) written first.
 * The counterpart of {@link WriteBenchmark}; run after {@code mvn -DskipTests package}
 * (docs/benchmarks.md). Arguments: {@code --seconds S} per level (default 10),
 * {@code --levels 1,16,64}, {@code --expenses N}.
 */
public final class ReadBenchmark {

    private ReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(BenchArgs.string(args, "--seconds", "10"));
        String[] levels = BenchArgs.string(args, "--levels", "1,16,64").split(",");
        int expenses = Integer.parseInt(BenchArgs.string(args, "--expenses", "1000"));
        Path work = Path.of("target", "bench-reads");
        LocalCluster.deleteRecursively(work);
        System.out.println("machine: " + Machine.describe());
        try (LocalCluster cluster = LocalCluster.localFive(work).startAll()) {
            String leader = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(20)).leader();
            LedgerClient writer = new LedgerClient(cluster.spec(), "bench-read-seed");
            for (int i = 0; i < expenses; i++) {
                writer.add((1 + i % 500) + ".25", i % 2 == 0 ? "EUR" : "USD", "cat" + (i % 7), "seed");
            }
            System.out.println(expenses + " expenses written; the leader is " + leader);
            for (String level : levels) {
                run(cluster, cluster.node(leader), Integer.parseInt(level.trim()), seconds, expenses);
            }
        }
    }

    private static void run(LocalCluster cluster, NodeAddress leader, int clients, int seconds, int expenses)
            throws Exception {
        ObjectNode value = Codec.objectNode();
        value.put("query", "list").put("stale", false).putObject("filter").put("offset", 0).put("limit", 1);
        ControllerMessage read = new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, value);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<List<Double>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                ControllerClient rpc = new ControllerClient(Duration.ofSeconds(2), 1);
                List<Double> latencies = new ArrayList<>();
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    Answer a = rpc.ask(leader, read);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (!a.answered() || !"RESULT".equals(a.reply().keyText())
                            || a.reply().value().get("total").asInt() != expenses) {
                        throw new IllegalStateException("read not served: " + (a.answered() ? a.reply() : a.error()));
                    }
                }
                return latencies;
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measuring window, not synchronisation
        stop.set(true);
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        Percentiles p = new Percentiles(all);
        long rounds = cluster.awaitStatus(leader.name(), Duration.ofSeconds(2)).get("counters").get("heartbeats_sent")
                .asLong();
        System.out.printf(Locale.ROOT, "C=%d: %d linearizable reads in %.1f s = %.0f reads/s; latency p50 %.2f ms, "
                        + "p99 %.2f ms, max %.1f ms; the leader's heartbeats sent so far %d%n", clients, all.size(),
                elapsed, all.size() / elapsed, p.at(50), p.at(99), p.max(), rounds);
    }
}
