package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic in-memory cluster of {@link RaftCore}s for tests: a simulated clock, a
 * message queue with seeded random delay, loss and duplication (reordering follows from the
 * random delays), a per-node "disk" holding the last persisted {@link HardState}, and crash /
 * restart from that disk. Everything random comes from one seed, so any run can be replayed.
 *
 * <p>The cluster drives the cores the way the real driver does: after every call it persists
 * the output's hard state, then queues its messages. It also checks, after every call, the
 * rules that must hold at every instant and records any breach in {@link #violations()}:
 * <ul>
 *   <li>at most one leader per term (counting what followers believe as well as leaders);</li>
 *   <li>every change of term or vote is handed out for persisting in the same output;</li>
 *   <li>a granted VoteAck or a RequestVote is only sent together with the hard state that
 *       backs it (persist before reply);</li>
 *   <li>a node's durable term never decreases and its durable vote never changes within a term.</li>
 * </ul>
 */
final class CoreCluster {

    /** How the simulated network treats each message. */
    record Network(double dropRate, double duplicateRate, long minDelayMs, long maxDelayMs) {

        /** No loss, no duplicates, 1-5 ms latency (still reorders messages a little). */
        static final Network RELIABLE = new Network(0, 0, 1, 5);

        Network {
            if (dropRate < 0 || dropRate >= 1 || duplicateRate < 0 || duplicateRate >= 1
                    || minDelayMs < 0 || maxDelayMs < minDelayMs) {
                throw new IllegalArgumentException("bad network " + dropRate + "/" + duplicateRate
                        + "/" + minDelayMs + "-" + maxDelayMs);
            }
        }
    }

    private record InFlight(long deliverAt, long sequence, String from, String to, PeerMessage message) {}

    /** A safety bound: a run needing more steps than this is looping. */
    private static final long MAX_STEPS_PER_RUN = 5_000_000;

    private final long seed;
    private final List<String> members;
    private final Timings timings;
    private final Network network;
    private final SplittableRandom random;
    private final Map<String, RaftCore> nodes = new LinkedHashMap<>(); // value null while crashed
    private final Map<String, HardState> disk = new HashMap<>();
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::deliverAt).thenComparingLong(InFlight::sequence));
    private long now;
    private long sequence;

    private final Map<Long, String> leaderOfTerm = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long delivered;
    private long dropped;
    private long duplicated;
    private long fingerprint = 17;

    CoreCluster(int size, long seed, Network network) {
        this(names(size), seed, network, Timings.SEED);
    }

    CoreCluster(List<String> members, long seed, Network network, Timings timings) {
        this.seed = seed;
        this.members = List.copyOf(members);
        this.timings = timings;
        this.network = network;
        this.random = new SplittableRandom(seed);
        for (String name : this.members) {
            nodes.put(name, newCore(name));
        }
    }

    /** Node1 .. NodeN. */
    static List<String> names(int size) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            names.add("Node" + i);
        }
        return names;
    }

    private RaftCore newCore(String name) {
        HardState persisted = disk.getOrDefault(name, HardState.INITIAL);
        return new RaftCore(name, members, timings, persisted, LogPosition.EMPTY,
                new SplittableRandom(random.nextLong()), now);
    }

    // ---- queries ---------------------------------------------------------------------------------

    long seed() {
        return seed;
    }

    long now() {
        return now;
    }

    List<String> members() {
        return members;
    }

    boolean isUp(String name) {
        return nodes.get(name) != null;
    }

    /** The live core of {@code name}; fails if it is crashed. */
    RaftCore node(String name) {
        return Objects.requireNonNull(nodes.get(name), () -> name + " is down");
    }

    List<RaftCore> liveNodes() {
        return nodes.values().stream().filter(Objects::nonNull).toList();
    }

    List<RaftCore> leaders() {
        return liveNodes().stream().filter(c -> c.role() == Role.LEADER).toList();
    }

    /** What {@code name} has on its disk: the last hard state it was told to persist. */
    HardState disk(String name) {
        return disk.getOrDefault(name, HardState.INITIAL);
    }

    /** Every term in which some node was (or was believed to be) leader, and by whom. */
    Map<Long, String> leadersByTerm() {
        return Collections.unmodifiableMap(leaderOfTerm);
    }

    List<String> violations() {
        return Collections.unmodifiableList(violations);
    }

    long delivered() {
        return delivered;
    }

    long dropped() {
        return dropped;
    }

    long duplicated() {
        return duplicated;
    }

    /** A hash of every delivery (time, sender, receiver, message): equal runs have equal prints. */
    long fingerprint() {
        return fingerprint;
    }

    // ---- driving ---------------------------------------------------------------------------------

    void runFor(long ms) {
        runUntil(now + ms);
    }

    /** Delivers messages and fires timers in time order until {@code end}, then sets the clock there. */
    void runUntil(long end) {
        for (long steps = 0; ; steps++) {
            if (steps > MAX_STEPS_PER_RUN) {
                throw new IllegalStateException("seed " + seed + ": no progress at " + now);
            }
            long next = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().deliverAt();
            for (RaftCore c : liveNodes()) {
                next = Math.min(next, c.nextDeadline());
            }
            if (next > end) {
                break;
            }
            now = Math.max(now, next);
            if (!queue.isEmpty() && queue.peek().deliverAt() <= now) {
                deliver(queue.poll());
                continue;
            }
            for (String name : members) {
                RaftCore c = nodes.get(name);
                if (c != null && c.nextDeadline() <= now) {
                    apply(name, c.tick(now));
                }
            }
        }
        now = Math.max(now, end);
    }

    private void deliver(InFlight m) {
        RaftCore c = nodes.get(m.to());
        if (c == null) {
            dropped++; // the receiver is down: the datagram is lost
            return;
        }
        delivered++;
        fingerprint = fingerprint * 31 + Objects.hash(now, m.from(), m.to(), m.message());
        apply(m.to(), c.step(m.message(), now));
    }

    /** Hands {@code message} to {@code to} right now, as if it had just arrived (forged or not). */
    void inject(String to, PeerMessage message) {
        apply(to, node(to).step(message, now));
    }

    void forceElection(String name) {
        apply(name, node(name).forceElection(now));
    }

    void convertToFollower(String name) {
        apply(name, node(name).convertToFollower(now));
    }

    /** Stops {@code name}: its volatile state is lost, its disk is kept, messages to it are lost. */
    void crash(String name) {
        nodes.put(name, null);
    }

    /** Starts {@code name} again from its disk. */
    void restart(String name) {
        if (nodes.get(name) == null) {
            nodes.put(name, newCore(name));
            observe(name, node(name));
        }
    }

    // ---- what the driver does with an output, and the checks --------------------------------------

    private void apply(String name, Output out) {
        RaftCore core = node(name);
        checkPersistBeforeReply(name, out);
        if (out.hardState() != null) {
            persist(name, out.hardState());
        }
        if (!disk(name).equals(core.hardState())) {
            violation(name + " is in " + core.hardState() + " but was only asked to persist " + disk(name));
        }
        for (Outbound o : out.messages()) {
            send(name, o);
        }
        observe(name, core);
    }

    private void checkPersistBeforeReply(String name, Output out) {
        for (Outbound o : out.messages()) {
            if (o.message() instanceof VoteAck ack && ack.granted()) {
                HardState expected = new HardState(ack.term(), ack.to());
                if (!expected.equals(out.hardState())) {
                    violation(name + " granted " + ack + " with hard state " + out.hardState());
                }
            } else if (o.message() instanceof RequestVote rv) {
                HardState expected = new HardState(rv.term(), name);
                if (!expected.equals(out.hardState())) {
                    violation(name + " asked for votes with " + rv + " and hard state " + out.hardState());
                }
            }
            if (o.to().equals(name) || !members.contains(o.to())) {
                violation(name + " sent to " + o.to());
            }
        }
    }

    private void persist(String name, HardState state) {
        HardState before = disk(name);
        if (state.term() < before.term()) {
            violation(name + " persisted term " + state.term() + " after " + before.term());
        }
        if (state.term() == before.term() && before.votedFor() != null
                && !before.votedFor().equals(state.votedFor())) {
            violation(name + " changed its vote in term " + state.term() + " from " + before.votedFor()
                    + " to " + state.votedFor());
        }
        disk.put(name, state);
    }

    private void send(String from, Outbound o) {
        if (random.nextDouble() < network.dropRate()) {
            dropped++;
            return;
        }
        int copies = random.nextDouble() < network.duplicateRate() ? 2 : 1;
        duplicated += copies - 1;
        for (int i = 0; i < copies; i++) {
            long delay = network.minDelayMs() + random.nextLong(network.maxDelayMs() - network.minDelayMs() + 1);
            queue.add(new InFlight(now + delay, sequence++, from, o.to(), o.message()));
        }
    }

    /** Records who leads {@code core}'s term, as the core itself sees it, and flags a second one. */
    private void observe(String name, RaftCore core) {
        String leader = core.role() == Role.LEADER ? name : core.leader();
        if (core.role() == Role.LEADER && !name.equals(core.leader())) {
            violation(name + " is leader of term " + core.term() + " but reports leader " + core.leader());
        }
        if (leader == null) {
            return;
        }
        String known = leaderOfTerm.putIfAbsent(core.term(), leader);
        if (known != null && !known.equals(leader)) {
            violation("two leaders in term " + core.term() + ": " + known + " and " + leader
                    + " (seen by " + name + ")");
        }
    }

    private void violation(String description) {
        violations.add("t=" + now + " " + description);
    }
}
