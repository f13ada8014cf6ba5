package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos with real processes: five raftd nodes (with --enable-fault-injection), three clients
 * writing expenses exactly once and two reading linearizably, while one fault at a time hits
 * the cluster: SIGKILL and restart of a random node (the leader too), a partition into two
 * groups, a one-way cut. Afterwards every acknowledged expense is on every node exactly once,
 * all ledgers are equal, and the reads form a linearizable history of the writes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChaosIT {

    private static final long CHAOS_MS = Long.getLong("chaos.ms", 30_000);
    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());

    private LocalCluster cluster;
    private final ControllerClient admin = new ControllerClient(Duration.ofMillis(500), 2);

    /** A write: invoked at {@code start}, acknowledged at {@code end} (or never: end = MAX). */
    record Write(long start, long end) {}

    /** A linearizable read of how many expenses exist. */
    record Read(long start, long end, int count) {}

    @BeforeEach
    void start() throws Exception {
        Path dir = Path.of("target", "it", "chaos");
        LocalCluster.deleteRecursively(dir);
        cluster = LocalCluster.localFive(dir, "--enable-fault-injection").startAll();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void acknowledgedWritesSurviveCrashesAndPartitionsAndReadsAreLinearizable() throws Exception {
        System.out.println("ChaosIT seed " + SEED + " (replay the fault schedule with -Dchaos.seed=" + SEED + ")");
        cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Write> writes = new CopyOnWriteArrayList<>();
        List<Read> reads = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String id = "chaos-writer-" + c;
            workers.add(pool.submit(() -> {
                LedgerClient client = new LedgerClient(cluster.spec(), id);
                for (int i = 1; !stop.get(); i++) {
                    long t0 = System.nanoTime();
                    writes.add(new Write(t0, Long.MAX_VALUE)); // invoked, outcome pending
                    int slot = writes.size() - 1;
                    JsonNode r = client.add(i + ".00", "EUR", "chaos", id);
                    writes.set(slot, new Write(t0, System.nanoTime()));
                    assertTrue(r.get("ok").asBoolean(), r.toString());
                    acknowledged.put(id + "/" + i, r.get("id").asText());
                }
                return null;
            }));
        }
        for (int r = 0; r < 2; r++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    Integer count = countLinearizably();
                    if (count != null) {
                        reads.add(new Read(t0, System.nanoTime(), count));
                    }
                }
                return null;
            }));
        }

        int faults = runFaults(new SplittableRandom(SEED));
        heal();
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, List<String>> ledgers = LedgerReads.awaitConverged(cluster, Duration.ofSeconds(30));
        Set<String> ackedIds = new HashSet<>(acknowledged.values());
        assertEquals(acknowledged.size(), ackedIds.size(), "every acknowledged write has its own expense");
        for (Map.Entry<String, List<String>> node : ledgers.entrySet()) {
            List<String> ids = node.getValue();
            assertEquals(ids.size(), new HashSet<>(ids).size(), node.getKey() + " holds an expense twice");
            assertTrue(ids.containsAll(ackedIds), node.getKey() + " lost an acknowledged expense");
            assertTrue(writes.size() >= ids.size(), node.getKey() + " holds an expense nobody wrote");
        }
        String verdict = HistoryChecker.check(writes, reads);
        System.out.printf("ChaosIT: %d faults, %d writes acknowledged, %d reads checked, ledger of %d expenses on every node%n",
                faults, acknowledged.size(), reads.size(), ledgers.values().iterator().next().size());
        assertEquals("linearizable", verdict);
        assertTrue(acknowledged.size() > 50 && reads.size() > 20 && faults >= 5,
                "the run did something: " + acknowledged.size() + " writes, " + reads.size() + " reads, " + faults + " faults");
    }

    /** One fault at a time until the chaos time is up; returns how many. */
    private int runFaults(SplittableRandom random) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHAOS_MS);
        List<String> names = cluster.names();
        int faults = 0;
        while (System.nanoTime() < end) {
            park(500 + random.nextInt(1_000)); // let the cluster work between faults
            int kind = random.nextInt(3);
            if (kind == 0) {
                Answer leader = cluster.ask(names.get(random.nextInt(names.size())), "LEADER_INFO");
                String victim = random.nextBoolean() && leader.answered() && leader.reply().valueText() != null
                        ? leader.reply().valueText() : names.get(random.nextInt(names.size()));
                cluster.kill(victim);
                park(1_000 + random.nextInt(2_000));
                cluster.start(victim);
            } else if (kind == 1) {
                List<String> shuffled = new ArrayList<>(names);
                Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
                List<String> minority = shuffled.subList(0, 2);
                List<String> majority = shuffled.subList(2, 5);
                for (String n : minority) {
                    cut(n, majority, majority);
                }
                for (String n : majority) {
                    cut(n, minority, minority);
                }
                park(2_000 + random.nextInt(2_000));
                heal();
            } else {
                String n = names.get(random.nextInt(names.size()));
                List<String> others = cluster.others(n);
                cut(n, others, List.of()); // it hears everyone, nobody hears it
                park(1_500 + random.nextInt(1_500));
                heal();
            }
            faults++;
        }
        return faults;
    }

    private void cut(String node, List<String> dropTo, List<String> dropFrom) {
        ObjectNode v = Codec.objectNode();
        dropTo.forEach(v.putArray("drop_to")::add);
        dropFrom.forEach(v.putArray("drop_from")::add);
        admin.ask(cluster.spec().node(node).orElseThrow(),
                new ControllerMessage(ControllerMessage.CONTROLLER, "FAULTS", null, null, v));
    }

    /** Every link restored, every node running. */
    private void heal() throws Exception {
        for (String n : cluster.names()) {
            if (!cluster.isRunning(n)) {
                cluster.start(n);
            }
            cut(n, List.of(), List.of());
        }
    }

    /** A linearizable count of the expenses, from whoever leads; null if none could be had quickly. */
    private Integer countLinearizably() {
        ObjectNode q = Codec.objectNode();
        q.put("query", "list");
        q.putObject("filter").put("limit", 1);
        ControllerMessage m = new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, q);
        ControllerClient rpc = new ControllerClient(Duration.ofMillis(500), 1);
        String target = cluster.names().get(0);
        for (int hop = 0; hop < 6; hop++) {
            Answer a = rpc.ask(cluster.spec().node(target).orElseThrow(), m);
            if (!a.answered()) {
                target = cluster.names().get((cluster.names().indexOf(target) + 1) % cluster.names().size());
                continue;
            }
            ControllerMessage r = a.reply();
            if ("EXPENSES".equals(r.request())) {
                return r.value().get("total").asInt();
            }
            if ("LEADER_INFO".equals(r.request()) && r.valueText() != null) {
                target = r.valueText();
            } else {
                return null; // NOT_CONFIRMED, or no leader known: skip this read
            }
        }
        return null;
    }

    private static void park(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms)); // fault pacing, not synchronisation
    }
}
