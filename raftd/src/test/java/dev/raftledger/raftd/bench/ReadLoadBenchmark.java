package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.control.StoreEntries;
import dev.raftledger.raftd.driver.snapshot.SnapshotPayload;
import dev.raftledger.raftd.it.LedgerClient;
import dev.raftledger.raftd.it.LocalCluster;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reads and writes together on a large ledger, end to end: the local five-node cluster starts
 * from a snapshot of {@code --expenses N} (default 1,000,000; built once by {@link LedgerFiller}
 * and saved into each node's data dir, as a restored backup would be), then {@code --readers R}
 * clients (16) send the leader linearizable EXPENSES reads, a mix of unfiltered pages at random
 * offsets, text filters, a category with a payer, totals of everything and totals of a category
 * (one kind after another), while {@code --writers W} clients (16) add expenses, for
 * {@code --seconds S} (30). Prints reads/s (answered, BUSY), writes/s, the leader's
 * {@code max_heartbeat_gap_ms} before and after the load (STATUS: the longest interval between
 * two AppendEntry it sent one follower since it started), and the elections meanwhile (the sum
 * of every node's {@code elections_started}, and the term). With {@code --reads-on-loop} the
 * nodes answer every read on the event loop, as before the reader thread
 * ({@code -Draftd.reads-on-loop=true}). With {@code --export RAFTCTL} it then times
 * {@code RAFTCTL export} of the whole ledger to a file. Run after {@code mvn -DskipTests package}
 * (docs/benchmarks.md, "Reads at a million, end to end").
 */
public final class ReadLoadBenchmark {

    private ReadLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int expenses = Integer.parseInt(BenchArgs.string(args, "--expenses", "1000000"));
        int seconds = Integer.parseInt(BenchArgs.string(args, "--seconds", "30"));
        int readers = Integer.parseInt(BenchArgs.string(args, "--readers", "16"));
        int writers = Integer.parseInt(BenchArgs.string(args, "--writers", "16"));
        boolean onLoop = List.of(args).contains("--reads-on-loop");
        String raftctl = BenchArgs.string(args, "--export", null);
        Path work = Path.of("target", "bench-read-load");
        Path seed = work.resolve("seed-" + expenses);
        System.out.println("machine: " + Machine.describe());
        if (!Files.exists(seed.resolve("done"))) {
            build(seed, expenses);
        }
        Path run = work.resolve("run");
        LocalCluster.deleteRecursively(run);
        LocalCluster cluster = LocalCluster.localFive(run);
        // a million expenses hold about 330 MiB live: more than the old generation raftd's
        // default -Xmx512m leaves with the serial collector (docs/benchmarks.md)
        String heap = BenchArgs.string(args, "--node-heap", "1g");
        String extra = BenchArgs.string(args, "--node-opts", "");
        cluster.withEnvironment("RAFT_JAVA_OPTS", "-Xmx" + heap + (onLoop ? " -Draftd.reads-on-loop=true" : "")
                + (extra.isEmpty() ? "" : " " + extra));
        for (String name : cluster.names()) {
            copy(seed.resolve("snapshots"), cluster.dataDir(name).resolve("snapshots"));
            try (DataDir dir = DataDir.open(cluster.dataDir(name))) {
                HardStateStore.open(dir, name).save(new HardState(Long.parseLong(Files.readString(seed.resolve("term"))
                        .strip()), null));
            }
        }
        try (LocalCluster c = cluster.startAll()) {
            long t0 = System.nanoTime();
            String leader = c.awaitStableLeader(Duration.ofSeconds(2), Duration.ofSeconds(300)).leader();
            System.out.printf(Locale.ROOT, "five nodes up with %,d expenses each, leader %s, in %.1f s; reads %s%n",
                    expenses, leader, (System.nanoTime() - t0) / 1e9, (onLoop ? "ON THE LOOP (before)" : "off the loop")
                            + ", node heap -Xmx" + heap);
            Thread.sleep(3_000); // let the new leader settle before the "before" figures, not synchronisation
            Map<String, JsonNode> before = c.statuses(Duration.ofSeconds(2));
            load(c, c.node(leader), readers, writers, seconds, before, leader);
            if (raftctl != null) {
                export(raftctl, work.resolve("export.csv"));
            }
        }
    }

    /** The ledger, saved once as the snapshot every node starts from. */
    private static void build(Path seed, int expenses) throws Exception {
        LocalCluster.deleteRecursively(seed);
        Files.createDirectories(seed);
        long t = System.nanoTime();
        Ledger ledger = new LedgerFiller(5_000).fill(expenses);
        System.out.printf(Locale.ROOT, "built %,d expenses in %.1f s%n", ledger.size(), (System.nanoTime() - t) / 1e9);
        SnapshotStore store = SnapshotStore.open(seed.resolve("snapshots"));
        SnapshotMeta meta = store.save(ledger.appliedIndex(), ledger.appliedTerm(), "",
                SnapshotPayload.capture(new ReplicatedState(ledger, new StoreEntries()))::writeTo);
        System.out.println("saved " + meta.describe());
        Files.writeString(seed.resolve("term"), Long.toString(ledger.appliedTerm()));
        Files.writeString(seed.resolve("done"), "");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The reads, one kind after another per client. */
    private static ControllerMessage read(int kind, int expenses) {
        ObjectNode v = Codec.objectNode();
        v.put("stale", false);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (kind % 5) {
            case 0 -> v.put("query", "list").putObject("filter").put("offset", r.nextInt(Math.max(1, expenses)))
                    .put("limit", 100);
            case 1 -> v.put("query", "list").putObject("filter").put("text", r.nextBoolean() ? "lunch" : "airport")
                    .put("limit", 100);
            case 2 -> v.put("query", "list").putObject("filter").put("category", "food").put("payer", "payer" + r.nextInt(40))
                    .put("limit", 100);
            case 3 -> v.put("query", "totals").put("by", "category");
            default -> v.put("query", "totals").put("by", "payer").putObject("filter").put("category", "rent");
        }
        return new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, v);
    }

    private static void load(LocalCluster c, NodeAddress leader, int readers, int writers, int seconds,
                             Map<String, JsonNode> before, String leaderName) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers + writers);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        AtomicLong unanswered = new AtomicLong();
        AtomicLong redirected = new AtomicLong();
        NodeAddress[] target = {leader}; // shared, racy on purpose: any reader's news of a new leader will do
        AtomicLong written = new AtomicLong();
        AtomicLong writeFailures = new AtomicLong();
        List<Future<?>> tasks = new ArrayList<>();
        List<List<Double>> latencies = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int first = i;
            List<Double> mine = java.util.Collections.synchronizedList(new ArrayList<>());
            latencies.add(mine);
            tasks.add(pool.submit(() -> {
                ControllerClient rpc = new ControllerClient(Duration.ofSeconds(5), 1);
                for (int k = first; !stop.get(); k++) {
                    long t0 = System.nanoTime();
                    Answer a = rpc.ask(target[0], read(k, 1_000_000));
                    if (!a.answered()) {
                        unanswered.incrementAndGet();
                    } else if ("LEADER_INFO".equals(a.reply().request())) {
                        redirected.incrementAndGet(); // the leader changed: follow it
                        String now = a.reply().valueText();
                        if (now != null) {
                            target[0] = c.node(now);
                        } else {
                            Thread.sleep(20); // an election is under way: back off, not synchronisation
                        }
                    } else if ("RESULT".equals(a.reply().keyText())) {
                        answered.incrementAndGet();
                        mine.add((System.nanoTime() - t0) / 1e6);
                    } else if ("BUSY".equals(a.reply().keyText())) {
                        busy.incrementAndGet();
                    } else {
                        unanswered.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (int i = 0; i < writers; i++) {
            int id = i;
            tasks.add(pool.submit(() -> {
                LedgerClient w = new LedgerClient(c.spec(), "load-writer-" + id + "-" + System.nanoTime());
                while (!stop.get()) {
                    try {
                        w.addDescribed("12.50", "EUR", "food", "payer" + id, "lunch under load");
                        written.incrementAndGet();
                    } catch (RuntimeException e) {
                        writeFailures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measuring window, not synchronisation
        stop.set(true);
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Future<?> f : tasks) {
            f.get();
        }
        pool.shutdown();
        Map<String, JsonNode> after = c.statuses(Duration.ofSeconds(2));
        List<Double> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        Percentiles pc = new Percentiles(all.isEmpty() ? List.of(0.0) : all);
        System.out.printf(Locale.ROOT, "%d readers, %d writers, %d s: reads %.0f/s answered (p50 %.1f ms, p99 %.1f ms),"
                        + " %.1f/s BUSY, %d unanswered or refused, %d redirected; writes %.0f/s (%d failed)%n", readers, writers,
                seconds,
                answered.get() / elapsed, pc.at(50), pc.at(99), busy.get() / elapsed,
                unanswered.get(), redirected.get(), written.get() / elapsed, writeFailures.get());
        long elections = 0;
        long electionsBefore = 0;
        for (String n : c.names()) {
            elections += after.get(n) == null ? 0 : after.get(n).path("counters").path("elections_started").asLong();
            electionsBefore += before.get(n) == null ? 0 : before.get(n).path("counters").path("elections_started").asLong();
        }
        StringBuilder gaps = new StringBuilder();
        for (String n : c.names()) {
            JsonNode a = after.get(n);
            gaps.append(gaps.length() == 0 ? "" : ", ").append(n).append(' ')
                    .append(a == null ? "?" : a.path("counters").path("max_heartbeat_gap_ms").asText("-"));
        }
        System.out.println("max_heartbeat_gap_ms of every node after the load (0 or -: never led): " + gaps);
        JsonNode lb = before.get(leaderName);
        JsonNode la = after.get(leaderName);
        System.out.printf(Locale.ROOT, "leader %s: max_heartbeat_gap_ms %s before the load, %s after; term %s -> %s "
                        + "(now %s); elections started meanwhile (all nodes): %d%n", leaderName,
                lb.path("counters").path("max_heartbeat_gap_ms").asText("-"),
                la == null ? "?" : la.path("counters").path("max_heartbeat_gap_ms").asText("-"),
                lb.path("term").asText(), la == null ? "?" : la.path("term").asText(),
                la == null ? "?" : la.path("state").asText(), elections - electionsBefore);
    }

    private static void export(String raftctl, Path out) throws Exception {
        Files.deleteIfExists(out);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(raftctl, "export").redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        long lines;
        try (Stream<String> l = Files.lines(out)) {
            lines = l.count();
        }
        System.out.printf(Locale.ROOT, "raftctl export: status %d, %.1f s, %,d lines, %,d bytes (%.0f rows/s)%n", status, s,
                lines, Files.size(out), (lines - 1) / s);
    }
}
