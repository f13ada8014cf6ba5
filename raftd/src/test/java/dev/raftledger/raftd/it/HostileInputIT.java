package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.it.HostileDatagrams.Verdict;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input against a real three-node cluster: malformed, truncated, oversized, deeply
 * nested and type-confused JSON on every port of every node, and well-formed messages with
 * absurd terms and indices in the names of strangers, sent in volume from addresses outside the
 * cluster and from the members' own addresses (other ports). Nodes stay up, the counters count
 * what they must, error replies and log lines stay within their rate limits, and state (term,
 * leader, log) does not move.
 *
 * <p>The clusters run on 127.0.0.61-63 (the flood), .64-66 (three nodes) and .67 (one node),
 * with ports 29000-29002 and 25555, and hostile datagrams come from 127.0.0.69 and .70: away from
 * the local five-node cluster and every other integration test, so these tests may run while
 * others do.
 *
 * <p>The last five tests are regression tests for defects this class found (a number that
 * killed a listener, forged log lines, oversized error replies, unknown requests neither counted
 * nor rate-limited, a STORE too large to replicate that deposed the leader).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputIT {

    private static final Ports PORTS = new Ports(29000, 29001, 29002, 25555);
    private static final long SEED = 0x4057_11E5_0001L;
    /** Datagrams sent in the flood, over about {@link #FLOOD_SECONDS} seconds. */
    private static final int FLOOD = 20_000;
    private static final double FLOOD_SECONDS = 5.0;
    /** Error replies a node sends to malformed controller datagrams: a burst of 50, then 50 a second. */
    private static final int ERROR_REPLY_BURST = 50;
    private static final int ERROR_REPLIES_PER_SECOND = 50;
    /** Bad-input warnings: one a second per listener (burst 1), four listeners. */
    private static final int LISTENERS = 4;

    /**
     * Election timeouts of 1-1.5 s instead of 200-300 ms. What is tested is what input does to a
     * node's state, and a forged term moves it at once; on a loaded two-core machine the default
     * timeouts can also lapse for want of CPU, an election that would only be noise here.
     */
    private static final String[] SLOW_ELECTIONS = {"--election-timeout-min-ms", "1000", "--election-timeout-max-ms", "1500"};

    /** Where the flood comes from: two outsiders, then the three members' own addresses (other ports). */
    private static final List<String> SOURCES = List.of("127.0.0.69", "127.0.0.70", "127.0.0.61", "127.0.0.62",
            "127.0.0.63");

    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFloodOfHostileDatagramsLeavesEveryNodeUpCountedRateLimitedAndItsStateUnmoved() throws Exception {
        cluster = LocalCluster.on(workDir("flood"), "127.0.0.61", 3, PORTS, SLOW_ELECTIONS).startAll();
        Plan plan = plan(FLOOD); // made before the state is recorded: it takes the test's CPU for a while
        LocalCluster.LeaderView leader = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30));
        Map<String, JsonNode> before = cluster.statuses(Duration.ofSeconds(2));
        Map<String, Long> logLinesBefore = new LinkedHashMap<>();
        for (String n : cluster.names()) {
            logLinesBefore.put(n, (long) Files.readAllLines(cluster.logFile(n)).size());
        }

        Map<String, OptionalLong> dropsBefore = kernelDrops();
        Flood flood;
        try (Sources sources = Sources.open(SOURCES)) {
            flood = send(plan, sources);
            awaitCountersSettle(Duration.ofSeconds(10));
            sources.awaitQuiet(Duration.ofMillis(700), Duration.ofSeconds(10));
            flood.replies = sources.replies();
        }
        Map<String, OptionalLong> dropsAfter = kernelDrops();
        Map<String, JsonNode> after = cluster.statuses(Duration.ofSeconds(2));

        StringBuilder report = new StringBuilder("hostile flood, seed " + SEED + ": " + plan.datagrams.size()
                + " datagrams (" + plan.bytes / 1024 + " KiB) in " + flood.seconds() + " s from 5 sources; "
                + plan.skipped + " generated datagrams not sent (acted on without authentication); kinds "
                + plan.kinds + "\n");
        for (String n : cluster.names()) {
            report.append(nodeReport(n, plan, flood, before.get(n), after.get(n), dropsBefore.get(n),
                    dropsAfter.get(n))).append('\n');
        }
        System.out.print(report);

        // every node is up and answers
        for (String n : cluster.names()) {
            assertTrue(cluster.isRunning(n), n + " is running\n" + report);
        }
        // state did not move: one leader, same term, same log, nothing committed
        assertEquals(leader, cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(5)),
                "same leader, same term\n" + report);
        for (String n : cluster.names()) {
            JsonNode b = before.get(n);
            JsonNode a = after.get(n);
            for (String field : List.of("term", "leader", "last_log_index", "last_log_term", "commit_index",
                    "applied_index")) {
                assertEquals(b.get(field), a.get(field), n + " " + field + " moved\n" + report);
            }
            assertEquals(0, counter(a, "elections_started") - counter(b, "elections_started"),
                    n + " started no election\n" + report);
        }
        // the counters count, the replies and the log lines are bounded
        StringBuilder logs = new StringBuilder("hostile flood, log lines:");
        for (String n : cluster.names()) {
            checkCounters(n, plan, flood, before.get(n), after.get(n), dropsBefore.get(n), dropsAfter.get(n), report);
            checkErrorReplies(n, plan, flood, report);
            logs.append(' ').append(n).append(' ').append(checkLog(n, logLinesBefore.get(n), flood, report))
                    .append(" warnings;");
        }
        System.out.println(logs);
    }

    // ---- the plan: which datagram goes where, and what it must do there ---------------------

    /** One datagram of the flood. */
    private record Shot(byte[] bytes, String node, PortRole port, int source, Verdict verdict, String kind) {}

    private static final class Plan {
        final List<Shot> datagrams = new ArrayList<>();
        final Map<String, Map<Verdict, Integer>> expected = new LinkedHashMap<>();
        /** Malformed datagrams to each node's controller port: each may be answered MALFORMED (rate-limited). */
        final Map<String, Integer> malformedToController = new LinkedHashMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        /** Unknown requests whose name is too long to echo in a reply (a known bug, see below). */
        int skipped;
        long bytes;

        int expected(String node, Verdict v) {
            return expected.get(node).getOrDefault(v, 0);
        }
    }

    /**
     * {@code count} datagrams from the generator, each to a random port of a random node from one
     * of five sources, with what that node must do with it. A member's message from an address
     * that is not that member's is sent (it must be dropped and counted: unexpected_sources).
     * Datagrams it would act on (a member's message from that member's own address, without
     * authentication; a request that changes a node) are left out: this flood is the one whose
     * state must not move (see {@link #withoutAClusterKeyAVoteRequestInAMembersNameFromAnotherAddressMovesNothing}).
     */
    private Plan plan(int count) {
        List<String> members = cluster.names();
        // names to look genuine: the members and two lookalikes that are not (Node4, Node5)
        List<String> names = new ArrayList<>(members);
        names.addAll(List.of("Node4", "Node5"));
        Supplier<byte[]> generator = HostileDatagrams.generator(SEED, names, HostileDatagrams.defaultStrangers());
        SplittableRandom where = new SplittableRandom(SEED);
        PortRole[] ports = PortRole.values();
        Plan plan = new Plan();
        for (String n : members) {
            plan.expected.put(n, new EnumMap<>(Verdict.class));
            plan.malformedToController.put(n, 0);
        }
        while (plan.datagrams.size() < count) {
            byte[] bytes = generator.get();
            String kind = HostileDatagrams.lastKind(generator);
            String node = members.get(where.nextInt(members.size()));
            PortRole port = ports[where.nextInt(ports.length)];
            int source = where.nextInt(5);
            Verdict v = HostileDatagrams.verdict(bytes, port, node, cluster.spec());
            if (v == Verdict.ACTED_ON && port != PortRole.CONTROLLER
                    && !cluster.node(claimedSender(bytes)).host().equals(SOURCES.get(source))) {
                v = Verdict.UNEXPECTED_SOURCE; // a member's message, forged from another address
            }
            if (v == Verdict.ACTED_ON) {
                plan.skipped++;
                continue;
            }
            plan.datagrams.add(new Shot(bytes, node, port, source, v, kind));
            plan.expected.get(node).merge(v, 1, Integer::sum);
            if (v == Verdict.MALFORMED && port == PortRole.CONTROLLER) {
                plan.malformedToController.merge(node, 1, Integer::sum);
            }
            plan.kinds.merge(kind, 1, Integer::sum);
            plan.bytes += bytes.length;
        }
        return plan;
    }

    /** The sender a peer message names (it decodes: its verdict said so). */
    private static String claimedSender(byte[] datagram) {
        try {
            return Codec.decodePeer(datagram, 0, datagram.length).sender();
        } catch (MalformedMessageException e) {
            throw new AssertionError("a peer message judged acted on does not decode", e);
        }
    }

    // ---- sending ----------------------------------------------------------------------------

    /** What the flood did: when it started and ended, and the replies that came back. */
    private static final class Flood {
        long startedNanos;
        long endedNanos;
        int sendErrors;
        Replies replies;

        String seconds() {
            return String.format("%.1f", (endedNanos - startedNanos) / 1e9);
        }
    }

    /** Sends the plan at an even pace, {@link #FLOOD} datagrams in about {@link #FLOOD_SECONDS} s. */
    private Flood send(Plan plan, Sources sources) {
        Flood f = new Flood();
        long interval = (long) (FLOOD_SECONDS * 1e9 / plan.datagrams.size());
        f.startedNanos = System.nanoTime();
        long deadline = f.startedNanos + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < plan.datagrams.size() && System.nanoTime() < deadline; i++) {
            long due = f.startedNanos + i * interval;
            long early = due - System.nanoTime();
            if (early > 0) {
                LockSupport.parkNanos(early);
            }
            Shot s = plan.datagrams.get(i);
            NodeAddress n = cluster.node(s.node());
            InetSocketAddress target = new InetSocketAddress(n.host(), s.port().port(PORTS));
            try {
                sources.socket(s.source()).send(new DatagramPacket(s.bytes(), s.bytes().length, target));
            } catch (IOException e) {
                f.sendErrors++;
            }
        }
        f.endedNanos = System.nanoTime();
        return f;
    }

    /**
     * The sockets the flood is sent from, each with a thread counting the replies that come back
     * (from the nodes' controller ports) by node and by request and key.
     */
    private static final class Sources implements AutoCloseable {
        private final List<DatagramSocket> sockets = new ArrayList<>();
        private final List<Thread> readers = new ArrayList<>();
        private final Replies replies = new Replies();

        static Sources open(List<String> hosts) throws SocketException {
            Sources s = new Sources();
            try {
                for (String host : hosts) {
                    DatagramSocket socket = new DatagramSocket(null);
                    socket.setReceiveBufferSize(4 << 20);
                    socket.bind(new InetSocketAddress(host, 0));
                    socket.setSoTimeout(100);
                    s.sockets.add(socket);
                    Thread t = new Thread(() -> s.read(socket), "hostile-replies-" + host);
                    t.setDaemon(true);
                    t.start();
                    s.readers.add(t);
                }
            } catch (SocketException e) {
                s.close();
                throw e;
            }
            return s;
        }

        DatagramSocket socket(int i) {
            return sockets.get(i);
        }

        private void read(DatagramSocket socket) {
            byte[] buf = new byte[65_536];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                replies.count(p);
            }
        }

        /** Waits until no reply has arrived for {@code quiet}, or {@code timeout} passes. */
        void awaitQuiet(Duration quiet, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && System.nanoTime() - replies.lastNanos.get() < quiet.toNanos()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        Replies replies() {
            return replies;
        }

        @Override
        public void close() {
            sockets.forEach(DatagramSocket::close);
            for (Thread t : readers) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Replies received, by the node's address and by "REQUEST/KEY" (e.g. "ERROR/MALFORMED"). */
    private static final class Replies {
        final Map<String, Map<String, AtomicLong>> byHost = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> lastMalformedNanos = new ConcurrentHashMap<>();
        final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        final List<String> unreadable = java.util.Collections.synchronizedList(new ArrayList<>());

        void count(DatagramPacket p) {
            String host = p.getAddress().getHostAddress();
            String what;
            try {
                ControllerMessage m = Codec.decodeController(p.getData(), p.getOffset(), p.getLength());
                what = m.request() + "/" + m.keyText();
            } catch (MalformedMessageException e) {
                what = "UNREADABLE";
                if (unreadable.size() < 5) {
                    unreadable.add(host + ": " + p.getLength() + " bytes: " + e.getMessage() + ": "
                            + new String(p.getData(), p.getOffset(), Math.min(p.getLength(), 300), StandardCharsets.UTF_8));
                }
            }
            long now = System.nanoTime();
            byHost.computeIfAbsent(host, h -> new ConcurrentHashMap<>())
                    .computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
            if (what.equals("ERROR/MALFORMED") || what.equals("ERROR/UNKNOWN_REQUEST")) {
                lastMalformedNanos.computeIfAbsent(host, h -> new AtomicLong()).set(now);
            }
            lastNanos.set(now);
        }

        long count(String host, String what) {
            AtomicLong n = byHost.getOrDefault(host, Map.of()).get(what);
            return n == null ? 0 : n.get();
        }

        long total(String host) {
            return byHost.getOrDefault(host, Map.of()).values().stream().mapToLong(AtomicLong::get).sum();
        }

        Map<String, Long> of(String host) {
            return byHost.getOrDefault(host, Map.of()).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(), (a, b) -> a, TreeMap::new));
        }
    }

    // ---- checks -----------------------------------------------------------------------------

    /** Polls STATUS until the nodes' bad-input counters stop moving (the listeners have caught up). */
    private void awaitCountersSettle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long sum = 0;
            for (String n : cluster.names()) {
                JsonNode s = cluster.awaitStatus(n, Duration.ofSeconds(2));
                sum += counter(s, "malformed_datagrams") + counter(s, "unknown_senders");
            }
            if (sum != last) {
                last = sum;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private Map<String, OptionalLong> kernelDrops() {
        Map<String, OptionalLong> drops = new LinkedHashMap<>();
        Set<Integer> ports = Set.of(PORTS.appendEntry(), PORTS.requestVote(), PORTS.voteAck(), PORTS.controller());
        for (String n : cluster.names()) {
            drops.put(n, HostileDatagrams.kernelDrops(cluster.node(n).host(), ports));
        }
        return drops;
    }

    /** Datagrams to {@code node} the kernel dropped during the flood (0 if it does not say). */
    private static long dropped(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : 0;
    }

    private void checkCounters(String n, Plan plan, Flood flood, JsonNode before, JsonNode after, OptionalLong dropsBefore,
                               OptionalLong dropsAfter, StringBuilder report) {
        long malformed = counter(after, "malformed_datagrams") - counter(before, "malformed_datagrams");
        long unknown = counter(after, "unknown_senders") - counter(before, "unknown_senders");
        long unexpected = counter(after, "unexpected_sources") - counter(before, "unexpected_sources");
        long requests = counter(after, "controller_requests") - counter(before, "controller_requests");
        long overload = counter(after, "dropped_overload") - counter(before, "dropped_overload");
        long kernel = dropped(dropsBefore, dropsAfter);
        int expectedMalformed = plan.expected(n, Verdict.MALFORMED);
        int expectedUnknown = plan.expected(n, Verdict.UNKNOWN_SENDER);
        int expectedUnexpected = plan.expected(n, Verdict.UNEXPECTED_SOURCE);
        int expectedRequests = plan.expected(n, Verdict.HARMLESS_REQUEST);
        String why = n + ": malformed " + malformed + " of " + expectedMalformed + ", unknown senders " + unknown + " of "
                + expectedUnknown + ", unexpected sources " + unexpected + " of " + expectedUnexpected
                + ", controller requests " + requests + " of " + expectedRequests + " (+ the test's own), "
                + "dropped for overload " + overload + ", dropped by the kernel " + kernel + "\n" + report;
        // Counted in the listener, before the event loop's queue: only the kernel can lose them.
        assertTrue(malformed <= expectedMalformed, "no more malformed than sent: " + why);
        assertTrue(malformed >= expectedMalformed - kernel - overload, "every malformed datagram counted: " + why);
        assertTrue(unknown <= expectedUnknown, "no more unknown senders than sent: " + why);
        assertTrue(unknown >= expectedUnknown - kernel - overload, "every unknown sender counted: " + why);
        assertTrue(unexpected <= expectedUnexpected, "no more unexpected sources than sent: " + why);
        assertTrue(unexpected >= expectedUnexpected - kernel - overload, "every forged member's message counted: " + why);
        assertTrue(expectedMalformed > 1_000 && expectedUnknown > 100 && expectedUnexpected > 10,
                "the flood was hostile enough: " + why);
        // Handed to the event loop, whose full queue may drop them (counted as dropped_overload).
        assertTrue(requests >= expectedRequests - kernel - overload, "every harmless request handled: " + why);
        assertTrue(flood.sendErrors == 0, "every datagram was sent: " + flood.sendErrors + " send errors");
    }

    /**
     * Malformed controller datagrams are answered ERROR/MALFORMED at most 50 a second (a burst of
     * 50); well-formed requests, even unknown or invalid ones, are answered one for one.
     */
    private void checkErrorReplies(String n, Plan plan, Flood flood, StringBuilder report) {
        String host = cluster.node(n).host();
        Replies r = flood.replies;
        // Bad controller datagrams (malformed, or naming an unknown request) share one reply budget.
        long refused = r.count(host, "ERROR/MALFORMED") + r.count(host, "ERROR/UNKNOWN_REQUEST");
        AtomicLong last = r.lastMalformedNanos.get(host);
        double seconds = ((last == null ? flood.endedNanos : last.get()) - flood.startedNanos) / 1e9;
        double bound = ERROR_REPLY_BURST + ERROR_REPLIES_PER_SECOND * (seconds + 0.5);
        String why = n + ": " + refused + " MALFORMED/UNKNOWN_REQUEST replies over " + String.format("%.1f", seconds)
                + " s (bound " + (long) bound + ") to " + plan.malformedToController.get(n)
                + " malformed controller datagrams; replies " + r.of(host) + "\n" + report;
        assertTrue(refused <= bound, "replies to bad input are rate-limited: " + why);
        assertTrue(refused >= Math.min(ERROR_REPLY_BURST, plan.malformedToController.get(n)),
                "malformed controller datagrams are answered (up to the limit): " + why);
        long others = r.total(host) - refused;
        assertTrue(others <= plan.expected(n, Verdict.HARMLESS_REQUEST), "one reply per request at most: " + why);
        assertTrue(r.count(host, "UNREADABLE") == 0, "every reply is a valid controller message: " + r.unreadable
                + "\n" + why);
    }

    /** No stack trace, no error; bad-input warnings at most about one a second per listener. The warnings. */
    private long checkLog(String n, long linesBefore, Flood flood, StringBuilder report) throws IOException {
        List<String> lines = Files.readAllLines(cluster.logFile(n), StandardCharsets.UTF_8);
        List<String> during = lines.subList((int) Math.min(linesBefore, lines.size()), lines.size());
        List<String> traces = lines.stream().filter(l -> l.startsWith("\tat ") || l.contains("Exception")).toList();
        List<String> errors = lines.stream().filter(l -> l.contains(" [ERROR] ")).toList();
        long warnings = during.stream().filter(l -> l.contains(" [WARN] ")).count();
        double seconds = (System.nanoTime() - flood.startedNanos) / 1e9;
        long bound = (long) Math.ceil(LISTENERS * (seconds + 2));
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        assertTrue(traces.isEmpty(), n + " logged a stack trace: " + traces.subList(0, Math.min(5, traces.size()))
                + "\n" + tail);
        assertTrue(errors.isEmpty(), n + " logged errors: " + errors + "\n" + tail);
        assertTrue(warnings <= bound, n + " logged " + warnings + " warnings in " + String.format("%.1f", seconds)
                + " s, more than " + bound + " (one a second per listener)\n" + tail);
        assertTrue(warnings >= LISTENERS, n + " warned about the bad input on each port: " + warnings + "\n" + tail);
        return warnings;
    }

    private String nodeReport(String n, Plan plan, Flood flood, JsonNode before, JsonNode after, OptionalLong dropsBefore,
                              OptionalLong dropsAfter) {
        String host = cluster.node(n).host();
        return String.format("  %s: sent %s; counters +malformed %d"
                        + " +unknown_senders %d +controller_requests %d +dropped_overload %d +send_failures %d; kernel drops %s;"
                        + " replies %s", n, plan.expected.get(n),
                counter(after, "malformed_datagrams") - counter(before, "malformed_datagrams"),
                counter(after, "unknown_senders") - counter(before, "unknown_senders"),
                counter(after, "controller_requests") - counter(before, "controller_requests"),
                counter(after, "dropped_overload") - counter(before, "dropped_overload"),
                counter(after, "send_failures") - counter(before, "send_failures"),
                dropsBefore.isPresent() ? Long.toString(dropped(dropsBefore, dropsAfter)) : "unknown",
                flood.replies.of(host));
    }

    private static long counter(JsonNode status, String name) {
        JsonNode c = status.get("counters");
        return c == null || c.get(name) == null ? 0 : c.get(name).asLong();
    }

    // ---- known bugs: each test fails today and is disabled until its fix ---------------------

    /**
     * A 36-byte datagram with a number whose exponent is beyond an int's range makes the codec
     * throw Jackson's NumberFormatException instead of MalformedMessageException. The listener
     * catches only the latter, so its thread dies (the JVM prints the stack trace into the log)
     * and the node never reads that port again: on the controller port it stops answering, on the
     * AppendEntry port it stops hearing its leader and keeps starting elections. The same bytes
     * arise from byte flips of long integers (9223372036854775807 with a digit turned into 'E').
     */
    @Test
    void aNumberWithAnExponentBeyondIntRangeIsCountedAsMalformedAndKillsNoListener() throws Exception {
        cluster = LocalCluster.on(workDir("exponent"), "127.0.0.67", 1, PORTS).startAll();
        cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        JsonNode before = cluster.awaitStatus("Node1", Duration.ofSeconds(2));
        byte[] killer = "{\"request\":\"X\",\"value\":1e9999999999}".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
            for (PortRole port : PortRole.values()) {
                send(outside, "Node1", port, killer);
            }
            for (PortRole port : PortRole.values()) {
                send(outside, "Node1", port, garbage); // counted only by a listener still alive
            }
        }
        JsonNode after = awaitCounter("Node1", "malformed_datagrams", counter(before, "malformed_datagrams") + 8);
        assertEquals(before.get("term"), after.get("term"));
        String log = Files.readString(cluster.logFile("Node1"));
        assertTrue(!log.contains("\tat ") && !log.contains("Exception"), "no stack trace in the log:\n" + log);
    }

    /**
     * The ERROR/UNKNOWN_REQUEST reply echoes the request's name whole. A name of 63,950
     * characters (a 63,964-byte request, within the limit) makes a reply of about 64,200 bytes that no
     * controller accepts (over 64,000 bytes); a name of 15,000 emoji (60,000 bytes) makes a reply
     * of 180,000 bytes (the codec writes each as two escapes) that cannot be sent at all
     * (send_failures). Every request is to be answered with one reply a controller can read.
     */
    @Test
    void anUnknownRequestIsAnsweredWithAReplyThatFitsADatagram() throws Exception {
        cluster = LocalCluster.on(workDir("echo"), "127.0.0.67", 1, PORTS).startAll();
        cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        for (String name : List.of("R".repeat(63_950), "\uD83D\uDE00".repeat(15_000))) {
            byte[] request = ("{\"request\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8); // 63,964 or 60,014 bytes
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
                client.setSoTimeout(2_000);
                send(client, "Node1", PortRole.CONTROLLER, request);
                DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
                client.receive(reply); // SocketTimeoutException: no reply at all
                assertTrue(reply.getLength() <= Codec.MAX_DATAGRAM_BYTES, "a reply of " + reply.getLength() + " bytes");
                ControllerMessage m = Codec.decodeController(reply.getData(), reply.getOffset(), reply.getLength());
                assertEquals("UNKNOWN_REQUEST", m.keyText());
            }
        }
    }

    /**
     * docs/protocol.md ("Input rules"): a datagram with an unknown request is malformed, counted
     * in malformed_datagrams, and answered with an ERROR reply at most 50 times a second. The
     * controller port instead decodes it, counts it in controller_requests and answers every one
     * ERROR/UNKNOWN_REQUEST: 1,000 such 17-byte requests in a second get 1,000 replies of about
     * 180 bytes each (a tenfold amplification for anyone who spoofs the source address).
     */
    @Test
    void unknownControllerRequestsAreMalformedAndTheirErrorRepliesRateLimited() throws Exception {
        cluster = LocalCluster.on(workDir("unknown"), "127.0.0.67", 1, PORTS).startAll();
        cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        JsonNode before = cluster.awaitStatus("Node1", Duration.ofSeconds(2));
        byte[] foo = "{\"request\":\"FOO\"}".getBytes(StandardCharsets.UTF_8);
        int sent = 1_000;
        long replies = 0;
        long started = System.nanoTime();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
            client.setReceiveBufferSize(4 << 20);
            for (int i = 0; i < sent; i++) {
                send(client, "Node1", PortRole.CONTROLLER, foo);
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(900));
            }
            client.setSoTimeout(500);
            DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
            while (true) {
                try {
                    client.receive(reply);
                    replies++;
                } catch (SocketTimeoutException quiet) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode after = cluster.awaitStatus("Node1", Duration.ofSeconds(2));
        String what = sent + " unknown requests in " + String.format("%.1f", seconds) + " s: " + replies
                + " ERROR replies, malformed_datagrams +" + (counter(after, "malformed_datagrams")
                - counter(before, "malformed_datagrams")) + ", controller_requests +"
                + (counter(after, "controller_requests") - counter(before, "controller_requests"));
        assertEquals(counter(before, "malformed_datagrams") + sent, counter(after, "malformed_datagrams"),
                "unknown requests count as malformed: " + what);
        assertTrue(replies <= ERROR_REPLY_BURST + ERROR_REPLIES_PER_SECOND * seconds, "replies rate-limited: " + what);
    }

    /**
     * A name from the datagram goes into the node's log as it is, line breaks included: a
     * stranger named "Mallory\n<timestamp> [INFO] ..." writes a log line of its choosing (log
     * forging). The same holds for unknown request names in the warning of a malformed peer
     * datagram. Every line of the log should be one of the node's own.
     */
    @Test
    void aNameWithALineBreakCannotForgeALogLine() throws Exception {
        cluster = LocalCluster.on(workDir("forged-log"), "127.0.0.67", 1, PORTS).startAll();
        cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        JsonNode before = cluster.awaitStatus("Node1", Duration.ofSeconds(2));
        String forged = "2026-01-01T00:00:00.000Z [INFO] Node1 FORGED";
        // one warning a second per listener: this is the first bad datagram, so it is logged
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
            send(outside, "Node1", PortRole.REQUEST_VOTE,
                    Codec.encode(RequestVote.of(7, "Mallory\n" + forged, -1, 0)));
        }
        awaitCounter("Node1", "unknown_senders", counter(before, "unknown_senders") + 1);
        List<String> lines = Files.readAllLines(cluster.logFile("Node1"), StandardCharsets.UTF_8);
        List<String> notOurs = lines.stream()
                .filter(l -> !l.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-][0-9:]+) \\[(INFO|WARN|ERROR|DEBUG|TRACE)\\] .*"))
                .toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith(forged)), "a forged line:\n" + String.join("\n", lines));
        assertTrue(notOurs.isEmpty(), "lines that are not the node's own: " + notOurs);
    }

    /**
     * A STORE within the datagram limit whose entry is not: a 63,900-character value makes a
     * log entry that the leader can only send in an AppendEntry of more than 64,000 bytes, which
     * every follower drops as oversized. Until then that AppendEntry was also the followers'
     * heartbeat, so they time out and elect another leader, whose log lacks the entry: the STORE
     * is answered NOT_COMMITTED ("leadership changed") and lost. One client datagram (no key
     * needed) deposes the leader, as often as it is sent. The leader should refuse an entry it
     * cannot replicate, with a clear error, and stay leader.
     */
    @Test
    void aStoreTooBigToReplicateIsRefusedAndDeposesNoLeader() throws Exception {
        cluster = LocalCluster.on(workDir("big-store"), "127.0.0.64", 3, PORTS, SLOW_ELECTIONS).startAll();
        LocalCluster.LeaderView before = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(20));
        String big = "{\"sender_name\":\"Controller\",\"request\":\"STORE\",\"key\":\"k\",\"value\":\""
                + "v".repeat(63_900) + "\"}";
        ControllerMessage reply = storeAndAwait(before.leader(), big.getBytes(StandardCharsets.UTF_8));
        LocalCluster.LeaderView after = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(before, after, "one STORE deposes no leader (it was answered " + reply + ")");
        assertTrue("STORE".equals(reply.request()) || !"NOT_COMMITTED".equals(reply.keyText()),
                "committed, or refused for what it is: " + reply);
    }

    /** Sends a STORE to {@code node} and waits for its reply (the node answers within 5 s). */
    private ControllerMessage storeAndAwait(String node, byte[] request) throws IOException {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
            client.setSoTimeout(7_000);
            send(client, node, PortRole.CONTROLLER, request);
            DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
            client.receive(reply);
            return Codec.decodeController(reply.getData(), reply.getOffset(), reply.getLength());
        } catch (MalformedMessageException e) {
            throw new AssertionError("unreadable reply: " + e.getMessage(), e);
        }
    }

    // ---- without a cluster key, a member's name is not enough: its address must match ---------

    /**
     * The contrast to the flood, and issue 10's forged peer: without a cluster key there is no
     * authentication, and a well-formed VOTE_REQUEST with term 10^12 in a member's name, sent from
     * an address outside the cluster, deposed the leader and raised every term to 10^12 + 2. A
     * node knows its members' addresses: such a message is dropped and counted
     * ({@code unexpected_sources}), at every node, and nothing moves. The same message in a
     * stranger's name is dropped as an unknown sender. What this does not stop (a forger on the
     * member's own address or path) is for the cluster key: docs/security.md.
     */
    @Test
    void withoutAClusterKeyAVoteRequestInAMembersNameFromAnotherAddressMovesNothing() throws Exception {
        cluster = LocalCluster.on(workDir("forged"), "127.0.0.64", 3, PORTS, SLOW_ELECTIONS).startAll();
        LocalCluster.LeaderView before = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(20));
        String target = cluster.names().stream().filter(n -> !n.equals(before.leader())).findFirst().orElseThrow();
        String impersonated = cluster.names().stream().filter(n -> !n.equals(before.leader()) && !n.equals(target))
                .findFirst().orElseThrow();
        long forgedTerm = 1_000_000_000_000L;
        Map<String, JsonNode> statusBefore = cluster.statuses(Duration.ofSeconds(2));
        JsonNode targetBefore = statusBefore.get(target);

        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.69", 0))) {
            // a stranger's name: dropped as an unknown sender, nothing moves
            send(outside, target, PortRole.REQUEST_VOTE, Codec.encode(RequestVote.of(forgedTerm, "Mallory", 1_000_000, forgedTerm)));
            JsonNode afterStranger = awaitCounter(target, "unknown_senders", counter(targetBefore, "unknown_senders") + 1);
            assertEquals(before.term(), afterStranger.get("term").asLong(), "a stranger's VOTE_REQUEST moves nothing");

            // a member's name, from an address that is not the member's: dropped at every node
            // (each in the name of a member other than itself)
            for (String node : cluster.names()) {
                String claimed = node.equals(impersonated) ? target : impersonated;
                send(outside, node, PortRole.REQUEST_VOTE,
                        Codec.encode(RequestVote.of(forgedTerm, claimed, 1_000_000, forgedTerm)));
            }
        }
        for (String node : cluster.names()) {
            JsonNode s = awaitCounter(node, "unexpected_sources", counter(statusBefore.get(node), "unexpected_sources") + 1);
            assertEquals(before.term(), s.get("term").asLong(), node + ": the forged term was not adopted: " + s);
            assertEquals(counter(statusBefore.get(node), "unknown_senders") + (node.equals(target) ? 1 : 0),
                    counter(s, "unknown_senders"), node + ": the forged member's message is not an unknown sender's");
        }
        assertEquals(before, cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                "same leader, same term");
        for (String node : cluster.names()) {
            JsonNode s = cluster.awaitStatus(node, Duration.ofSeconds(2));
            assertEquals(before.term(), s.get("term").asLong(), node + " term: " + s);
            assertEquals(counter(statusBefore.get(node), "elections_started"), counter(s, "elections_started"),
                    node + " started no election: " + s);
        }
    }

    private void send(DatagramSocket from, String node, PortRole port, byte[] bytes) throws IOException {
        NodeAddress n = cluster.node(node);
        from.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(n.host(), port.port(PORTS))));
    }

    /** Polls STATUS until the counter reaches {@code atLeast}; the status that showed it. */
    private JsonNode awaitCounter(String node, String name, long atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            JsonNode s = cluster.awaitStatus(node, Duration.ofSeconds(2));
            if (counter(s, name) >= atLeast) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + ": " + name + " did not reach " + atLeast + ": " + s);
            }
            LocalCluster.pause();
        }
    }

    private static Path workDir(String test) {
        return Path.of("target", "it", "hostile", test);
    }
}
