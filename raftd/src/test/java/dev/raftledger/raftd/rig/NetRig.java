package dev.raftledger.raftd.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A five-host (or N-host) network built from Linux network namespaces with iproute2, and the
 * faults a real network has, applied from outside the processes.
 *
 * <p>What it builds: one namespace per node ({@code rlrig<pid>n1}...), one for the clients
 * ({@code rlrig<pid>c}) and one holding a bridge ({@code rlrig<pid>b}); each node and the clients
 * get a veth pair (MTU 1500, as a real Ethernet link) from their {@code eth0} to a port of the
 * bridge. Node i has 10.77.0.i/24, the clients 10.77.0.100/24. Nothing is added to the root
 * namespace, and every address exists only inside namespaces this rig made, so nothing it sends
 * can leave them. Loopback is up in each namespace.
 *
 * <p>Faults: partitions and one-way cuts are nftables rules in the node namespaces (table
 * {@code inet rig}: the receiver's input drops by source address, so the sender sees no error,
 * as across a real partition; clients are never cut).
 * Loss and duplication are nftables rules on the node's link (table {@code netdev riglink},
 * ingress and egress of {@code eth0}, so they act per packet: one lost IP fragment loses its
 * whole datagram, as on a real link). Duplication is {@code dup to "eth0"} in the egress hook,
 * marking the copy so it is not copied again; the kernel's reassembly discards duplicate
 * fragments, so only unfragmented datagrams arrive twice. A slow link is {@code tc tbf} as the
 * root qdisc of the node's {@code eth0}: it shapes what the node sends, as {@code tc} on a host
 * does. This machine's kernel has no netem (no {@code sch_netem}: "Specified qdisc kind is
 * unknown"), so there is no delay or reordering qdisc; tbf's queue is the only added delay.
 *
 * <p>Cleanup: namespaces are named with the test JVM's pid. {@link #create} first removes
 * leftovers of runs whose JVM is gone (killing their processes first); {@link #close} and a
 * shutdown hook kill every process in this rig's namespaces and then delete them, so a failing
 * test or a JVM stopped by a signal leaves nothing behind (a SIGKILLed JVM's rig is removed by
 * the next run).
 *
 * <p>Threads: not thread-safe; one test thread drives it (the shutdown hook only calls
 * {@link #close}, which is idempotent). Errors: a command that fails throws
 * {@link IllegalStateException} with its output.
 */
public final class NetRig implements AutoCloseable {

    /** Every rig namespace starts with this, then the owning JVM's pid. */
    static final String PREFIX = "rlrig";
    static final String SUBNET = "10.77.0.";
    static final String CLIENT_ADDRESS = SUBNET + "100";
    /** The mark a duplicated packet carries so the egress hook does not copy it again. */
    private static final String DUP_MARK = "0x00000077";

    private final String prefix;
    private final int size;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook;
    private final Map<Integer, LinkFault> links = new LinkedHashMap<>();
    private final Map<Integer, Set<Integer>> dropFrom = new LinkedHashMap<>();
    private boolean closed;

    private NetRig(int size) {
        this.prefix = PREFIX + ProcessHandle.current().pid();
        this.size = size;
        this.hook = new Thread(this::close, "netrig-cleanup");
        for (int i = 1; i <= size; i++) {
            links.put(i, LinkFault.NONE);
            dropFrom.put(i, new TreeSet<>());
        }
    }

    /** What one node's link does to its packets: loss and duplication in %, rate in kbit/s (0: full speed). */
    public record LinkFault(int lossPercent, int dupPercent, int rateKbit) {
        public static final LinkFault NONE = new LinkFault(0, 0, 0);
    }

    /**
     * Why the rig cannot run here, or empty if it can: it needs root, {@code ip netns},
     * {@code nft} and {@code tc}.
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("not Linux (network namespaces are Linux only)");
        }
        try {
            Result id = run(List.of("id", "-u"), null);
            if (!id.out().trim().equals("0")) {
                return Optional.of("not root (uid " + id.out().trim() + "): network namespaces and nftables need root");
            }
            for (String tool : List.of("ip", "nft", "tc")) {
                Result which = run(List.of("sh", "-c", "command -v " + tool), null);
                if (which.status() != 0) {
                    return Optional.of("'" + tool + "' is not installed (apt-get install -y iproute2 nftables)");
                }
            }
            String probe = PREFIX + ProcessHandle.current().pid() + "probe";
            Result add = run(List.of("ip", "netns", "add", probe), null);
            if (add.status() != 0) {
                return Optional.of("cannot create a network namespace: " + add.out().trim());
            }
            try {
                Result nft = run(List.of("ip", "netns", "exec", probe, "nft", "-f", "-"),
                        "table netdev probe {\n chain c { type filter hook ingress device \"lo\" priority 0; }\n}\n");
                if (nft.status() != 0) {
                    return Optional.of("nftables cannot make a netdev ingress chain: " + nft.out().trim());
                }
            } finally {
                run(List.of("ip", "netns", "del", probe), null);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run iproute2: " + e.getMessage());
        }
    }

    /**
     * Skips the calling test (a JUnit assumption, reported as skipped, with a loud line on
     * stderr) if the rig cannot run here; with {@code -Drig.required=true} (CI) fails it instead,
     * so a rig test can never count as passed without having run.
     */
    public static void requireRig() {
        requireRig(unavailableReason(), Boolean.getBoolean("rig.required"));
    }

    /** {@link #requireRig()} with its inputs given: why the rig cannot run (empty: it can), and rig.required. */
    static void requireRig(Optional<String> why, boolean required) {
        if (why.isEmpty()) {
            return;
        }
        String message = "the five-host rig cannot run on this machine: " + why.get();
        if (required) {
            Assertions.fail(message + " (and rig.required=true)");
        }
        System.err.println("*** SKIPPED: " + message + "; this test did NOT run (CI sets -Drig.required=true) ***");
        Assumptions.assumeTrue(false, message);
    }

    /**
     * Builds the network for {@code size} nodes and the clients, after removing any rig left by
     * a run whose JVM is gone.
     */
    public static NetRig create(int size) {
        if (size < 1 || size > 99) {
            throw new IllegalArgumentException("1-99 nodes");
        }
        removeLeftovers();
        NetRig rig = new NetRig(size);
        Runtime.getRuntime().addShutdownHook(rig.hook);
        try {
            rig.build();
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    private void build() {
        String br = bridgeNamespace();
        addNamespace(br);
        ip(br, "link", "add", "br0", "type", "bridge");
        ip(br, "link", "set", "br0", "up");
        ip(br, "link", "set", "lo", "up");
        for (int i = 1; i <= size; i++) {
            addHost(nodeNamespace(i), nodeAddress(i), "vn" + i);
            nft(nodeNamespace(i), baseRules());
        }
        addHost(clientNamespace(), CLIENT_ADDRESS, "vc");
    }

    private void addNamespace(String ns) {
        namespaces.add(ns);
        must(List.of("ip", "netns", "add", ns));
    }

    /** A namespace with eth0 (address/24, MTU 1500) wired to the bridge through port {@code port}. */
    private void addHost(String ns, String address, String port) {
        addNamespace(ns);
        String br = bridgeNamespace();
        ip(ns, "link", "add", "eth0", "mtu", "1500", "type", "veth", "peer", "name", port, "netns", br);
        ip(br, "link", "set", port, "mtu", "1500", "master", "br0", "up");
        ip(ns, "addr", "add", address + "/24", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        ip(ns, "link", "set", "lo", "up");
    }

    private static String baseRules() {
        return """
                table inet rig {
                  chain input { type filter hook input priority 0; policy accept; }
                }
                table netdev riglink {
                  chain ingress { type filter hook ingress device "eth0" priority 0; policy accept; }
                  chain egress { type filter hook egress device "eth0" priority 0; policy accept; }
                }
                """;
    }

    public int size() {
        return size;
    }

    public String nodeNamespace(int i) {
        return prefix + "n" + i;
    }

    public String clientNamespace() {
        return prefix + "c";
    }

    public String bridgeNamespace() {
        return prefix + "b";
    }

    public static String nodeAddress(int i) {
        return SUBNET + i;
    }

    /** The --cluster list: Node1=10.77.0.1,... */
    public String clusterSpec() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            sb.append(i == 1 ? "" : ",").append("Node").append(i).append('=').append(nodeAddress(i));
        }
        return sb.toString();
    }

    /** Starts {@code command} inside {@code namespace}, output appended to {@code log}. */
    public Process exec(String namespace, List<String> command, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** As above, with stdin and stdout as pipes to this JVM (stderr to {@code log}). */
    public Process execPiped(String namespace, List<String> command, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    // ---- faults ----------------------------------------------------------------------------

    /**
     * Cuts every link between the groups (both ways); nodes not named in any group keep all
     * their links. Replaces any earlier cut.
     */
    public void partition(List<Set<Integer>> groups) {
        dropFrom.values().forEach(Set::clear);
        for (Set<Integer> a : groups) {
            for (Set<Integer> b : groups) {
                if (a != b) {
                    for (int x : a) {
                        for (int y : b) {
                            dropFrom.get(x).add(y);
                        }
                    }
                }
            }
        }
        applyCuts();
    }

    /**
     * Two halves that cannot reach each other and one bridge node that reaches both: every link
     * between {@code left} and {@code right} is cut, the bridge's are not.
     */
    public void bridgePartition(Set<Integer> left, Set<Integer> right) {
        partition(List.of(left, right));
    }

    /** Datagrams from {@code from} to each of {@code to} are lost; the other way works. Adds to earlier cuts. */
    public void cutOneWay(int from, Set<Integer> to) {
        for (int y : to) {
            dropFrom.get(y).add(from);
        }
        applyCuts();
    }

    /** Every cut healed (links keep their loss, duplication and rate). */
    public void clearCuts() {
        dropFrom.values().forEach(Set::clear);
        applyCuts();
    }

    /** Sets what node {@code i}'s link does (both directions); {@link LinkFault#NONE} heals it. */
    public void link(int i, LinkFault fault) {
        LinkFault old = links.put(i, fault);
        applyRules(i);
        if (old.rateKbit() != fault.rateKbit()) {
            applyRate(i, fault.rateKbit());
        }
    }

    /** Every cut and every link healed. */
    public void healAll() {
        dropFrom.values().forEach(Set::clear);
        for (int i = 1; i <= size; i++) {
            link(i, LinkFault.NONE);
        }
    }

    private void applyCuts() {
        for (int i = 1; i <= size; i++) {
            applyRules(i);
        }
    }

    /** Rewrites node i's rules in one nft transaction (atomic: no moment without them). */
    private void applyRules(int i) {
        StringBuilder s = new StringBuilder("flush table inet rig\nflush table netdev riglink\n");
        if (!dropFrom.get(i).isEmpty()) {
            s.append("add rule inet rig input ip saddr ").append(addresses(dropFrom.get(i))).append(" drop\n");
        }
        LinkFault f = links.get(i);
        if (f.lossPercent() > 0) {
            String drop = " meta protocol ip numgen random mod 100 < " + f.lossPercent() + " drop\n";
            s.append("add rule netdev riglink ingress").append(drop);
            s.append("add rule netdev riglink egress").append(drop);
        }
        if (f.dupPercent() > 0) {
            s.append("add rule netdev riglink egress meta protocol ip meta mark != ").append(DUP_MARK)
                    .append(" numgen random mod 100 < ").append(f.dupPercent())
                    .append(" meta mark set ").append(DUP_MARK).append(" dup to \"eth0\"\n");
        }
        nft(nodeNamespace(i), s.toString());
    }

    private static String addresses(Set<Integer> nodes) {
        return nodes.stream().map(NetRig::nodeAddress).collect(Collectors.joining(", ", "{ ", " }"));
    }

    /**
     * tbf as the root qdisc of node i's eth0: what the node sends is shaped (as {@code tc} on a
     * host shapes its uplink); what reaches it is not.
     */
    private void applyRate(int i, int kbit) {
        String ns = nodeNamespace(i);
        run(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "eth0", "root"));
        if (kbit > 0) {
            // burst of 4 KiB; the queue holds 200 ms of traffic, beyond that packets drop
            must(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root",
                    "tbf", "rate", kbit + "kbit", "burst", "4kb", "latency", "200ms"));
        }
    }

    /** Kernel IP counters of node i's namespace (fragments created, reassemblies failed). */
    public Map<String, Long> ipCounters(int i) {
        return snmp(nodeNamespace(i), "Ip");
    }

    /** One group ({@code Ip}, {@code Udp}, ...) of a namespace's /proc/net/snmp counters. */
    public Map<String, Long> snmp(String namespace, String group) {
        String snmp = must(List.of("ip", "netns", "exec", namespace, "cat", "/proc/net/snmp"));
        String[] lines = snmp.split("\n");
        Map<String, Long> out = new LinkedHashMap<>();
        String prefix = group + ": ";
        for (int l = 0; l + 1 < lines.length; l++) {
            if (lines[l].startsWith(prefix) && lines[l + 1].startsWith(prefix)) {
                String[] names = lines[l].split("\\s+");
                String[] values = lines[l + 1].split("\\s+");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    out.put(names[k], Long.parseLong(values[k]));
                }
                break;
            }
        }
        return out;
    }

    /**
     * Whether this kernel has netem (tried on the bridge namespace's loopback and removed at
     * once). This machine's has not, which is why slow links are tbf alone.
     */
    public boolean netemAvailable() {
        Result r = run(List.of("ip", "netns", "exec", bridgeNamespace(), "tc", "qdisc", "add", "dev", "lo", "root",
                "netem", "delay", "1ms"));
        if (r.status() == 0) {
            run(List.of("ip", "netns", "exec", bridgeNamespace(), "tc", "qdisc", "del", "dev", "lo", "root"));
        }
        return r.status() == 0;
    }

    /**
     * Sends {@code count} UDP datagrams of {@code bytes} bytes from {@code namespace} to
     * {@code address}:{@code port} (bash's /dev/udp; one datagram a write), for the rig's own
     * test of its faults.
     */
    void sendDatagrams(String namespace, String address, int port, int count, int bytes) {
        must(List.of("ip", "netns", "exec", namespace, "bash", "-c",
                "for i in $(seq " + count + "); do printf '%" + bytes + "s' x 2>/dev/null > /dev/udp/" + address + "/" + port
                        + " || true; done"));
    }

    /** Bytes of IP fragments node i's kernel holds for reassembly ({@code FRAG: memory} of /proc/net/sockstat). */
    public long fragmentMemory(int i) {
        String stat = must(List.of("ip", "netns", "exec", nodeNamespace(i), "cat", "/proc/net/sockstat"));
        for (String line : stat.split("\n")) {
            if (line.startsWith("FRAG:")) {
                String[] f = line.trim().split("\\s+");
                for (int k = 1; k + 1 < f.length; k++) {
                    if (f[k].equals("memory")) {
                        return Long.parseLong(f[k + 1]);
                    }
                }
            }
        }
        return -1;
    }

    // ---- signals -----------------------------------------------------------------------------

    /** Sends {@code signal} (STOP, CONT, KILL) to {@code p} and every process below it. */
    public static void signal(Process p, String signal) {
        List<Long> pids = new ArrayList<>();
        pids.add(p.pid());
        p.descendants().forEach(d -> pids.add(d.pid()));
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> cmd.add(Long.toString(pid)));
        run(cmd); // a process that exited meanwhile is no error
    }

    // ---- cleanup -----------------------------------------------------------------------------

    /** Kills every process in this rig's namespaces, then deletes them. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> reversed = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reversed); // the bridge (made first) goes last
        removeNamespaces(reversed);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    /** Removes every rig namespace whose owning JVM is no longer running. */
    static void removeLeftovers() {
        List<String> stale = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "list")).out().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String digits = name.substring(PREFIX.length()).replaceAll("\\D.*$", "");
            long pid = digits.isEmpty() ? -1 : Long.parseLong(digits);
            boolean owned = pid == ProcessHandle.current().pid();
            if (!owned && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue; // another live run's rig
            }
            stale.add(name);
        }
        if (!stale.isEmpty()) {
            System.err.println("NetRig: removing leftover namespaces " + stale);
            stale.sort(java.util.Comparator.comparing((String n) -> n.endsWith("b"))); // bridges last
            removeNamespaces(stale);
        }
    }

    private static void removeNamespaces(List<String> names) {
        for (String ns : names) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Result pids = run(List.of("ip", "netns", "pids", ns));
                List<String> live = pids.status() == 0
                        ? List.of(pids.out().trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList()
                        : List.of();
                if (live.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
                kill.addAll(live);
                run(kill);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        for (String ns : names) {
            run(List.of("ip", "netns", "del", ns));
        }
    }

    // ---- commands ----------------------------------------------------------------------------

    record Result(int status, String out) {}

    private static void ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        must(cmd);
    }

    private static void nft(String ns, String script) {
        Result r;
        try {
            r = run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), script);
        } catch (IOException e) {
            throw new IllegalStateException("nft in " + ns + ": " + e.getMessage(), e);
        }
        if (r.status() != 0) {
            throw new IllegalStateException("nft in " + ns + " failed (" + r.status() + "): " + r.out() + "\nscript:\n" + script);
        }
    }

    private static String must(List<String> cmd) {
        Result r = run(cmd);
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.status() + "): " + r.out());
        }
        return r.out();
    }

    private static Result run(List<String> cmd) {
        try {
            return run(cmd, null);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command to completion (at most 20 s), with {@code stdin} if given; stderr is merged into the output. */
    static Result run(List<String> cmd, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 20 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", cmd), e);
        }
    }
}
