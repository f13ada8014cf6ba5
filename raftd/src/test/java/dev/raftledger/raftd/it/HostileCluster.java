package dev.raftledger.raftd.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small cluster of real raftd processes on loopback addresses and ports of the test's own
 * choosing (the hostile-input tests use 127.0.0.61 and up with ports 29000-29002 and 25555), so
 * that it never meets the local five-node cluster on 127.0.0.1-5 and the seed's ports, nor the
 * other integration tests. In the style of {@link LocalCluster}: each node has its data dir and
 * log file under one work dir; {@link #close} kills whatever is still running.
 */
final class HostileCluster implements AutoCloseable {

    private final Path launcher;
    private final Path workDir;
    private final ClusterSpec spec;
    private final List<String> extraArgs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Controller requests this fixture sent to each node: they count in its controller_requests. */
    private final Map<String, AtomicLong> asked = new HashMap<>();

    private HostileCluster(Path launcher, Path workDir, ClusterSpec spec, List<String> extraArgs) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.spec = spec;
        this.extraArgs = extraArgs;
        spec.names().forEach(n -> asked.put(n, new AtomicLong()));
    }

    /**
     * Nodes Node1..Node{size} on {@code firstHost} and the addresses after it (127.0.0.61,
     * 127.0.0.62, ...), all on {@code ports}; not yet started. The work dir is emptied first.
     */
    static HostileCluster on(Path workDir, String firstHost, int size, Ports ports, String... extraArgs)
            throws IOException {
        LocalCluster.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        String prefix = firstHost.substring(0, firstHost.lastIndexOf('.') + 1);
        int first = Integer.parseInt(firstHost.substring(firstHost.lastIndexOf('.') + 1));
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++) {
            members.append(i == 0 ? "" : ",").append("Node").append(i + 1).append('=').append(prefix).append(first + i);
        }
        return new HostileCluster(LocalCluster.findLauncher(), workDir, ClusterSpec.parse(members.toString(), ports),
                List.of(extraArgs));
    }

    ClusterSpec spec() {
        return spec;
    }

    List<String> names() {
        return spec.names();
    }

    NodeAddress node(String name) {
        return spec.node(name).orElseThrow();
    }

    Path logFile(String node) {
        return workDir.resolve(node + ".log");
    }

    /** Starts every node; fails at once if one of their ports is taken. */
    HostileCluster startAll() throws IOException {
        for (NodeAddress n : spec.nodes()) {
            checkPortsFree(n);
        }
        for (String name : names()) {
            start(name);
        }
        return this;
    }

    private static void checkPortsFree(NodeAddress n) {
        for (int port : new int[] {n.ports().appendEntry(), n.ports().requestVote(), n.ports().voteAck(),
            n.ports().controller()}) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(n.host(), port))) {
                probe.getLocalPort();
            } catch (SocketException e) {
                throw new IllegalStateException("UDP " + n.host() + ":" + port + " is in use: is a hostile-input test"
                        + " still running, or a process left over from one?", e);
            }
        }
    }

    Process start(String name) throws IOException {
        Ports p = spec.ports();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--name", name, "--cluster", spec.toString(),
                "--data-dir", workDir.resolve(name + ".data").toString(),
                "--append-entry-port", Integer.toString(p.appendEntry()),
                "--request-vote-port", Integer.toString(p.requestVote()),
                "--vote-ack-port", Integer.toString(p.voteAck()),
                "--controller-port", Integer.toString(p.controller())));
        cmd.addAll(extraArgs);
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()))
                .start();
        processes.put(name, process);
        return process;
    }

    boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    Answer ask(String node, String request, Duration timeout) {
        asked.get(node).incrementAndGet();
        return new ControllerClient(timeout, 1).ask(node(node), ControllerMessage.request(request));
    }

    /** How many controller requests this fixture has sent to {@code node} so far. */
    long asked(String node) {
        return asked.get(node).get();
    }

    /** The node's STATUS object, polling until it answers or {@code timeout} passes. */
    JsonNode awaitStatus(String node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Answer a = ask(node, "STATUS", Duration.ofMillis(250));
            if (a.answered() && "STATUS".equals(a.reply().request())) {
                return a.reply().value();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + " did not answer STATUS within " + timeout.toMillis() + " ms ("
                        + (a.answered() ? "answered " + a.reply() : a.error()) + ")");
            }
            LocalCluster.pause();
        }
    }

    /** Every node's STATUS object, in cluster order. */
    Map<String, JsonNode> statuses(Duration timeout) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String n : names()) {
            out.put(n, awaitStatus(n, timeout));
        }
        return out;
    }

    /** What each node that answered LEADER_INFO names as leader, with its term. */
    Map<String, LocalCluster.LeaderView> leaderViews() {
        Map<String, LocalCluster.LeaderView> views = new LinkedHashMap<>();
        for (String n : names()) {
            Answer a = ask(n, "LEADER_INFO", Duration.ofMillis(100));
            if (a.answered() && "LEADER_INFO".equals(a.reply().request())) {
                views.put(n, new LocalCluster.LeaderView(a.reply().valueText(),
                        a.reply().term() == null ? -1 : a.reply().term()));
            }
        }
        return views;
    }

    /** The leader every node names, in one term, if they all answer and agree. */
    Optional<LocalCluster.LeaderView> unanimousLeader() {
        Map<String, LocalCluster.LeaderView> views = leaderViews();
        if (views.size() != names().size()) {
            return Optional.empty();
        }
        LocalCluster.LeaderView first = views.values().iterator().next();
        boolean agree = first.leader() != null && views.values().stream().allMatch(first::equals);
        return agree ? Optional.of(first) : Optional.empty();
    }

    /**
     * Polls until every node has named the same leader, in the same term, for {@code stableFor}
     * without a break: a settled, warmed-up cluster.
     */
    LocalCluster.LeaderView awaitStableLeader(Duration stableFor, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LocalCluster.LeaderView current = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            Optional<LocalCluster.LeaderView> v = unanimousLeader();
            long now = System.nanoTime();
            if (v.isEmpty() || !v.get().equals(current)) {
                current = v.orElse(null);
                since = now;
            } else if (now - since >= stableFor.toNanos()) {
                return current;
            }
            LocalCluster.pause();
        }
        throw new AssertionError("no leader held for " + stableFor.toMillis() + " ms within " + timeout.toMillis()
                + " ms; last views: " + leaderViews());
    }

    /** Polls until every node names one leader in a term above {@code aboveTerm}. */
    LocalCluster.LeaderView awaitLeaderAbove(long aboveTerm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<LocalCluster.LeaderView> v = unanimousLeader();
            if (v.isPresent() && v.get().term() > aboveTerm) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader agreed above term " + aboveTerm + " within " + timeout.toMillis()
                        + " ms; last views: " + leaderViews());
            }
            LocalCluster.pause();
        }
    }

    /** Kills every node still running; keeps going if interrupted, so none is left behind. */
    @Override
    public void close() {
        boolean interrupted = false;
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
