package dev.raftledger.raftd.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Five (or N) real raftd processes on 127.0.0.1..127.0.0.N with the seed's ports, each with its
 * own data dir and log file under one work dir. Used by the integration tests and benchmarks.
 * {@link #close} kills whatever is still running, so a failed test leaves no process behind.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path launcher;
    private final Path workDir;
    private final ClusterSpec spec;
    private final List<String> extraArgs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Nodes started with another launcher than {@link #launcher} (another release's raftd). */
    private final Map<String, Path> launchers = new HashMap<>();
    /** Environment variables set for every node started from now on (RAFT_JAVA_OPTS: JVM flags). */
    private final Map<String, String> environment = new LinkedHashMap<>();
    private ClusterAuth auth = ClusterAuth.none();
    private ControllerClient quick = new ControllerClient(Duration.ofMillis(60), 1);

    private LocalCluster(Path launcher, Path workDir, ClusterSpec spec, List<String> extraArgs) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.spec = spec;
        this.extraArgs = extraArgs;
    }

    /** The local five-node cluster of the README, not yet started. */
    public static LocalCluster localFive(Path workDir, String... extraArgs) throws IOException {
        Files.createDirectories(workDir);
        return new LocalCluster(findLauncher(), workDir, ClusterSpec.localFive(), List.of(extraArgs));
    }

    /**
     * Nodes Node1..Node{size} on {@code firstHost} and the addresses after it (127.0.0.61,
     * 127.0.0.62, ...), all on {@code ports}; not yet started. The work dir is emptied first. For
     * tests that must not collide with the local five-node cluster on the seed's addresses.
     */
    public static LocalCluster on(Path workDir, String firstHost, int size, Ports ports, String... extraArgs)
            throws IOException {
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        String prefix = firstHost.substring(0, firstHost.lastIndexOf('.') + 1);
        int first = Integer.parseInt(firstHost.substring(firstHost.lastIndexOf('.') + 1));
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++) {
            members.append(i == 0 ? "" : ",").append("Node").append(i + 1).append('=').append(prefix).append(first + i);
        }
        return new LocalCluster(findLauncher(), workDir, ClusterSpec.parse(members.toString(), ports), List.of(extraArgs));
    }

    /**
     * The raftd launcher built by {@code mvn package}: the {@code raftd.launcher} system
     * property (set by failsafe), else raftd/target/raftd found from the working directory.
     */
    static Path findLauncher() {
        String configured = System.getProperty("raftd.launcher");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("target/raftd"), dir.resolve("raftd/target/raftd"))) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("raftd launcher not found: run 'mvn -DskipTests package' first");
    }

    /** Makes this fixture's own requests signed with the cluster key (start the nodes with it too). */
    public LocalCluster useAuth(ClusterAuth auth) {
        this.auth = auth;
        this.quick = new ControllerClient(Duration.ofMillis(60), 1, auth);
        return this;
    }

    /** Sets an environment variable for the nodes started from now on, e.g. RAFT_JAVA_OPTS (the launcher's JVM flags). */
    public LocalCluster withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Starts {@code node} with {@code other} from now on (a launcher of another release, for the
     * upgrade test); null: this build's launcher again.
     */
    public LocalCluster useLauncher(String node, Path other) {
        if (other == null) {
            launchers.remove(node);
        } else {
            launchers.put(node, other);
        }
        return this;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public List<String> names() {
        return spec.names();
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir(String node) {
        return workDir.resolve(node + ".data");
    }

    public Path logFile(String node) {
        return workDir.resolve(node + ".log");
    }

    /** Starts every node; fails at once if a port is taken (a local cluster already running?). */
    public LocalCluster startAll() throws IOException {
        for (NodeAddress n : spec.nodes()) {
            checkPortsFree(n);
        }
        for (String name : names()) {
            start(name);
        }
        return this;
    }

    private static void checkPortsFree(NodeAddress n) {
        int[] ports = {n.ports().appendEntry(), n.ports().requestVote(), n.ports().voteAck(), n.ports().controller()};
        for (int port : ports) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(n.host(), port))) {
                probe.getLocalPort();
            } catch (SocketException e) {
                throw new IllegalStateException("UDP " + n.host() + ":" + port + " is in use; is a local cluster "
                        + "running? Stop it with 'packaging/local/cluster down'", e);
            }
        }
    }

    /** Starts (or restarts) one node with its data dir and log file. */
    public Process start(String name) throws IOException {
        return start(name, spec);
    }

    /**
     * As above, with {@code members} as its --cluster list and {@code extra} flags for it alone:
     * for membership changes (the first nodes start with the cluster as it is; a node joining
     * later with the members and itself, and --join).
     */
    public Process start(String name, ClusterSpec members, String... extra) throws IOException {
        Process old = processes.get(name);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Ports ports = spec.ports();
        List<String> cmd = new ArrayList<>(List.of(launchers.getOrDefault(name, launcher).toString(), "--name", name,
                "--cluster", members.toString(), "--data-dir", dataDir(name).toString(),
                "--append-entry-port", Integer.toString(ports.appendEntry()),
                "--request-vote-port", Integer.toString(ports.requestVote()),
                "--vote-ack-port", Integer.toString(ports.voteAck()),
                "--controller-port", Integer.toString(ports.controller())));
        cmd.addAll(extraArgs);
        cmd.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(environment);
        Process p = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()))
                .start();
        processes.put(name, p);
        return p;
    }

    public NodeAddress node(String name) {
        return spec.node(name).orElseThrow();
    }

    /** The node's STATUS object, polling until it answers or {@code timeout} passes. */
    public JsonNode awaitStatus(String node, Duration timeout) {
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
            pause();
        }
    }

    /** Every node's STATUS object, in cluster order. */
    public Map<String, JsonNode> statuses(Duration timeout) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String n : names()) {
            out.put(n, awaitStatus(n, timeout));
        }
        return out;
    }

    public Process process(String name) {
        return processes.get(name);
    }

    public boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    /** SIGKILL: the node gets no chance to clean up, as in a crash. */
    public void kill(String name) throws InterruptedException {
        Process p = processes.get(name);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code signal} (e.g. "HUP") to the node's process (the JVM: the launcher execs it)
     * with kill(1); fails if it cannot be sent.
     */
    public void signal(String name, String signal) throws IOException, InterruptedException {
        Process p = processes.get(name);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + signal + " " + p.pid() + " (" + name + ") failed: " + out);
        }
    }

    /** SIGTERM, then waits for the exit status (or -1 if it did not exit in time). */
    public int terminate(String name, Duration timeout) throws InterruptedException {
        Process p = processes.get(name);
        p.destroy();
        return awaitExit(name, timeout);
    }

    public int awaitExit(String name, Duration timeout) throws InterruptedException {
        Process p = processes.get(name);
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
    }

    public Answer ask(String node, String request) {
        return quick.ask(spec.node(node).orElseThrow(), ControllerMessage.request(request));
    }

    public Answer ask(String node, String request, Duration timeout) {
        return ask(node, ControllerMessage.request(request), timeout);
    }

    public Answer ask(String node, ControllerMessage request, Duration timeout) {
        return new ControllerClient(timeout, 1, auth).ask(spec.node(node).orElseThrow(), request);
    }

    /** One LEADER_INFO round to {@code nodes}: what each that answered names as leader, with its term. */
    public Map<String, LeaderView> leaderViews(Collection<String> nodes) {
        return views(quick.askAll(subset(nodes), ControllerMessage.request("LEADER_INFO")).values());
    }

    private static Map<String, LeaderView> views(Collection<Answer> answers) {
        Map<String, LeaderView> views = new HashMap<>();
        for (Answer a : answers) {
            if (a.answered()) {
                ControllerMessage r = a.reply();
                views.put(a.node(), new LeaderView(r.valueText(), r.term() == null ? -1 : r.term()));
            }
        }
        return views;
    }

    /**
     * A leader named, in one term, by at least {@code needed} of {@code nodes}, if there is one.
     * The poll ends as soon as the answers in hand agree: a node slow to answer (a JVM started
     * a moment ago) does not delay a measurement it is not needed for.
     */
    public Optional<LeaderView> agreedLeader(Collection<String> nodes, int needed) {
        return agreed(quick.askAllUntil(subset(nodes), ControllerMessage.request("LEADER_INFO"),
                so -> agreed(so, needed).isPresent()).values(), needed);
    }

    private static Optional<LeaderView> agreed(Collection<Answer> answers, int needed) {
        return agreedView(views(answers).values(), needed);
    }

    /** A leader named, in one term, by at least {@code needed} of {@code views}, if there is one. */
    public static Optional<LeaderView> agreedView(Collection<LeaderView> views, int needed) {
        Map<LeaderView, Integer> votes = new HashMap<>();
        for (LeaderView v : views) {
            if (v.leader() != null && votes.merge(v, 1, Integer::sum) >= needed) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Polls until at least {@code needed} of {@code nodes} agree on a leader in a term above
     * {@code aboveTerm}; fails after {@code timeout}.
     */
    public LeaderView awaitLeader(Collection<String> nodes, int needed, long aboveTerm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // each node asked again as soon as it answered: the benchmarks time failovers with this
        List<NodeAddress> members = subset(nodes).nodes();
        try (LeaderWatch.ControllerPorts ports = new LeaderWatch.ControllerPorts(members, auth)) {
            return LeaderWatch.await(members, ports, POLL_INTERVAL_NANOS, LeaderWatch.ControllerPorts.RESEND_NANOS,
                    needed, aboveTerm, deadline).orElseThrow(() -> new AssertionError(
                    "no leader agreed by " + needed + " of " + nodes + " above term " + aboveTerm + " within "
                            + timeout.toMillis() + " ms; last views: " + leaderViews(nodes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a leader", e);
        }
    }

    /** Every node of {@code nodes} answers and names the same leader in the same term. */
    public LeaderView awaitUnanimousLeader(Collection<String> nodes, Duration timeout) {
        return awaitLeader(nodes, nodes.size(), -1, timeout);
    }

    /**
     * Polls until every node has named the same leader, in the same term, for {@code stableFor}
     * without a break: a settled, warmed-up cluster.
     */
    public LeaderView awaitStableLeader(Duration stableFor, Duration timeout) {
        return awaitStable(() -> agreedLeader(names(), names().size()), stableFor, timeout,
                () -> "last views: " + leaderViews(names()));
    }

    /**
     * Polls {@code agreed} (every 5 ms) until it has named the same leader, in the same term, for
     * {@code stableFor} without a break; fails after {@code timeout}, saying {@code lastViews}.
     * Shared with the etcd side-by-side benchmark, which polls etcd's members the same way.
     */
    public static LeaderView awaitStable(Supplier<Optional<LeaderView>> agreed, Duration stableFor, Duration timeout,
                                         Supplier<String> lastViews) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LeaderView current = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            Optional<LeaderView> v = agreed.get();
            long now = System.nanoTime();
            if (v.isEmpty() || !v.get().equals(current)) {
                current = v.orElse(null);
                since = now;
            } else if (now - since >= stableFor.toNanos()) {
                return current;
            }
            pause();
        }
        throw new AssertionError("no leader held for " + stableFor.toMillis() + " ms within "
                + timeout.toMillis() + " ms; " + lastViews.get());
    }

    private ClusterSpec subset(Collection<String> nodes) {
        StringBuilder sb = new StringBuilder();
        for (String n : nodes) {
            NodeAddress a = spec.node(n).orElseThrow();
            sb.append(sb.length() == 0 ? "" : ",").append(n).append('=').append(a.host());
        }
        return ClusterSpec.parse(sb.toString(), spec.ports());
    }

    /**
     * The gap between two polls: short against the 200-300 ms timings being measured, long
     * enough that the polling does not take CPU from the nodes on a two-core machine.
     */
    public static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(POLL_INTERVAL_NANOS);
    }

    /** Deletes a directory tree (a previous run's data and logs), if it exists. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    public List<String> others(String node) {
        return names().stream().filter(n -> !n.equals(node)).toList();
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

    /** What one node says of the leader. */
    public record LeaderView(String leader, long term) {}
}
