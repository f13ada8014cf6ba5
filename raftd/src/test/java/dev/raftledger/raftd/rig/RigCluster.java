package dev.raftledger.raftd.rig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Five raftd processes on a {@link NetRig}, each in its own namespace with its own data dir
 * and log file under one work dir, with default timings; the probe through which the test sees
 * them; and the rig's clients ({@link RigClient}). The nodes run {@code raftd/target/raftd}
 * (the launcher built by {@code mvn package}) as {@code ip netns exec NS raftd --name NodeI
 * --cluster Node1=10.77.0.1,... --data-dir DIR --random-seed S}, each start with its own seed
 * derived from the run's. {@link #close} kills every process and removes the network, also
 * when the test failed.
 *
 * <p>Threads: one test thread. Errors: {@link AssertionError} when something awaited does
 * not happen in time, {@link IllegalStateException} when the rig itself breaks.
 */
public final class RigCluster implements AutoCloseable {

    private final NetRig net;
    private final Path dir;
    private final Path launcher;
    private final long seed;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final Set<String> paused = new HashSet<>();
    private final Process probe;
    private final PrintStream probeIn;
    private final BufferedReader probeOut;
    private Process client;

    private RigCluster(NetRig net, Path dir, long seed) throws IOException {
        this.net = net;
        this.dir = dir;
        this.launcher = findLauncher();
        this.seed = seed;
        for (int i = 1; i <= net.size(); i++) {
            names.add("Node" + i);
        }
        probe = net.execPiped(net.clientNamespace(), javaCommand(RigProbe.class, net.clusterSpec()), dir.resolve("probe.log"));
        probeIn = new PrintStream(probe.getOutputStream(), true, StandardCharsets.UTF_8);
        probeOut = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Builds the network in a fresh work dir and starts five nodes. */
    public static RigCluster start(Path dir, long seed) throws IOException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        NetRig net = NetRig.create(5);
        RigCluster c = null;
        try {
            c = new RigCluster(net, dir, seed);
            for (String n : c.names) {
                c.start(n);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close();
            } else {
                net.close();
            }
            throw e;
        }
    }

    public NetRig net() {
        return net;
    }

    public List<String> names() {
        return names;
    }

    public int index(String node) {
        return names.indexOf(node) + 1;
    }

    public Path logFile(String node) {
        return dir.resolve(node + ".log");
    }

    /** Starts (or restarts, on the same data dir) one node. */
    public void start(String node) throws IOException {
        Process old = nodes.get(node);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException(node + " is already running");
        }
        int i = index(node);
        int n = starts.merge(node, 1, Integer::sum);
        long nodeSeed = seed * 1_000 + i * 100L + n;
        nodes.put(node, net.exec(net.nodeNamespace(i), List.of(launcher.toString(), "--name", node,
                "--cluster", net.clusterSpec(), "--data-dir", dir.resolve(node + ".data").toString(),
                "--random-seed", Long.toString(nodeSeed)), logFile(node)));
        paused.remove(node);
    }

    /**
     * The node's process (the launcher execs the JVM, so this is raftd itself), for a benchmark
     * that signals it directly and reads its CPU and memory; empty if it was never started.
     */
    public Optional<ProcessHandle> processHandle(String node) {
        return Optional.ofNullable(nodes.get(node)).map(Process::toHandle);
    }

    public boolean isRunning(String node) {
        Process p = nodes.get(node);
        return p != null && p.isAlive();
    }

    /** SIGKILL, as a crash: no chance to clean up. */
    public void kill(String node) throws InterruptedException {
        Process p = nodes.get(node);
        if (p != null && p.isAlive()) {
            NetRig.signal(p, "KILL");
            p.waitFor(10, TimeUnit.SECONDS);
        }
        paused.remove(node);
    }

    /** SIGSTOP: the process is frozen, its sockets stay open and datagrams queue in its buffers. */
    public void pause(String node) {
        NetRig.signal(nodes.get(node), "STOP");
        paused.add(node);
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(String node) {
        NetRig.signal(nodes.get(node), "CONT");
        paused.remove(node);
    }

    public Set<String> paused() {
        return Set.copyOf(paused);
    }

    // ---- asking through the probe ------------------------------------------------------------

    /** Sends {@code request} to each of {@code to} at once; their answers, in order. */
    public synchronized Map<String, Answer> ask(List<String> to, ControllerMessage request, long timeoutMs, int attempts) {
        ObjectNode line = Codec.objectNode();
        to.forEach(line.putArray("nodes")::add);
        line.put("timeout_ms", timeoutMs).put("attempts", attempts)
                .put("msg", new String(Codec.encode(request), StandardCharsets.UTF_8));
        JsonNode reply = probe(line);
        Map<String, Answer> out = new LinkedHashMap<>();
        for (String n : to) {
            JsonNode a = reply.get(n);
            if (a != null && a.hasNonNull("reply")) {
                byte[] bytes = a.get("reply").asText().getBytes(StandardCharsets.UTF_8);
                try {
                    out.put(n, Answer.of(n, Codec.decodeController(bytes, 0, bytes.length)));
                } catch (Exception e) {
                    out.put(n, Answer.failed(n, "unreadable reply: " + e.getMessage()));
                }
            } else {
                out.put(n, Answer.failed(n, a == null ? "no answer" : a.get("error").asText()));
            }
        }
        return out;
    }

    private JsonNode probe(ObjectNode line) {
        try {
            probeIn.println(Codec.toJson(line));
            String out = probeOut.readLine();
            if (out == null) {
                throw new IllegalStateException("the probe exited; see " + dir.resolve("probe.log"));
            }
            JsonNode reply = Codec.readTree(out);
            if (reply.has("bad")) {
                throw new IllegalStateException("the probe refused " + line + ": " + reply.get("bad"));
            }
            return reply;
        } catch (IOException | dev.raftledger.common.wire.MalformedMessageException e) {
            throw new IllegalStateException("probe: " + e.getMessage(), e);
        }
    }

    /** Each answering node's STATUS object (missing: no answer within {@code timeoutMs}). */
    public Map<String, JsonNode> statuses(long timeoutMs) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ask(names, ControllerMessage.request("STATUS"), timeoutMs, 1).forEach((n, a) -> {
            if (a.answered() && "STATUS".equals(a.reply().request())) {
                out.put(n, a.reply().value());
            }
        });
        return out;
    }

    /** What one node says of the leader. */
    public record LeaderView(String leader, long term) {}

    /** A leader named in one term by at least a majority of the nodes that answered, if any. */
    public Optional<LeaderView> agreedLeader() {
        Map<LeaderView, Integer> votes = new HashMap<>();
        for (Answer a : ask(names, ControllerMessage.request("LEADER_INFO"), 150, 1).values()) {
            if (a.answered() && "LEADER_INFO".equals(a.reply().request()) && a.reply().valueText() != null) {
                LeaderView v = new LeaderView(a.reply().valueText(), a.reply().term() == null ? -1 : a.reply().term());
                if (votes.merge(v, 1, Integer::sum) > names.size() / 2) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    public LeaderView awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<LeaderView> v = agreedLeader();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader agreed by a majority within " + timeout.toMillis() + " ms");
            }
            pause(20);
        }
    }

    /**
     * Polls until every node names the same leader in the same term for {@code stableFor}
     * without a break: a settled cluster, before the clients start.
     */
    public LeaderView awaitStableLeader(Duration stableFor, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LeaderView current = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            Set<LeaderView> views = new HashSet<>();
            int answered = 0;
            for (Answer a : ask(names, ControllerMessage.request("LEADER_INFO"), 150, 1).values()) {
                if (a.answered() && "LEADER_INFO".equals(a.reply().request())) {
                    answered++;
                    views.add(new LeaderView(a.reply().valueText(), a.reply().term() == null ? -1 : a.reply().term()));
                }
            }
            LeaderView v = answered == names.size() && views.size() == 1 ? views.iterator().next() : null;
            long now = System.nanoTime();
            if (v == null || v.leader() == null || !v.equals(current)) {
                current = v;
                since = now;
            } else if (now - since >= stableFor.toNanos()) {
                return current;
            }
            pause(20);
        }
        throw new AssertionError("no leader held by every node for " + stableFor.toMillis() + " ms within "
                + timeout.toMillis() + " ms");
    }

    /**
     * Every node's whole ledger, read from its own applied state (stale reads, paged; one
     * request to every unfinished node per page).
     */
    public Map<String, List<RigChecker.Row>> ledgers() {
        Map<String, List<RigChecker.Row>> rows = new LinkedHashMap<>();
        names.forEach(n -> rows.put(n, new ArrayList<>()));
        Set<String> done = new HashSet<>();
        Map<String, Integer> failures = new HashMap<>();
        while (done.size() < names.size()) {
            List<String> pending = names.stream().filter(n -> !done.contains(n)).toList();
            Map<String, ControllerMessage> requests = new LinkedHashMap<>();
            for (String n : pending) {
                ObjectNode q = Codec.objectNode();
                q.put("query", "list").put("stale", true);
                q.putObject("filter").put("offset", rows.get(n).size()).put("limit", 100);
                requests.put(n, new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, q));
            }
            // nodes at the same offset share one request (the usual case: equal ledgers)
            Map<ControllerMessage, List<String>> byRequest = new LinkedHashMap<>();
            requests.forEach((n, m) -> byRequest.computeIfAbsent(m, k -> new ArrayList<>()).add(n));
            for (Map.Entry<ControllerMessage, List<String>> e : byRequest.entrySet()) {
                ask(e.getValue(), e.getKey(), 1_000, 2).forEach((n, a) -> {
                    if (!a.answered() || !"EXPENSES".equals(a.reply().request())) {
                        if (failures.merge(n, 1, Integer::sum) > 5) {
                            throw new AssertionError(n + " did not give its ledger: " + (a.answered() ? a.reply() : a.error()));
                        }
                        return;
                    }
                    JsonNode page = a.reply().value().get("expenses");
                    page.forEach(x -> rows.get(n).add(new RigChecker.Row(x.get("id").asText(), x.get("category").asText(),
                            x.get("description").asText())));
                    if (page.size() == 0 || rows.get(n).size() >= a.reply().value().get("total").asInt()) {
                        done.add(n);
                    }
                });
            }
        }
        return rows;
    }

    /**
     * Polls until every node answers with the same commit and applied index, then reads every
     * ledger; returns them once all are equal (or the last ones read, at the deadline, for the
     * checker to report how they differ).
     */
    public Map<String, List<RigChecker.Row>> awaitConverged(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<RigChecker.Row>> last = null;
        while (System.nanoTime() < deadline) {
            Map<String, JsonNode> s = statuses(500);
            Set<Long> applied = new HashSet<>();
            Set<Long> commit = new HashSet<>();
            s.values().forEach(v -> {
                applied.add(v.get("applied_index").asLong());
                commit.add(v.get("commit_index").asLong());
            });
            if (s.size() == names.size() && applied.size() == 1 && commit.equals(applied)) {
                last = ledgers();
                if (new HashSet<>(last.values()).size() == 1) {
                    return last;
                }
            }
            pause(100);
        }
        if (last == null) {
            throw new AssertionError("nodes did not reach the same applied index within " + timeout.toMillis()
                    + " ms: " + statuses(500));
        }
        return last;
    }

    // ---- the rig's clients -------------------------------------------------------------------

    /**
     * Starts {@link RigClient} in the clients' namespace ({@code writers} sessions, {@code hot}
     * shared expenses, {@code pauseMs} between a session's operations) and waits until its hot
     * expenses exist.
     */
    public void startClients(Path history, int writers, int hot, int pauseMs) throws IOException {
        client = net.execPiped(net.clientNamespace(), javaCommand(RigClient.class, net.clusterSpec(),
                history.toAbsolutePath().toString(), Integer.toString(writers), Integer.toString(hot), Long.toString(seed), Integer.toString(pauseMs)),
                dir.resolve("clients.log"));
        String line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("ready")) {
            throw new IllegalStateException("the rig clients did not start: " + line + "; see " + dir.resolve("clients.log"));
        }
    }

    /** Tells the clients to stop and waits (at most 30 s) for them to finish their operations. */
    public void stopClients() throws InterruptedException {
        PrintStream in = new PrintStream(client.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("stop");
        in.close();
        if (!client.waitFor(30, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("the rig clients did not stop within 30 s");
        }
        if (client.exitValue() != 0) {
            throw new AssertionError("the rig clients exited with status " + client.exitValue());
        }
    }

    // ---- what the logs say -------------------------------------------------------------------

    /** A leadership event from a node's log: {@code leader} (won an election) or {@code stepdown}. */
    public record LogEvent(Instant at, String node, String kind, long term, String line) {}

    private static final Pattern LINE = Pattern.compile("^(\\S+) \\[\\w+\\] (.*)$");
    private static final Pattern LEADER = Pattern.compile("^(\\S+) is the leader of term (\\d+)");
    private static final Pattern STEPDOWN = Pattern.compile("^(\\S+) stepped down as leader of term (\\d+)");

    /** The lines of a node's log so far (none if it never started). */
    private List<String> logLines(String node) throws IOException {
        return Files.exists(logFile(node)) ? Files.readAllLines(logFile(node), StandardCharsets.UTF_8) : List.of();
    }

    /** Every line of the nodes' logs that contains {@code text}, node by node. */
    public List<String> logLinesContaining(String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (String n : names) {
            for (String l : logLines(n)) {
                if (l.contains(text)) {
                    found.add(l);
                }
            }
        }
        return found;
    }

    /** Every election won and every step-down in the nodes' logs, in time order. */
    public List<LogEvent> leadershipEvents() throws IOException {
        List<LogEvent> events = new ArrayList<>();
        for (String n : names) {
            for (String l : logLines(n)) {
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                Instant at;
                try {
                    at = OffsetDateTime.parse(m.group(1)).toInstant();
                } catch (RuntimeException e) {
                    continue;
                }
                Matcher lead = LEADER.matcher(m.group(2));
                Matcher down = STEPDOWN.matcher(m.group(2));
                if (lead.find()) {
                    events.add(new LogEvent(at, n, "leader", Long.parseLong(lead.group(2)), m.group(2)));
                } else if (down.find()) {
                    events.add(new LogEvent(at, n, "stepdown", Long.parseLong(down.group(2)), m.group(2)));
                }
            }
        }
        events.sort(java.util.Comparator.comparing(LogEvent::at));
        return events;
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** A JVM running {@code main} of a test-tree class with the test's class path. */
    private static List<String> javaCommand(Class<?> main, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                "-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The raftd launcher: the {@code raftd.launcher} property (failsafe sets it), else raftd/target/raftd. */
    static Path findLauncher() {
        String configured = System.getProperty("raftd.launcher");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path candidate : List.of(d.resolve("target/raftd"), d.resolve("raftd/target/raftd"))) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("raftd launcher not found: run 'mvn -DskipTests package' first");
    }

    static void deleteRecursively(Path d) throws IOException {
        if (Files.exists(d)) {
            try (var paths = Files.walk(d)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Waits {@code ms}: pacing between polls and faults, never as synchronisation. */
    static void pause(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Kills the clients, the probe and every node, then removes the network. */
    @Override
    public void close() {
        for (String n : paused) {
            Process p = nodes.get(n);
            if (p != null) {
                NetRig.signal(p, "CONT");
            }
        }
        List<Process> all = new ArrayList<>(nodes.values());
        if (client != null) {
            all.add(client);
        }
        all.add(probe);
        for (Process p : all) {
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        net.close();
    }
}
