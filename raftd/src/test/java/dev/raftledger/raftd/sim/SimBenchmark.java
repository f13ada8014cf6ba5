package dev.raftledger.raftd.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The simulator's throughput (docs/benchmarks.md, "The core split"): runs the standard schedule
 * of seeds 1..N one after another on this thread, after some warm-up seeds outside that range,
 * and prints the thread's CPU time and the wall time. CPU time is the figure to compare across
 * versions on a shared machine: other processes stretch the wall time, not the CPU time. Every
 * run must pass its checks (else it stops with the seed). One thread, no files, no sockets.
 *
 * <p>Arguments: {@code --warmup W} (default 300), {@code --seeds N} (default 2,000).
 */
public final class SimBenchmark {

    private SimBenchmark() {}

    public static void main(String[] args) {
        int warmup = 300;
        int seeds = 2_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --warmup W, --seeds N)");
            }
        }
        for (long seed = 1_000_001; seed < 1_000_001 + warmup; seed++) {
            new Simulator(SimConfig.of(seed)).run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long steps = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SimResult r = new Simulator(SimConfig.of(seed)).run();
            if (!r.ok()) {
                throw new IllegalStateException("seed " + seed + " failed: " + r.violation());
            }
            steps += r.stats().steps;
        }
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        long wallMs = (System.nanoTime() - wall0) / 1_000_000;
        System.out.printf(Locale.ROOT, "seeds 1-%d (%d steps): CPU %d ms, %.0f seeds/s of CPU; wall %d ms%n",
                seeds, steps, cpuMs, seeds * 1000.0 / Math.max(1, cpuMs), wallMs);
    }
}
