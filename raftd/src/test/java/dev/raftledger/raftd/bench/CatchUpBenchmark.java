package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.it.LedgerClient;
import dev.raftledger.raftd.it.LocalCluster;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What snapshots buy an operator, on the local five-node cluster: the time for a node that
 * lost its disk (a replacement machine) to catch up with N expenses, and the time for the whole
 * cluster to be back to serving all of them after a full restart; once with snapshots (every
 * {@code --threshold-bytes}, keeping 5,000 entries), once without (a threshold no run reaches),
 * so that the node replays the whole log.
 * Arguments: {@code --expenses N} (default 50,000), {@code --clients C} (default 16),
 * {@code --threshold-bytes B} (default 1 MiB). Run after {@code mvn -DskipTests package}.
 */
public final class CatchUpBenchmark {

    private CatchUpBenchmark() {}

    public static void main(String[] args) throws Exception {
        int expenses = BenchArgs.integer(args, "--expenses", 50_000);
        int clients = BenchArgs.integer(args, "--clients", 16);
        long threshold = BenchArgs.integer(args, "--threshold-bytes", 1 << 20);
        System.out.println("machine: " + Machine.describe());
        System.out.printf(Locale.ROOT, "%d expenses written by %d clients; snapshots every %d bytes applied%n",
                expenses, clients, threshold);
        run("with snapshots", expenses, clients, Long.toString(threshold));
        run("without snapshots", expenses, clients, Long.toString(Long.MAX_VALUE / 2));
    }

    private static void run(String label, int expenses, int clients, String threshold) throws Exception {
        Path work = Path.of("target", "bench-catchup");
        LocalCluster.deleteRecursively(work);
        try (LocalCluster c = LocalCluster.localFive(work, "--snapshot-threshold-bytes", threshold,
                "--snapshot-catchup-entries", "5000")) {
            c.startAll();
            c.awaitUnanimousLeader(c.names(), Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            write(c, expenses, clients);
            System.out.printf(Locale.ROOT, "[%s] wrote %d expenses in %.1f s%n", label, expenses,
                    (System.nanoTime() - t0) / 1e9);
            LeaderView leader = c.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
            long target = applied(c, leader.leader());
            JsonNode ls = c.awaitStatus(leader.leader(), Duration.ofSeconds(2));
            System.out.printf(Locale.ROOT, "[%s] leader %s: applied %d, log from %d, snapshot %s (%s bytes)%n", label,
                    leader.leader(), target, ls.get("log_first_index").asLong(), ls.get("snapshot_index"),
                    ls.get("snapshot_size"));

            String replaced = c.others(leader.leader()).get(0);
            c.kill(replaced);
            LocalCluster.deleteRecursively(c.dataDir(replaced));
            long t1 = System.nanoTime();
            c.start(replaced);
            awaitApplied(c, replaced, target);
            System.out.printf(Locale.ROOT, "[%s] a node with an empty disk caught up to index %d in %.0f ms%n", label,
                    target, (System.nanoTime() - t1) / 1e6);

            measureNewMember(c, label, leader.leader(), target);

            for (String n : c.names()) {
                c.kill(n);
            }
            long t2 = System.nanoTime();
            for (String n : c.names()) {
                c.start(n);
            }
            for (String n : c.names()) {
                awaitApplied(c, n, target);
            }
            System.out.printf(Locale.ROOT, "[%s] full restart (SIGKILL all, start all) to every node applied through "
                    + "%d: %.0f ms%n", label, target, (System.nanoTime() - t2) / 1e6);
        }
    }

    /**
     * A new machine joining: Node6 on 127.0.0.6 started with --join, then MEMBER_ADD to the
     * leader; timed from the request until Node6 has applied through {@code target}. It is then
     * stopped (the cluster stays the five of the seed for the restart that follows; its
     * configuration still lists Node6 as a learner, which counts toward nothing).
     */
    private static void measureNewMember(LocalCluster c, String label, String leader, long target) throws Exception {
        ClusterSpec six = ClusterSpec.parse(c.spec() + ",Node6=127.0.0.6", c.spec().ports());
        c.start("Node6", six, "--join");
        ControllerClient rpc = new ControllerClient(Duration.ofSeconds(10), 1);
        ObjectNode v = Codec.objectNode();
        v.put("name", "Node6");
        v.put("host", "127.0.0.6");
        long t0 = System.nanoTime();
        Answer added = rpc.ask(c.node(leader),
                new ControllerMessage(ControllerMessage.CONTROLLER, "MEMBER_ADD", null, null, v));
        if (!added.answered() || !"COMMITTED".equals(added.reply().keyText())) {
            System.out.printf(Locale.ROOT, "[%s] MEMBER_ADD not committed: %s%n", label,
                    added.answered() ? added.reply() : added.error());
            return;
        }
        NodeAddress node6 = six.node("Node6").orElseThrow();
        ControllerClient quick = new ControllerClient(Duration.ofMillis(500), 1);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            Answer a = quick.ask(node6, ControllerMessage.request("STATUS"));
            if (a.answered() && a.reply().value() != null && a.reply().value().path("applied_index").asLong() >= target) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Node6 did not catch up: " + (a.answered() ? a.reply() : a.error()));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        System.out.printf(Locale.ROOT, "[%s] a new member (MEMBER_ADD of an empty learner) caught up to index %d in "
                + "%.0f ms%n", label, target, (System.nanoTime() - t0) / 1e6);
        c.kill("Node6");
    }

    private static void write(LocalCluster c, int expenses, int clients) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(expenses);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String id = "catchup-" + i;
            Thread t = new Thread(() -> {
                LedgerClient client = new LedgerClient(c.spec(), id);
                while (left.getAndDecrement() > 0) {
                    client.add("12.50", "EUR", "bench", "ana");
                }
            }, id);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static long applied(LocalCluster c, String node) {
        return c.awaitStatus(node, Duration.ofSeconds(5)).get("applied_index").asLong();
    }

    /** Polls STATUS until {@code node} has applied through {@code index} (a 10-minute bound). */
    private static void awaitApplied(LocalCluster c, String node, long index) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            JsonNode s = c.awaitStatus(node, Duration.ofSeconds(30));
            if (s.get("applied_index").asLong() >= index) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node + " did not reach " + index + ": " + s);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
