package dev.raftledger.raftd.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.rig.NetRig.LinkFault;
import dev.raftledger.raftd.rig.RigChecker.Report;
import dev.raftledger.raftd.rig.RigCluster.LogEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos on five real hosts: five raftd processes, each in its own network namespace on a
 * bridge ({@link NetRig}), default timings, while the rig's clients ({@link RigClient}, in a
 * namespace of their own; three sessions) add expenses exactly once, edit three shared expenses and read them
 * linearizably. For about 75 s one fault at a time, from a schedule drawn from the seed, hits
 * the cluster from outside the processes: a partition into a majority and a minority, the leader
 * isolated, one-way cuts (a node that cannot send, or cannot hear), a bridge node that sees both
 * halves of a split, lossy and duplicating links (nftables), slow links ({@code tc tbf}; the
 * kernel has no netem, so no added delay or reordering beyond tbf's queue), SIGSTOP of a node or
 * of the leader for 0.5-5 s, SIGKILL and restart on the same data dir. Between faults the
 * cluster gets 0.5-1.5 s to itself. Then everything heals, the clients stop, every node must
 * hold the same ledger, and {@link RigChecker} must find every read linearizable per expense,
 * every acknowledged add exactly once on every node and no add applied twice.
 *
 * <p>The seed is printed; {@code -Drig.seed=N} replays the fault schedule (the timings of the
 * processes differ from run to run); {@code -Drig.chaos.ms=N} sets the length of the chaos.
 * Skipped (loudly) where the rig cannot run, failed instead with {@code -Drig.required=true}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RigChaosIT {

    private static final long CHAOS_MS = Long.getLong("rig.chaos.ms", 75_000);

    /**
     * The longest stretch the clients may go without any successful operation. Every fault
     * leaves a majority that is up and connected (faults come one at a time; a fault with a
     * minority cut off or one node down is the worst), so a leader must be elected and serving
     * within a few election rounds: the 300 ms longest election timeout, a pre-vote and a vote
     * round trip, a few lost elections, plus the clients' 300 ms per unanswered attempt while
     * they look for the new leader. 5 s bounds that with room for a loaded two-core machine.
     */
    private static final long GAP_BOUND_MS = Long.getLong("rig.gap.bound.ms", 5_000);

    private RigCluster cluster;

    @AfterEach
    void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One fault of the schedule: what, on whom (drawn now; "the leader" is looked up when it strikes), for how long. */
    record Fault(String kind, long gapMs, long durationMs, long draw) {}

    static List<Fault> schedule(long seed, long chaosMs) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] kinds = {"partition", "isolate-leader", "one-way", "bridge", "lossy", "duplicate", "slow", "pause", "kill"};
        List<Fault> faults = new ArrayList<>();
        long t = 0;
        while (t < chaosMs) {
            String kind = kinds[r.nextInt(kinds.length)];
            long gap = 500 + r.nextInt(1_000);
            long duration = kind.equals("pause") ? 500 + r.nextInt(4_501) : 1_500 + r.nextInt(3_500);
            faults.add(new Fault(kind, gap, duration, r.nextLong()));
            t += gap + duration;
        }
        return faults;
    }

    @Test
    void realFaultsFromOutsideLeaveEveryReadLinearizableAndEveryAddExactlyOnce() throws Exception {
        NetRig.requireRig();
        long seed = Long.getLong("rig.seed", System.nanoTime() & 0xffffffffL);
        System.out.println("RigChaosIT seed " + seed + " (replay the fault schedule with -Drig.seed=" + seed + ")");
        Path dir = Path.of("target", "rig", "chaos").toAbsolutePath();
        cluster = RigCluster.start(dir, seed);
        cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30)); // settled before the clients start
        Path history = dir.resolve("history.jsonl");
        cluster.startClients(history, 3, 3, 2);

        List<Fault> schedule = schedule(seed, CHAOS_MS);
        long t0 = System.nanoTime();
        Instant chaosStart = Instant.now();
        for (Fault f : schedule) {
            RigCluster.pause(f.gapMs()); // the cluster's time to itself between faults
            String what = strike(f);
            System.out.printf("RigChaosIT %6.1f s  %s for %d ms%n", (System.nanoTime() - t0) / 1e9, what, f.durationMs());
            RigCluster.pause(f.durationMs()); // the fault lasts this long
            heal();
        }
        long chaosMs = (System.nanoTime() - t0) / 1_000_000;
        cluster.awaitLeader(Duration.ofSeconds(20));
        RigCluster.pause(2_000); // the clients work on a healed cluster for a while
        cluster.stopClients();

        Map<String, List<RigChecker.Row>> ledgers = cluster.awaitConverged(Duration.ofSeconds(60));
        Report report = RigChecker.check(History.read(history), ledgers);
        List<LogEvent> events = cluster.leadershipEvents();
        long elections = events.stream().filter(e -> e.kind().equals("leader")).count();
        long stepDowns = events.stream().filter(e -> e.kind().equals("stepdown")).count();
        long maxTerm = events.stream().mapToLong(LogEvent::term).max().orElse(0);
        long gapAt = (report.gapStartNanos() - t0) / 1_000_000;
        System.out.printf("RigChaosIT seed %d: %d s of chaos, %d faults, %d elections (%d since the chaos began), "
                        + "%d step-downs, last term %d, ledger of %d expenses on every node (digest %s)%n",
                seed, chaosMs / 1000, schedule.size(), elections,
                events.stream().filter(e -> e.kind().equals("leader") && e.at().isAfter(chaosStart)).count(),
                stepDowns, maxTerm, ledgers.values().iterator().next().size(), report.digests().values().iterator().next());
        System.out.println("RigChaosIT " + report.summary() + " (longest gap began " + gapAt + " ms into the chaos)");
        report.violations().stream().limit(20).forEach(v -> System.out.println("RigChaosIT VIOLATION " + v));

        assertEquals(List.of(), report.violations(), "linearizability, exactly-once and equal ledgers");
        assertTrue(report.addsOk() > 100 && report.editsOk() > 20 && report.readsOk() > 20,
                "the run did something: " + report.summary());
        assertTrue(report.longestGapNanos() / 1_000_000 <= GAP_BOUND_MS, "the clients went "
                + report.longestGapNanos() / 1_000_000 + " ms without a successful operation (bound " + GAP_BOUND_MS
                + " ms), from " + gapAt + " ms into the chaos; see the schedule above and " + dir);
    }

    /** Applies one fault; returns what it did, for the log. */
    private String strike(Fault f) throws Exception {
        SplittableRandom r = new SplittableRandom(f.draw());
        List<String> names = cluster.names();
        List<Integer> all = new ArrayList<>(List.of(1, 2, 3, 4, 5));
        Collections.shuffle(all, new Random(r.nextLong()));
        int leader = leaderOr(all.get(0));
        NetRig net = cluster.net();
        switch (f.kind()) {
            case "partition" -> {
                Set<Integer> minority = new TreeSet<>(all.subList(0, 2));
                Set<Integer> majority = new TreeSet<>(all.subList(2, 5));
                net.partition(List.of(minority, majority));
                return "partition " + minority + " | " + majority + " (leader " + leader + ")";
            }
            case "isolate-leader" -> {
                Set<Integer> rest = new TreeSet<>(all);
                rest.remove(leader);
                net.partition(List.of(Set.of(leader), rest));
                return "leader " + leader + " isolated";
            }
            case "one-way" -> {
                int n = r.nextBoolean() ? leader : all.get(1);
                Set<Integer> others = new TreeSet<>(all);
                others.remove(n);
                if (r.nextBoolean()) {
                    net.cutOneWay(n, others);
                    return "node " + n + " cannot send to anyone (hears all)" + (n == leader ? " (the leader)" : "");
                }
                for (int o : others) {
                    net.cutOneWay(o, Set.of(n));
                }
                return "node " + n + " hears nobody (can send)" + (n == leader ? " (the leader)" : "");
            }
            case "bridge" -> {
                Set<Integer> left = new TreeSet<>(all.subList(0, 2));
                Set<Integer> right = new TreeSet<>(all.subList(3, 5));
                net.bridgePartition(left, right);
                return "split " + left + " | " + right + " with node " + all.get(2) + " seeing both (leader " + leader + ")";
            }
            case "lossy" -> {
                int count = 1 + r.nextInt(2);
                StringBuilder what = new StringBuilder("lossy links:");
                for (int k = 0; k < count; k++) {
                    int n = k == 0 && r.nextBoolean() ? leader : all.get(k + 1);
                    LinkFault lf = new LinkFault(10 + r.nextInt(31), r.nextInt(3) == 0 ? 10 : 0, 0);
                    net.link(n, lf);
                    what.append(" node ").append(n).append(n == leader ? " (the leader)" : "").append(' ')
                            .append(lf.lossPercent()).append("% loss")
                            .append(lf.dupPercent() > 0 ? ", " + lf.dupPercent() + "% duplicated" : "");
                }
                return what.toString();
            }
            case "duplicate" -> {
                int pct = 20 + r.nextInt(31);
                for (int n = 1; n <= 5; n++) {
                    net.link(n, new LinkFault(0, pct, 0));
                }
                return "every link duplicates " + pct + "% of its packets";
            }
            case "slow" -> {
                int count = 1 + r.nextInt(2);
                StringBuilder what = new StringBuilder("slow links (tbf 512 kbit/s):");
                for (int k = 0; k < count; k++) {
                    int n = k == 0 && r.nextBoolean() ? leader : all.get(k + 1);
                    int loss = r.nextBoolean() ? 5 : 0;
                    net.link(n, new LinkFault(loss, 0, 512));
                    what.append(" node ").append(n).append(n == leader ? " (the leader)" : "")
                            .append(loss > 0 ? " with 5% loss" : "");
                }
                return what.toString();
            }
            case "pause" -> {
                int n = r.nextBoolean() ? leader : all.get(1);
                cluster.pause(names.get(n - 1));
                return "SIGSTOP node " + n + (n == leader ? " (the leader)" : "");
            }
            case "kill" -> {
                int n = r.nextBoolean() ? leader : all.get(1);
                cluster.kill(names.get(n - 1));
                return "SIGKILL node " + n + (n == leader ? " (the leader)" : "") + ", restart after";
            }
            default -> throw new IllegalStateException(f.kind());
        }
    }

    /** The node most nodes name as leader now, else {@code fallback}. */
    private int leaderOr(int fallback) {
        Optional<RigCluster.LeaderView> v = cluster.agreedLeader();
        return v.map(l -> cluster.index(l.leader())).orElse(fallback);
    }

    /** Every link healed, every paused node resumed, every killed node restarted (same data dir). */
    private void heal() throws Exception {
        cluster.net().healAll();
        for (String n : cluster.names()) {
            if (cluster.paused().contains(n)) {
                cluster.resume(n);
            }
            if (!cluster.isRunning(n)) {
                cluster.start(n);
            }
        }
    }
}
