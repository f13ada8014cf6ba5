package dev.raftledger.raftd.bench;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.metrics.ParsedExposition;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The metrics endpoint's cost, for several raftd builds side by side: each launch starts one
 * raftd alone on 127.0.0.1 (a one-node cluster on free ports) through a build's launcher,
 * builds taken in turn so that the machine's load falls on each alike, and measures
 * <ul>
 *   <li>start to the first answer of {@code /metrics} (200) and of the controller port, and the
 *       CPU the process had used by then;</li>
 *   <li>idle RSS 3 s after the start, then again after the scrapes;</li>
 *   <li>{@code --scrapes N} scrapes one after another: time per scrape as the client sees it, the
 *       raftd process's CPU time per scrape (/proc, 10 ms ticks, so only over many scrapes), and
 *       the size of the body;</li>
 *   <li>heap used after a full GC ({@code jcmd PID GC.run}, then {@code jvm_memory_bytes_used}).</li>
 * </ul>
 * With {@code --metrics off} the node gets no {@code --metrics-address} and only the controller
 * port is timed. Arguments: {@code --launchers NAME=PATH,NAME=PATH} (default
 * {@code current=raftd/target/raftd}), {@code --runs N} launches per build (default 8),
 * {@code --scrapes N} (default 200), {@code --metrics on|off}. Run it under the IT lock
 * (docs/benchmarks.md has the command).
 */
public final class MetricsBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MetricsBenchmark() {}

    /** One launch's numbers (NaN where not measured). */
    private record Launch(double metricsMs, double controllerMs, double cpuSeconds, double idleRssMiB,
                          double scrapedRssMiB, double scrapeP50Ms, double scrapeP90Ms, double scrapeCpuMs, int bodyBytes,
                          double heapAfterGcKiB) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> launchers = new LinkedHashMap<>();
        for (String l : BenchArgs.string(args, "--launchers", "current=raftd/target/raftd").split(",")) {
            launchers.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        }
        int runs = BenchArgs.integer(args, "--runs", 8);
        int scrapes = BenchArgs.integer(args, "--scrapes", 200);
        boolean metrics = BenchArgs.string(args, "--metrics", "on").equals("on");
        System.out.println("machine: " + Machine.describe());
        System.out.println("metrics " + (metrics ? "on" : "off") + ", " + runs + " launches per build, "
                + scrapes + " scrapes each");
        Map<String, List<Launch>> results = new LinkedHashMap<>();
        launchers.keySet().forEach(k -> results.put(k, new ArrayList<>()));
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, String> l : launchers.entrySet()) {
                Launch one = launch(Path.of(l.getValue()), metrics, scrapes);
                results.get(l.getKey()).add(one);
                System.out.printf(Locale.ROOT, "%s run %d: %s%n", l.getKey(), r + 1, one);
            }
        }
        for (Map.Entry<String, List<Launch>> e : results.entrySet()) {
            List<Launch> ls = e.getValue();
            System.out.println("== " + e.getKey() + " (" + launchers.get(e.getKey()) + ")");
            if (metrics) {
                System.out.println("start to /metrics answering: " + summary(ls, Launch::metricsMs));
            }
            System.out.println("start to controller answering: " + summary(ls, Launch::controllerMs));
            System.out.println("CPU used by then (s): " + summary(ls, Launch::cpuSeconds));
            System.out.println("idle RSS (MiB): " + summary(ls, Launch::idleRssMiB));
            if (metrics) {
                System.out.println("RSS after the scrapes (MiB): " + summary(ls, Launch::scrapedRssMiB));
                System.out.println("scrape p50 (ms): " + summary(ls, Launch::scrapeP50Ms));
                System.out.println("scrape p90 (ms): " + summary(ls, Launch::scrapeP90Ms));
                System.out.println("raftd CPU per scrape (ms): " + summary(ls, Launch::scrapeCpuMs));
                System.out.println("body (bytes): " + summary(ls, l -> l.bodyBytes()));
                System.out.println("heap used after a full GC (KiB): " + summary(ls, Launch::heapAfterGcKiB));
            }
        }
    }

    private static String summary(List<Launch> ls, java.util.function.ToDoubleFunction<Launch> f) {
        List<Double> v = new ArrayList<>();
        ls.forEach(l -> v.add(f.applyAsDouble(l)));
        v.sort(Comparator.naturalOrder());
        return String.format(Locale.ROOT, "min %.3f  median %.3f  max %.3f", v.get(0), v.get(v.size() / 2),
                v.get(v.size() - 1));
    }

    private static Launch launch(Path launcher, boolean metrics, int scrapes) throws Exception {
        Path dir = Files.createTempDirectory("raftd-metrics-bench");
        int[] udp = freeUdpPorts();
        int http = freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of(launcher.toAbsolutePath().toString(), "--name", "Bench",
                "--cluster", "Bench=127.0.0.1", "--data-dir", dir.resolve("data").toString(),
                "--append-entry-port", Integer.toString(udp[0]), "--request-vote-port", Integer.toString(udp[1]),
                "--vote-ack-port", Integer.toString(udp[2]), "--controller-port", Integer.toString(udp[3])));
        if (metrics) {
            cmd.addAll(List.of("--metrics-address", "127.0.0.1:" + http));
        }
        URI uri = URI.create("http://127.0.0.1:" + http + "/metrics");
        NodeAddress self = new NodeAddress("Bench", "127.0.0.1", new Ports(udp[0], udp[1], udp[2], udp[3]));
        ControllerClient controller = new ControllerClient(Duration.ofMillis(20), 1);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("raftd.log").toFile());
        pb.environment().remove("RAFT_JAVA_OPTS");
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            double metricsMs = Double.NaN;
            double controllerMs = Double.NaN;
            long deadline = t0 + TimeUnit.SECONDS.toNanos(20);
            while ((metrics && Double.isNaN(metricsMs)) || Double.isNaN(controllerMs)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("raftd did not come up; see " + dir.resolve("raftd.log"));
                }
                if (metrics && Double.isNaN(metricsMs) && get(uri) != null) {
                    metricsMs = (System.nanoTime() - t0) / 1e6;
                }
                if (Double.isNaN(controllerMs)) {
                    Answer a = controller.ask(self, ControllerMessage.request("LEADER_INFO"));
                    if (a.answered()) {
                        controllerMs = (System.nanoTime() - t0) / 1e6;
                    }
                }
                LockSupport.parkNanos(2_000_000);
            }
            double cpu = Machine.cpuSeconds(p.pid());
            LockSupport.parkNanos(t0 + TimeUnit.SECONDS.toNanos(3) - System.nanoTime());
            double idleRss = Machine.rssKiB(p.pid()) / 1024.0;
            if (!metrics) {
                return new Launch(metricsMs, controllerMs, cpu, idleRss, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, 0, Double.NaN);
            }
            List<Double> times = new ArrayList<>();
            int bytes = 0;
            double cpuBefore = Machine.cpuSeconds(p.pid());
            for (int i = 0; i < scrapes; i++) {
                long s = System.nanoTime();
                String body = get(uri);
                times.add((System.nanoTime() - s) / 1e6);
                bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            double scrapeCpuMs = (Machine.cpuSeconds(p.pid()) - cpuBefore) * 1000 / scrapes;
            times.sort(Comparator.naturalOrder());
            double scrapedRss = Machine.rssKiB(p.pid()) / 1024.0;
            Process gc = new ProcessBuilder("jcmd", Long.toString(p.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            gc.waitFor(20, TimeUnit.SECONDS);
            double heap = ParsedExposition.parse(get(uri)).value("jvm_memory_bytes_used", "area", "heap") / 1024.0;
            return new Launch(metricsMs, controllerMs, cpu, idleRss, scrapedRss, times.get(times.size() / 2),
                    times.get((int) Math.ceil(times.size() * 0.9) - 1), scrapeCpuMs, bytes, heap);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path f : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The body of a 200, or null if the endpoint does not answer (yet). */
    private static String get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int[] freeUdpPorts() throws IOException {
        DatagramSocket[] sockets = new DatagramSocket[4];
        int[] ports = new int[4];
        try {
            for (int i = 0; i < 4; i++) {
                sockets[i] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (DatagramSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
