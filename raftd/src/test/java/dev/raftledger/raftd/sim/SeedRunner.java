package dev.raftledger.raftd.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Runs many seeds on a small fixed pool of threads. Each run is single-threaded and depends only
 * on its seed, so the threads change the wall time and nothing else; results come back sorted
 * by seed. Only failures are kept whole (a soak of 100,000 runs would not fit otherwise).
 */
final class SeedRunner {

    /** Totals of the runs, and the failures, by seed. */
    record Outcome(SimStats totals, List<SimResult> failures, long wallMs) {}

    private SeedRunner() {}

    static int threads() {
        return Integer.getInteger("sim.threads", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** Runs {@code count} seeds from {@code first}; stops early after a failure that {@code stopAt} accepts. */
    static Outcome run(long first, long count, LongFunction<SimConfig> config, Predicate<SimResult> stopAt) {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong(first);
        long end = first + count;
        List<SimResult> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads());
        try {
            List<Future<SimStats>> workers = new ArrayList<>();
            for (int t = 0; t < threads(); t++) {
                workers.add(pool.submit(() -> {
                    SimStats mine = new SimStats();
                    for (long seed = next.getAndIncrement(); seed < end; seed = next.getAndIncrement()) {
                        SimResult r = new Simulator(config.apply(seed)).run();
                        mine.add(r.stats());
                        if (!r.ok()) {
                            synchronized (failures) {
                                failures.add(r);
                                if (stopAt.test(r)) {
                                    next.set(end);
                                }
                            }
                        }
                    }
                    return mine;
                }));
            }
            SimStats totals = new SimStats();
            for (Future<SimStats> w : workers) {
                totals.add(w.get());
            }
            failures.sort(Comparator.comparingLong(SimResult::seed));
            return new Outcome(totals, failures, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException("a simulation worker failed", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
