package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.it.LedgerClient;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write load of {@link RigBenchmark}, a program of its own run in the rig's clients
 * namespace, so that every write crosses the bridge from a host of its own:
 * {@code RigWriter CLUSTER}. It obeys one command a line on stdin and answers each with one
 * line on stdout:
 * <ul>
 *   <li>{@code start C PREFIX}: starts C client sessions (ids {@code PREFIX-0}...), each adding
 *       expenses one at a time with the exactly-once discipline of {@link LedgerClient} (the
 *       same requests as {@link WriteBenchmark}); answers {@code started};</li>
 *   <li>{@code last}: answers {@code last T}, the {@link System#nanoTime} at which the latest
 *       write completed (0: none yet; the clock is CLOCK_MONOTONIC, the same in every process of
 *       the machine, whatever its network namespace);</li>
 *   <li>{@code stop}: lets each session finish its write and answers {@code stopped START END
 *       ERRORS FIRST_ERROR} (nanoTime of the start and of the last session's end), then one line
 *       {@code w END LATENCY} per completed write (nanoTime of its completion, its latency in ns),
 *       then {@code end}.</li>
 * </ul>
 * It exits at the end of stdin.
 *
 * <p>Threads: one per session, main reading stdin. Errors: a session whose write is refused or
 * gets no result within LedgerClient's 30 s stops and is counted in ERRORS (its message on
 * stderr); the load keeps running on the other sessions.
 */
public final class RigWriter {

    private RigWriter() {}

    /** One session's completed writes, in pairs (completion nanoTime, latency ns). */
    private static final class Samples {
        private long[] data = new long[1 << 12];
        private int size;

        void add(long end, long latency) {
            if (size + 2 > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = end;
            data[size++] = latency;
        }
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = ClusterSpec.parse(args[0], Ports.SEED);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        AtomicLong last = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Samples> samples = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long start = 0;
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split("\\s+");
            switch (cmd[0]) {
                case "start" -> {
                    int clients = Integer.parseInt(cmd[1]);
                    String prefix = cmd[2];
                    threads.clear();
                    samples.clear();
                    errors.clear();
                    last.set(0);
                    stop = false;
                    start = System.nanoTime();
                    for (int c = 0; c < clients; c++) {
                        String id = prefix + "-" + c;
                        Samples s = new Samples();
                        samples.add(s);
                        Thread t = new Thread(() -> session(cluster, id, s, last, errors), "writer-" + id);
                        t.start();
                        threads.add(t);
                    }
                    out.println("started");
                }
                case "last" -> out.println("last " + last.get());
                case "stop" -> {
                    stop = true;
                    for (Thread t : threads) {
                        t.join();
                    }
                    long end = System.nanoTime();
                    String first;
                    synchronized (errors) {
                        first = errors.isEmpty() ? "-" : errors.get(0).replaceAll("\\s+", "_");
                        out.println("stopped " + start + " " + end + " " + errors.size() + " " + first);
                    }
                    for (Samples s : samples) {
                        for (int k = 0; k < s.size; k += 2) {
                            out.println("w " + s.data[k] + " " + s.data[k + 1]);
                        }
                    }
                    out.println("end");
                }
                default -> out.println("bad " + line);
            }
            out.flush();
        }
        stop = true;
        System.exit(0);
    }

    /** Set by main to stop the sessions. */
    private static volatile boolean stop;

    private static boolean stopping() {
        return stop;
    }

    private static void session(ClusterSpec cluster, String id, Samples s, AtomicLong last, List<String> errors) {
        LedgerClient client = new LedgerClient(cluster, id);
        int i = 0;
        try {
            while (!stopping()) {
                long t0 = System.nanoTime();
                JsonNode r = client.add((1 + i % 500) + ".25", i % 2 == 0 ? "EUR" : "USD", "cat" + (i % 7), id);
                long t1 = System.nanoTime();
                if (!r.get("ok").asBoolean()) {
                    throw new IllegalStateException("write refused: " + r);
                }
                s.add(t1, t1 - t0);
                last.accumulateAndGet(t1, Math::max);
                i++;
            }
        } catch (Throwable e) {
            System.err.println(id + ": " + e);
            synchronized (errors) {
                errors.add(id + ": " + e);
            }
        }
    }
}
