package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftledger.raftd.it.LeaderWatch;
import dev.raftledger.raftd.it.LocalCluster;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * raftledger and etcd side by side, on this machine, in one run, with the same workloads:
 * launch of five members to a leader agreed by a majority (with new data dirs, then again after a
 * SIGKILL of all five with the data dirs kept), idle RSS per member, failover by
 * SIGKILL of the leader (timed until 3 of the other 4 name one new leader in a higher term),
 * and committed writes (fsync on) at C concurrent clients, each write one record of the same
 * JSON text on both sides. Every figure is printed as ours, theirs and the ratio ours/theirs,
 * last as a markdown table.
 *
 * <p>raftledger: the local five-node cluster on 127.0.0.1-5 with the seed's timings (heartbeat
 * 100 ms, election timeout 200-300 ms), measured with {@link FailoverBenchmark}'s failover and
 * {@link WriteBenchmark}'s clients. etcd: five members of {@code etcd} (Debian's etcd-server) on
 * 127.0.0.201-205, client port 2379 and peer port 2380, data under target/bench-etcd, with
 * {@code --heartbeat-interval 40 --election-timeout 200}: etcd refuses an election timeout below
 * five heartbeats, so the seed's 100/200-300 cannot be given and these are its nearest. etcd is
 * driven through its v3 JSON gateway with one keep-alive {@link HttpClient}: writes are
 * {@code POST /v3/kv/put} to the leader, views of the leader {@code POST /v3/maintenance/status}.
 *
 * <p>Threads: the main thread runs the rounds; the write levels use one thread per client. Every
 * process started here (raftd and etcd) is killed when its part ends, and by a shutdown hook if
 * the run is interrupted. Errors: a member that does not start or a leader not agreed within
 * 10 s ends the run with the reason (and the tail of the etcd member's log).
 *
 * <p>Run after {@code mvn -DskipTests package}, holding the IT lock (raftd binds 127.0.0.1-5):
 * see packaging/bench/etcd-side-by-side and docs/benchmarks.md. Arguments: {@code --runs N}
 * failovers per system (default 20), {@code --launches N} (default 3), {@code --seconds S} per
 * write level (default 5), {@code --levels 1,16,64}, {@code --etcd PATH} (default /usr/bin/etcd).
 */
public final class EtcdSideBySide {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whatever is running now, killed by the shutdown hook if the run is interrupted. */
    private static volatile LocalCluster liveOurs;
    private static volatile Etcd liveTheirs;

    private EtcdSideBySide() {}

    /** One system's figures. */
    private static final class Figures {
        final List<Double> launchMs = new ArrayList<>();
        final List<Double> relaunchMs = new ArrayList<>();
        final List<Double> rssMiB = new ArrayList<>();
        final List<Double> failoverMs = new ArrayList<>();
        final List<WriteBenchmark.Level> writes = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        int runs = BenchArgs.integer(args, "--runs", 20);
        int launches = BenchArgs.integer(args, "--launches", 3);
        int seconds = BenchArgs.integer(args, "--seconds", 5);
        List<Integer> levels = new ArrayList<>();
        for (String l : BenchArgs.string(args, "--levels", "1,16,64").split(",")) {
            levels.add(Integer.parseInt(l.trim()));
        }
        Path etcdBinary = Path.of(BenchArgs.string(args, "--etcd", "/usr/bin/etcd"));
        if (!Files.isExecutable(etcdBinary)) {
            throw new IllegalStateException(etcdBinary + " is not there: install Debian's etcd-server "
                    + "(packaging/bench/etcd-side-by-side does) or give --etcd PATH");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalCluster o = liveOurs;
            if (o != null) {
                o.close();
            }
            Etcd t = liveTheirs;
            if (t != null) {
                t.close();
            }
        }, "kill-members"));

        System.out.println("machine: " + Machine.describe());
        System.out.println("load average at start: " + loadAverage());
        System.out.println("etcd: " + etcdVersion(etcdBinary));
        System.out.println("timings: raftledger heartbeat 100 ms, election timeout 200-300 ms (the seed's); "
                + "etcd --heartbeat-interval 40 --election-timeout 200 (its nearest: etcd requires an election "
                + "timeout of at least five heartbeats); fsync on in both");
        System.out.printf(Locale.ROOT, "runs: %d launches, %d SIGKILL failovers, %d s per write level at C = %s%n",
                launches, runs, seconds, levels);
        System.out.println("record written (both systems, C = 64, write 1000): " + record("bench-64-12", 1000).length()
                + " bytes of JSON, e.g. " + record("bench-64-12", 1000));

        Figures ours = measureOurs(runs, launches, seconds, levels);
        System.out.println("load average between the two: " + loadAverage());
        Figures theirs = measureEtcd(etcdBinary, runs, launches, seconds, levels);
        System.out.println("load average at the end: " + loadAverage());
        printTable(ours, theirs);
    }

    /** The record both systems write: the text of raftledger's expense command. */
    private static String record(String client, int i) {
        return "{\"op\":\"add\",\"client_id\":\"" + client + "\",\"seq\":" + (i + 1) + ",\"amount\":\"" + (1 + i % 500)
                + ".25\",\"currency\":\"" + (i % 2 == 0 ? "EUR" : "USD") + "\",\"category\":\"cat" + (i % 7)
                + "\",\"payer\":\"" + client + "\",\"date\":\"2026-11-25\"}";
    }

    // ---------------------------------------------------------------- raftledger

    private static Figures measureOurs(int runs, int launches, int seconds, List<Integer> levels) throws Exception {
        System.out.println("== raftledger ==");
        Figures f = new Figures();
        Path work = Path.of("target", "bench-side-ours");
        BenchKeys keys = BenchKeys.in(work.resolve("keys"), false);
        LocalCluster cluster = null;
        try {
            for (int i = 1; i <= launches; i++) {
                if (cluster != null) {
                    cluster.close();
                }
                LocalCluster.deleteRecursively(work.resolve("nodes"));
                cluster = LocalCluster.localFive(work.resolve("nodes"));
                liveOurs = cluster;
                long t0 = System.nanoTime();
                cluster.startAll();
                LeaderView v = cluster.awaitLeader(cluster.names(), cluster.spec().quorum(), -1, Duration.ofSeconds(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                f.launchMs.add(ms);
                System.out.printf(Locale.ROOT, "ours launch %d: leader %s (term %d) after %.1f ms%n", i, v.leader(), v.term(), ms);
            }
            long term = -1;
            for (int i = 1; i <= launches; i++) {
                cluster.close(); // SIGKILL of all five; the data dirs stay
                cluster = LocalCluster.localFive(work.resolve("nodes"));
                liveOurs = cluster;
                long t0 = System.nanoTime();
                cluster.startAll();
                LeaderView v = cluster.awaitLeader(cluster.names(), cluster.spec().quorum(), term, Duration.ofSeconds(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                term = v.term();
                f.relaunchMs.add(ms);
                System.out.printf(Locale.ROOT, "ours relaunch %d (data kept): leader %s (term %d) after %.1f ms%n",
                        i, v.leader(), v.term(), ms);
            }
            cluster.awaitStableLeader(Duration.ofSeconds(2), Duration.ofSeconds(20));
            for (String n : cluster.names()) {
                f.rssMiB.add(Machine.rssKiB(cluster.process(n).pid()) / 1024.0);
            }
            System.out.println("ours idle RSS: " + Machine.mibList(f.rssMiB) + " MiB");
            SplittableRandom random = new SplittableRandom(42);
            for (int r = 1; r <= runs; r++) {
                f.failoverMs.add(FailoverBenchmark.failover(cluster, "kill", r, random));
            }
            System.out.println("ours failover by SIGKILL: " + new Percentiles(f.failoverMs).summary());
            cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(20));
            for (int c : levels) {
                System.out.print("ours ");
                f.writes.add(WriteBenchmark.run(cluster, c, seconds, keys));
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            liveOurs = null;
        }
        return f;
    }

    // ---------------------------------------------------------------- etcd

    private static Figures measureEtcd(Path binary, int runs, int launches, int seconds, List<Integer> levels)
            throws Exception {
        System.out.println("== etcd ==");
        Figures f = new Figures();
        Path work = Path.of("target", "bench-etcd");
        Etcd etcd = null;
        try {
            for (int i = 1; i <= launches; i++) {
                if (etcd != null) {
                    etcd.close();
                }
                LocalCluster.deleteRecursively(work);
                etcd = new Etcd(binary, work, new HashMap<>());
                liveTheirs = etcd;
                long t0 = System.nanoTime();
                etcd.startAll();
                LeaderView v = etcd.awaitLeader(etcd.all(), 3, -1, Duration.ofSeconds(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                f.launchMs.add(ms);
                System.out.printf(Locale.ROOT, "etcd launch %d: leader %s (term %d) after %.1f ms%n",
                        i, etcd.nameOf(v.leader()), v.term(), ms);
            }
            long term = -1;
            for (int i = 1; i <= launches; i++) {
                etcd.close(); // SIGKILL of all five; the data dirs stay
                etcd = new Etcd(binary, work, etcd.memberIds); // same data dirs: same member ids
                liveTheirs = etcd;
                long t0 = System.nanoTime();
                etcd.startAll();
                LeaderView v = etcd.awaitLeader(etcd.all(), 3, term, Duration.ofSeconds(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                term = v.term();
                f.relaunchMs.add(ms);
                System.out.printf(Locale.ROOT, "etcd relaunch %d (data kept): leader %s (term %d) after %.1f ms%n",
                        i, etcd.nameOf(v.leader()), v.term(), ms);
            }
            etcd.awaitStable(Duration.ofSeconds(2), Duration.ofSeconds(20));
            for (int m : etcd.all()) {
                f.rssMiB.add(Machine.rssKiB(etcd.process(m).pid()) / 1024.0);
            }
            System.out.println("etcd idle RSS: " + Machine.mibList(f.rssMiB) + " MiB");
            SplittableRandom random = new SplittableRandom(42);
            for (int r = 1; r <= runs; r++) {
                f.failoverMs.add(etcdFailover(etcd, r, random));
            }
            System.out.println("etcd failover by SIGKILL: " + new Percentiles(f.failoverMs).summary());
            for (int c : levels) {
                f.writes.add(etcdWrites(etcd, c, seconds));
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
            liveTheirs = null;
        }
        return f;
    }

    /** As {@link FailoverBenchmark#failover} with mode kill: settled, random phase, SIGKILL, 3 of 4 agree. */
    private static double etcdFailover(Etcd etcd, int round, SplittableRandom random) throws Exception {
        LeaderView old = etcd.awaitStable(Duration.ofMillis(500), Duration.ofSeconds(20));
        int leader = etcd.indexOf(old.leader());
        LockSupport.parkNanos(random.nextLong(0, 100) * 1_000_000);
        long t0 = System.nanoTime();
        etcd.process(leader).destroyForcibly();
        List<Integer> others = new ArrayList<>(etcd.all());
        others.remove(Integer.valueOf(leader));
        LeaderView next = etcd.awaitLeader(others, 3, old.term(), Duration.ofSeconds(10));
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "etcd kill %2d: %s (term %d) -> %s (term %d) in %.1f ms%n", round,
                etcd.nameOf(old.leader()), old.term(), etcd.nameOf(next.leader()), next.term(), ms);
        if (!etcd.process(leader).waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("killed etcd member did not exit");
        }
        etcd.start(leader);
        return ms;
    }

    /** C clients, each putting records one at a time to the leader, for {@code seconds}. */
    private static WriteBenchmark.Level etcdWrites(Etcd etcd, int clients, int seconds) throws Exception {
        LeaderView v = etcd.awaitStable(Duration.ofSeconds(1), Duration.ofSeconds(20));
        URI put = URI.create(etcd.clientUrl(etcd.indexOf(v.leader())) + "/v3/kv/put");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<List<Double>>> results = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        for (int c = 0; c < clients; c++) {
            String id = "bench-" + clients + "-" + c;
            results.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                int i = 0;
                while (!stop.get()) {
                    String body = "{\"key\":\"" + b64.encodeToString(("bench/" + id + "/" + i).getBytes(StandardCharsets.UTF_8))
                            + "\",\"value\":\"" + b64.encodeToString(record(id, i).getBytes(StandardCharsets.UTF_8)) + "\"}";
                    HttpRequest req = HttpRequest.newBuilder(put).timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = etcd.http.send(req, HttpResponse.BodyHandlers.ofString());
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (r.statusCode() != 200 || !r.body().contains("\"revision\"")) {
                        throw new IllegalStateException("put refused: " + r.statusCode() + " " + r.body());
                    }
                    i++;
                }
                return latencies;
            }));
        }
        long start = System.nanoTime();
        double cpuBefore = Machine.cpuSeconds(etcd.pids());
        Thread.sleep(seconds * 1000L); // the measuring window, not synchronisation
        double cpuUsed = Machine.cpuSeconds(etcd.pids()) - cpuBefore;
        List<Double> rss = new ArrayList<>();
        for (long pid : etcd.pids()) {
            rss.add(Machine.rssKiB(pid) / 1024.0);
        }
        stop.set(true);
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Percentiles p = new Percentiles(all);
        System.out.printf(Locale.ROOT, "etcd C=%d: %d writes in %.1f s = %.0f writes/s; latency p50 %.2f ms, p99 %.2f ms, "
                        + "max %.1f ms; the five members used %.2f of the 2 cores; RSS under load %s MiB%n", clients,
                all.size(), elapsed, all.size() / elapsed, p.at(50), p.at(99), p.max(), cpuUsed / seconds, Machine.mibList(rss));
        return new WriteBenchmark.Level(clients, all.size() / elapsed, p.at(50), p.at(99), p.max());
    }

    /** What one etcd member says of the leader: member ids are etcd's, decimal. */

    /** Five etcd members on 127.0.0.201-205, started and killed here. */
    private static final class Etcd implements AutoCloseable {

        private static final int SIZE = 5;
        private final Path binary;
        private final Path work;
        private final Process[] processes = new Process[SIZE];
        /** etcd's member ids (decimal) to our index, learnt from the status answers. */
        private final Map<String, Integer> memberIds;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(200)).build();

        Etcd(Path binary, Path work, Map<String, Integer> memberIds) throws IOException {
            this.binary = binary;
            this.work = work;
            this.memberIds = memberIds;
            Files.createDirectories(work);
        }

        List<Integer> all() {
            return List.of(0, 1, 2, 3, 4);
        }

        static String host(int m) {
            return "127.0.0." + (201 + m);
        }

        String clientUrl(int m) {
            return "http://" + host(m) + ":2379";
        }

        Process process(int m) {
            return processes[m];
        }

        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            for (Process p : processes) {
                pids.add(p.pid());
            }
            return pids;
        }

        void startAll() throws IOException {
            for (int m = 0; m < SIZE; m++) {
                start(m);
            }
        }

        /** Starts member m (again: with its data dir in place, etcd ignores the initial-cluster flags). */
        void start(int m) throws IOException {
            StringBuilder initial = new StringBuilder();
            for (int i = 0; i < SIZE; i++) {
                initial.append(i == 0 ? "" : ",").append("e").append(i + 1).append("=http://").append(host(i)).append(":2380");
            }
            String peer = "http://" + host(m) + ":2380";
            ProcessBuilder pb = new ProcessBuilder(binary.toString(),
                    "--name", "e" + (m + 1),
                    "--data-dir", work.resolve("e" + (m + 1)).toString(),
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--listen-client-urls", clientUrl(m), "--advertise-client-urls", clientUrl(m),
                    "--initial-cluster", initial.toString(), "--initial-cluster-token", "raftledger-bench",
                    "--initial-cluster-state", "new",
                    "--heartbeat-interval", "40", "--election-timeout", "200",
                    "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn");
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(m).toFile()));
            processes[m] = pb.start();
        }

        Path log(int m) {
            return work.resolve("e" + (m + 1) + ".log");
        }

        String nameOf(String memberId) {
            Integer m = memberIds.get(memberId);
            return m == null ? memberId : "e" + (m + 1);
        }

        int indexOf(String memberId) {
            Integer m = memberIds.get(memberId);
            if (m == null) {
                throw new IllegalStateException("leader " + memberId + " is not a member seen answering");
            }
            return m;
        }

        /** One status request to member {@code m}; answered within 200 ms or failed. */
        private CompletableFuture<HttpResponse<String>> askStatus(int m) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(clientUrl(m) + "/v3/maintenance/status"))
                    .timeout(Duration.ofMillis(200)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        }

        /** Member {@code m}'s view of the leader from a finished status request; null if it gave none. */
        private LeaderView viewOf(int m, CompletableFuture<HttpResponse<String>> done) {
            try {
                HttpResponse<String> r = done.get();
                if (r.statusCode() != 200) {
                    return null;
                }
                JsonNode s = JSON.readTree(r.body());
                memberIds.put(s.path("header").path("member_id").asText(), m);
                String leader = s.path("leader").asText("0");
                return new LeaderView("0".equals(leader) ? null : leader, s.path("raftTerm").asLong(-1));
            } catch (Exception ex) {
                return null; // not up (yet), or just killed: no view from this member
            }
        }

        /** One status round to {@code members}, in parallel: each answer's view of the leader. */
        Map<Integer, LeaderView> views(List<Integer> members) {
            Map<Integer, CompletableFuture<HttpResponse<String>>> pending = new HashMap<>();
            for (int m : members) {
                pending.put(m, askStatus(m));
            }
            Map<Integer, LeaderView> views = new HashMap<>();
            pending.forEach((m, f) -> {
                LeaderView v = viewOf(m, f);
                if (v != null) {
                    views.put(m, v);
                }
            });
            return views;
        }

        Optional<LeaderView> agreed(List<Integer> members, int needed) {
            return LocalCluster.agreedView(views(members).values(), needed);
        }

        /**
         * As {@link LocalCluster#awaitLeader}, through the same {@link LeaderWatch}: one status
         * request outstanding per member, each asked again 5 ms after it answered, so the two
         * systems' failovers are timed the same way. {@code needed} of {@code members} name one
         * leader above {@code aboveTerm}.
         */
        LeaderView awaitLeader(List<Integer> members, int needed, long aboveTerm, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            BlockingQueue<LeaderWatch.Answer<Integer>> answers = new LinkedBlockingQueue<>();
            List<CompletableFuture<?>> asked = new ArrayList<>();
            LeaderWatch.Transport<Integer> statusEndpoints = new LeaderWatch.Transport<>() {
                @Override
                public void ask(Integer m) {
                    CompletableFuture<HttpResponse<String>> f = askStatus(m);
                    f.whenComplete((r, e) -> answers.add(new LeaderWatch.Answer<>(m, viewOf(m, f))));
                    asked.add(f);
                }

                @Override
                public LeaderWatch.Answer<Integer> next(long timeoutNanos) throws InterruptedException {
                    return answers.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                }
            };
            try {
                // resent only after the request's own 200 ms timeout has ended it
                return LeaderWatch.await(members, statusEndpoints, LocalCluster.POLL_INTERVAL_NANOS,
                        TimeUnit.MILLISECONDS.toNanos(250), needed, aboveTerm, deadline).orElseThrow(() ->
                        new IllegalStateException("etcd: no leader agreed by " + needed + " of " + members
                                + " above term " + aboveTerm + " within " + timeout.toMillis() + " ms; views "
                                + views(members) + logTailsOrNothing()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd's leader", e);
            } finally {
                asked.forEach(f -> f.cancel(true));
            }
        }

        /** As {@link LocalCluster#awaitStableLeader}: all five name one leader for {@code stableFor}. */
        LeaderView awaitStable(Duration stableFor, Duration timeout) {
            return LocalCluster.awaitStable(() -> agreed(all(), SIZE), stableFor, timeout,
                    () -> "etcd's views " + views(all()) + logTailsOrNothing());
        }

        /** The members' last log lines, for a failure's message; nothing if they cannot be read. */
        private String logTailsOrNothing() {
            try {
                return logTails();
            } catch (IOException e) {
                return "";
            }
        }

        private String logTails() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int m = 0; m < SIZE; m++) {
                if (Files.exists(log(m))) {
                    List<String> lines = Files.readAllLines(log(m));
                    sb.append("\n--- ").append(log(m)).append(" (last lines)\n");
                    sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
                }
            }
            return sb.toString();
        }


        @Override
        public void close() {
            for (Process p : processes) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
            for (Process p : processes) {
                if (p != null) {
                    try {
                        p.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- report

    private static void printTable(Figures ours, Figures theirs) {
        Percentiles ol = new Percentiles(ours.launchMs);
        Percentiles tl = new Percentiles(theirs.launchMs);
        Percentiles orl = new Percentiles(ours.relaunchMs);
        Percentiles trl = new Percentiles(theirs.relaunchMs);
        Percentiles orss = new Percentiles(ours.rssMiB);
        Percentiles trss = new Percentiles(theirs.rssMiB);
        Percentiles of = new Percentiles(ours.failoverMs);
        Percentiles tf = new Percentiles(theirs.failoverMs);
        System.out.println();
        System.out.println("| figure | raftledger (ours) | etcd (theirs) | ratio ours/theirs |");
        System.out.println("| --- | --- | --- | --- |");
        row("launch to leader (new data dirs) p50, ms (lower is better)", ol.at(50), tl.at(50), 1);
        row("launch to leader max, ms", ol.max(), tl.max(), 1);
        row("relaunch to leader (data dirs kept) p50, ms", orl.at(50), trl.at(50), 1);
        row("relaunch to leader (data dirs kept) max, ms", orl.max(), trl.max(), 1);
        row("idle RSS per member, min, MiB (lower is better)", orss.min(), trss.min(), 1);
        row("idle RSS per member, max, MiB", orss.max(), trss.max(), 1);
        row("failover by SIGKILL p50, ms (lower is better)", of.at(50), tf.at(50), 1);
        row("failover by SIGKILL p90, ms", of.at(90), tf.at(90), 1);
        row("failover by SIGKILL max, ms", of.max(), tf.max(), 1);
        for (int i = 0; i < ours.writes.size() && i < theirs.writes.size(); i++) {
            WriteBenchmark.Level o = ours.writes.get(i);
            WriteBenchmark.Level t = theirs.writes.get(i);
            row("writes/s at C = " + o.clients() + " (higher is better)", o.writesPerSecond(), t.writesPerSecond(), 0);
            row("write latency p50 at C = " + o.clients() + ", ms", o.p50(), t.p50(), 2);
            row("write latency p99 at C = " + o.clients() + ", ms", o.p99(), t.p99(), 2);
        }
    }

    private static void row(String what, double ours, double theirs, int decimals) {
        String fmt = "%,." + decimals + "f";
        System.out.println("| " + what + " | " + String.format(Locale.ROOT, fmt, ours) + " | "
                + String.format(Locale.ROOT, fmt, theirs) + " | " + String.format(Locale.ROOT, "%.2f", ours / theirs) + " |");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String etcdVersion(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?") + " (" + binary + ")";
        } catch (IOException | InterruptedException e) {
            return "unknown version (" + e.getMessage() + ")";
        }
    }
}
