package dev.raftledger.raftd.core;

import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.driver.OutputRunner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
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

    /** An fsync of {@code node}'s log that completes at {@code at}, covering up to {@code upTo}. */
    private record Sync(long at, long sequence, String node, long upTo, int generation) {}

    /** A safety bound: a run needing more steps than this is looping. */
    private static final long MAX_STEPS_PER_RUN = 5_000_000;

    private final long seed;
    private final List<String> members;
    private final Timings timings;
    private Network network;
    private final SplittableRandom random;
    private final Map<String, RaftCore> nodes = new LinkedHashMap<>(); // value null while crashed
    private final Map<String, HardState> disk = new HashMap<>();
    /** Each node's log as written (lost beyond durableIndex on a crash) and how far it is durable. */
    private final Map<String, List<Entry>> written = new HashMap<>();
    private final Map<String, Long> durable = new HashMap<>();
    /** Bumped on every crash and truncation: an fsync begun before it no longer counts. */
    private final Map<String, Integer> generation = new HashMap<>();
    private final PriorityQueue<Sync> syncs = new PriorityQueue<>(
            Comparator.comparingLong(Sync::at).thenComparingLong(Sync::sequence));
    /** Acknowledgements waiting for their entries to be durable. */
    private final Map<String, List<Outbound>> deferred = new HashMap<>();
    /** Every committed entry by index, as first applied anywhere: all nodes must agree. */
    private final Map<Long, Entry> committed = new TreeMap<>();
    /**
     * For each committed index, the term of the node that first applied it: at least the term in
     * which it was committed, so leaders of later terms must hold it.
     */
    private final Map<Long, Long> committedBy = new HashMap<>();
    private final Map<String, Long> appliedOn = new HashMap<>();
    /** Each node's expenses ledger, fed the entries it applies (rebuilt from its log on restart). */
    private final Map<String, Ledger> ledgers = new HashMap<>();
    private final Set<Payload> proposed = new HashSet<>();
    private final Set<Payload> appliedPayloads = new HashSet<>();
    private long proposals;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::deliverAt).thenComparingLong(InFlight::sequence));
    private long now;
    private long sequence;

    private final Map<Long, String> leaderOfTerm = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Limits limits;
    /** Extra loss on a link, one direction: "from>to" to the chance a message is lost. */
    private final Map<String, Double> linkLoss = new HashMap<>();
    /** Every leader's step-down by check-quorum (or removal), in order: "t=... name: reason". */
    private final List<String> stepDowns = new ArrayList<>();
    private long delivered;
    private long dropped;
    private long duplicated;
    private long fingerprint = 17;

    CoreCluster(int size, long seed, Network network) {
        this(names(size), seed, network, Timings.SEED);
    }

    CoreCluster(List<String> members, long seed, Network network, Timings timings) {
        this(members, seed, network, timings, Limits.DEFAULT);
    }

    /** With {@code limits} for every core (e.g. pre-vote and check-quorum, as raftd runs). */
    CoreCluster(List<String> members, long seed, Network network, Timings timings, Limits limits) {
        this.limits = limits;
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
        List<Entry> log = written.computeIfAbsent(name, n -> new ArrayList<>());
        long keep = durable.getOrDefault(name, -1L);
        log.subList((int) (keep + 1), log.size()).clear(); // what was not fsynced is gone
        appliedOn.put(name, -1L); // the state machine is rebuilt from the log
        ledgers.put(name, new Ledger());
        return new RaftCore(name, members, timings, limits, persisted, List.copyOf(log),
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
            if (!syncs.isEmpty()) {
                next = Math.min(next, syncs.peek().at());
            }
            for (RaftCore c : liveNodes()) {
                next = Math.min(next, c.nextDeadline());
            }
            if (next > end) {
                break;
            }
            now = Math.max(now, next);
            if (!syncs.isEmpty() && syncs.peek().at() <= now) {
                completeSync(syncs.poll());
                continue;
            }
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

    RaftCore.Transfer transferLeadership(String name, String target) {
        RaftCore.Transfer t = node(name).transferLeadership(target, now);
        apply(name, t.output());
        return t;
    }

    /** Stops {@code name}: its volatile state is lost, its disk is kept, messages to it are lost. */
    /** Replaces the network's behaviour from now on (messages already in flight keep theirs). */
    void setNetwork(Network network) {
        this.network = network;
    }

    /** The highest index every live node has applied, if they all agree on it; -2 otherwise. */
    long agreedAppliedIndex() {
        long agreed = -2;
        for (RaftCore c : liveNodes()) {
            long a = appliedOn.getOrDefault(c.name(), -1L);
            if (agreed == -2) {
                agreed = a;
            } else if (agreed != a) {
                return -2;
            }
        }
        return agreed;
    }

    void crash(String name) {
        nodes.put(name, null);
        generation.merge(name, 1, Integer::sum);
        deferred.remove(name);
    }

    /**
     * Offers {@code count} new client writes to whoever is leader now (nothing if none); each
     * payload is unique, so a write applied twice would show.
     */
    void propose(int count) {
        List<RaftCore> leaders = leaders();
        if (leaders.isEmpty()) {
            return;
        }
        RaftCore leader = leaders.get(random.nextInt(leaders.size()));
        List<Payload> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // a real ledger command: one client per write, so no write is superseded by another
            long n = proposals++;
            Payload p = Payload.ofJson("{\"op\":\"add\",\"client_id\":\"sim" + n + "\",\"seq\":1,\"amount\":\""
                    + (1 + n % 97) + ".50\",\"currency\":\"" + (n % 3 == 0 ? "USD" : "EUR")
                    + "\",\"category\":\"c" + (n % 5) + "\",\"payer\":\"p\",\"date\":\"2026-11-25\"}");
            proposed.add(p);
            data.add(p);
        }
        apply(leader.name(), leader.propose(data, now).output());
    }

    long proposals() {
        return proposals;
    }

    /** Distinct client writes applied somewhere. */
    int writesApplied() {
        return appliedPayloads.size();
    }

    long committedCount() {
        return committed.size();
    }

    /**
     * Section 5.3's log matching property over the live nodes: where two logs hold an entry of the
     * same index and term, they are identical up to it. Call at the end of a run (it is quadratic).
     */
    void checkLogMatching() {
        List<RaftCore> live = liveNodes();
        for (int a = 0; a < live.size(); a++) {
            for (int b = a + 1; b < live.size(); b++) {
                RaftCore x = live.get(a);
                RaftCore y = live.get(b);
                long last = Math.min(x.lastIndex(), y.lastIndex());
                long agreeUpTo = -1;
                for (long i = last; i >= 0; i--) {
                    if (x.entry(i).term() == y.entry(i).term()) {
                        agreeUpTo = i;
                        break;
                    }
                }
                for (long i = 0; i <= agreeUpTo; i++) {
                    if (!x.entry(i).equals(y.entry(i))) {
                        violation("log matching: " + x.name() + " and " + y.name() + " agree at " + agreeUpTo
                                + " but differ at " + i + ": " + x.entry(i) + " vs " + y.entry(i));
                        return;
                    }
                }
            }
        }
    }

    /** Starts {@code name} again from its disk. */
    void restart(String name) {
        if (nodes.get(name) == null) {
            nodes.put(name, newCore(name));
            observe(name, node(name));
        }
    }

    // ---- what the driver does with an output, and the checks --------------------------------------

    /** Carries out {@code out} as the driver does (the driver's own {@link OutputRunner}), with the checks. */
    private void apply(String name, Output out) {
        RaftCore core = node(name);
        checkPersistBeforeReply(name, out);
        try {
            OutputRunner.run(out, effects(name));
        } catch (dev.raftledger.raftd.store.StoreException e) {
            throw new IllegalStateException("the simulated disk does not fail", e);
        }
        if (!disk(name).equals(core.hardState())) {
            violation(name + " is in " + core.hardState() + " but was only asked to persist " + disk(name));
        }
        observe(name, core);
    }

    /** Node {@code name}'s side of an output: its disk, the message queue, the ledger. No snapshots here. */
    private OutputRunner.Effects effects(String name) {
        return new OutputRunner.Effects() {
            @Override
            public void saveHardState(HardState state) {
                persist(name, state);
            }

            @Override
            public void truncateFrom(long index) {
                truncateLog(name, index);
            }

            @Override
            public void append(List<Entry> entries) {
                appendLog(name, entries);
            }

            @Override
            public void sendSnapshot(String peer) {
            }

            @Override
            public Output snapshotChunk(dev.raftledger.common.wire.InstallSnapshot chunk) {
                return null;
            }

            @Override
            public long durableIndex() {
                return durable.getOrDefault(name, -1L);
            }

            @Override
            public void send(Outbound message) {
                CoreCluster.this.send(name, message);
            }

            @Override
            public void defer(Outbound message) {
                deferred.computeIfAbsent(name, n -> new ArrayList<>()).add(message);
            }

            @Override
            public void checkPort(String peer) {
                // every node's process lives on (a down node is cut off): the host never answers
            }

            @Override
            public void apply(Entry entry) {
                applyEntry(name, entry);
            }

            @Override
            public void read(ReadResult result) {
            }

            @Override
            public void applied(List<Entry> batch) {
            }

            @Override
            public void event(CoreEvent e) {
                if (e instanceof CoreEvent.SteppedDown d) {
                    stepDowns.add("t=" + now + " " + name + ": " + d.reason());
                }
            }
        };
    }

    /** Truncation is durable at once (the log store fsyncs it). */
    private void truncateLog(String name, long from) {
        List<Entry> log = written.computeIfAbsent(name, n -> new ArrayList<>());
        log.subList((int) Math.min(from, log.size()), log.size()).clear();
        durable.put(name, Math.min(durable.getOrDefault(name, -1L), from - 1));
        generation.merge(name, 1, Integer::sum);
    }

    /** Appends wait for an fsync, which completes a little later (a Sync). */
    private void appendLog(String name, List<Entry> entries) {
        List<Entry> log = written.computeIfAbsent(name, n -> new ArrayList<>());
        for (Entry e : entries) {
            if (e.index() != log.size()) {
                violation(name + " was asked to append " + e.index() + " after " + (log.size() - 1));
                return;
            }
            log.add(e);
        }
        syncs.add(new Sync(now + random.nextLong(0, 3), sequence++, name, log.size() - 1,
                generation.getOrDefault(name, 0)));
    }

    private void completeSync(Sync s) {
        RaftCore c = nodes.get(s.node());
        if (c == null || s.generation() != generation.getOrDefault(s.node(), 0)) {
            return; // crashed or truncated since: this fsync proves nothing about today's log
        }
        long upTo = Math.min(s.upTo(), written.get(s.node()).size() - 1);
        if (upTo <= durable.getOrDefault(s.node(), -1L)) {
            return;
        }
        durable.put(s.node(), upTo);
        OutputRunner.release(deferred.getOrDefault(s.node(), new ArrayList<>()), upTo, c.term(),
                o -> send(s.node(), o), stale -> { });
        apply(s.node(), c.persisted(upTo, now));
    }

    /** State machine safety: every node applies the same entry at each index, each once, in order. */
    private void applyEntry(String name, Entry e) {
        long expected = appliedOn.getOrDefault(name, -1L) + 1;
        if (e.index() != expected) {
            violation(name + " applied " + e.index() + " but expected " + expected);
        }
        appliedOn.put(name, e.index());
        applyToLedger(name, e);
        Entry known = committed.putIfAbsent(e.index(), e);
        committedBy.putIfAbsent(e.index(), node(name).term());
        if (known != null && !known.equals(e)) {
            violation("state machine safety: " + name + " applied " + e + " where another node applied " + known);
        }
        if (known == null && !e.data().isNoop()) {
            if (!proposed.contains(e.data())) {
                violation(name + " applied an entry nobody proposed: " + e);
            }
            if (!appliedPayloads.add(e.data())) {
                violation("write " + e.data() + " committed twice, the second time at " + e.index());
            }
        }
    }

    private void checkPersistBeforeReply(String name, Output out) {
        for (Outbound o : out.messages()) {
            if (o.message() instanceof VoteAck ack && ack.preVote()
                    || o.message() instanceof RequestVote ask && ask.preVote()) {
                // a pre-vote changes no term and no vote: nothing to persist first
            } else if (o.message() instanceof VoteAck ack && ack.granted()) {
                HardState expected = new HardState(ack.term(), ack.to());
                if (!expected.equals(durableWith(name, out))) {
                    violation(name + " granted " + ack + " with hard state " + durableWith(name, out));
                }
            } else if (o.message() instanceof RequestVote rv) {
                // the first request persists the term and vote; one asked again finds them on disk
                HardState expected = new HardState(rv.term(), name);
                if (!expected.equals(durableWith(name, out))) {
                    violation(name + " asked for votes with " + rv + " and hard state " + durableWith(name, out));
                }
            }
            if (o.to().equals(name) || !members.contains(o.to())) {
                violation(name + " sent to " + o.to());
            }
        }
    }

    /** The hard state durable once {@code out}'s is saved: its own, else what the disk holds already. */
    private HardState durableWith(String name, Output out) {
        return out.hardState() != null ? out.hardState() : disk(name);
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

    /** From now on messages between {@code a} and {@code b} are also lost at {@code rate}, both ways (0 heals). */
    void setLinkLoss(String a, String b, double rate) {
        linkLoss.put(a + ">" + b, rate);
        linkLoss.put(b + ">" + a, rate);
    }

    /** Leaders that stepped down on their own (check-quorum, removal), as "t=... name: reason". */
    List<String> stepDowns() {
        return stepDowns;
    }

    private void send(String from, Outbound o) {
        Double extra = linkLoss.get(from + ">" + o.to()); // drawn only where set: other runs replay as before
        if (random.nextDouble() < network.dropRate() || (extra != null && random.nextDouble() < extra)) {
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
        if (core.role() == Role.LEADER) {
            checkLeaderCompleteness(name, core);
        }
        String known = leaderOfTerm.putIfAbsent(core.term(), leader);
        if (known != null && !known.equals(leader)) {
            violation("two leaders in term " + core.term() + ": " + known + " and " + leader
                    + " (seen by " + name + ")");
        }
    }

    private void applyToLedger(String name, Entry e) {
        Ledger ledger = ledgers.get(name);
        if (e.data().isNoop()) {
            ledger.applyNoop(e.index(), e.term());
            return;
        }
        try {
            ledger.apply(e.index(), e.term(), Codec.readTree(e.data().bytes()));
        } catch (MalformedMessageException ex) {
            violation(name + " applied an entry that is not JSON: " + e);
        }
    }

    /** The ledger state digest of every live node: equal digests mean equal ledgers. */
    Map<String, String> ledgerDigests() {
        Map<String, String> digests = new TreeMap<>();
        for (RaftCore c : liveNodes()) {
            digests.put(c.name(), ledgers.get(c.name()).stateDigest());
        }
        return digests;
    }

    /** Section 5.4: a leader's log holds every entry committed in an earlier term. */
    private void checkLeaderCompleteness(String name, RaftCore leader) {
        for (Map.Entry<Long, Entry> c : committed.entrySet()) {
            long i = c.getKey();
            if (committedBy.get(i) >= leader.term()) {
                continue; // committed in this term or later: a stale leader may lack it
            }
            if (i > leader.lastIndex() || !leader.entry(i).equals(c.getValue())) {
                violation("leader completeness: " + name + " leads term " + leader.term()
                        + " without committed entry " + c.getValue());
                return;
            }
        }
    }

    private void violation(String description) {
        violations.add("t=" + now + " " + description);
    }
}
