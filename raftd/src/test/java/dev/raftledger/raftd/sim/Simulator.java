package dev.raftledger.raftd.sim;

import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.sim.Violation.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One seed, one run: five {@link SimNode}s (pure Raft core, simulated disk, ledger), a
 * {@link SimNetwork}, two to four {@link SimClient}s and a {@link FaultSchedule}, all on one
 * thread and one simulated clock, all randomness drawn from the seed, so a run replays exactly.
 *
 * <p>Each step takes the earliest pending event - a fault, an fsync completing, a datagram
 * arriving, a node's timer, a client's next move - and carries it out; then {@link Invariants}
 * checks the cluster. A run has three phases: faults (seven simulated seconds by default);
 * healing (a reliable network and every node up, except in half the runs a minority of one or
 * two nodes kept down or isolated: a majority that can talk must be enough), by whose deadline
 * a leader must exist and every client must have had its write acknowledged; settling (the
 * minority back, clients stop), by whose deadline every node must hold and apply the same log.
 * Then the final checks run.
 */
final class Simulator implements SimNode.Host, SimClient.Cluster, FaultSchedule.Target, MembershipChanges.Cluster {

    /** The nodes a run starts with: Node1-Node5, all voters. */
    static final int NODES = 5;
    /** With the spares membership changes may add: Node6 and Node7. */
    static final int SLOTS = 7;
    /** Every so many steps the quadratic checks run (pairwise log matching, ledger digests). */
    static final int PERIODIC_EVERY = 512;

    private enum Phase { FAULTS, HEALING, SETTLING, DONE }

    /** An fsync of node {@code node} that completes at {@code at}, covering its log up to {@code upTo}. */
    private record Sync(long at, long sequence, int node, long upTo, int generation) {}

    private final SimConfig config;
    private final SplittableRandom random;
    /** Whether a port check is answered (see {@link #checkedPort}). */
    private final SplittableRandom portAnswers;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final SimNetwork network;
    private final FaultSchedule faults;
    private final Invariants invariants;
    private final Trace trace;
    private final PriorityQueue<Sync> syncs = new PriorityQueue<>(
            Comparator.comparingLong(Sync::at).thenComparingLong(Sync::sequence));
    private final long fsyncMinMs;
    private final long fsyncMaxMs;
    private final SimStats stats = new SimStats();

    private long now;
    private long steps;
    private long syncSequence;
    private long readIds;
    private long delivered;
    /** The datagram being delivered (to tell a stale refusal from a follower that lost entries). */
    private SimNetwork.Packet delivering;
    private final AckTracker acks = new AckTracker(SLOTS);
    private final MembershipChanges membership;
    /** Slots of nodes removed from the cluster and stopped for good. */
    private final java.util.Set<Integer> decommissioned = new java.util.HashSet<>();
    private long staleRefusalAnomalies;
    private long snapshotsInstalled;
    private final SimNode.SnapshotPolicy snapshotPolicy;
    private Phase phase = Phase.FAULTS;
    private long phaseDeadline;
    private long healedAt;
    private long[] owedAtHeal;
    /** The minority kept out while the majority must make progress, and whether isolated (else down). */
    private final List<Integer> heldOut = new ArrayList<>();
    private boolean heldIsolated;

    Simulator(SimConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.portAnswers = new SplittableRandom(config.seed() * 31 + 17); // apart, so earlier seeds' shapes stay

        this.trace = new Trace(config.traceLines(), config.echo());
        for (int i = 0; i < SLOTS; i++) {
            names.add("Node" + (i + 1));
            indexOf.put(names.get(i), i);
        }
        // The run's shape, drawn from the seed: batching limits, disk speed, clients, faults.
        Limits shape = random.nextInt(10) < 7 ? Limits.DEFAULT : new Limits(1024, 1 + random.nextInt(4));
        // half the runs as raftd runs: with pre-vote and check-quorum
        boolean recommended = random.nextBoolean();
        Limits limits = new Limits(shape.maxBatchBytes(), shape.maxInflight(), recommended, recommended, recommended,
                recommended);
        long[][] disks = {{0, 2}, {1, 8}, {2, 25}};
        long[] disk = disks[random.nextInt(disks.length)];
        this.fsyncMinMs = disk[0];
        this.fsyncMaxMs = disk[1];
        // two runs in three snapshot and compact their logs, often enough that followers need them
        SimNode.SnapshotPolicy snapshots = random.nextInt(3) == 0 ? SimNode.SnapshotPolicy.NEVER
                : new SimNode.SnapshotPolicy(8 + random.nextInt(33), random.nextInt(9));
        this.snapshotPolicy = snapshots;
        ClusterConfig initial = ClusterConfig.ofVoters(names.subList(0, NODES));
        for (int i = 0; i < SLOTS; i++) {
            // a spare's starting list is set when it joins (MembershipChanges)
            nodes.add(new SimNode(i, names.get(i), initial, Timings.SEED, limits, config, this, snapshots));
        }
        this.network = new SimNetwork(SLOTS, random.split());
        this.faults = new FaultSchedule(random.split(), SLOTS, 0);
        faults.level(network);
        int clientCount = 2 + random.nextInt(3);
        for (int c = 0; c < clientCount; c++) {
            clients.add(new SimClient("sim-c" + (c + 1), random.split(), 50 + random.nextLong(300),
                    config.has(PlantedBug.RETRY_WITH_NEW_SEQ)));
        }
        this.membership = new MembershipChanges(random.split(), NODES, SLOTS);
        this.invariants = new Invariants(nodes, () -> now, initial);
        trace.add(0, null, "run", "seed " + config.seed() + ": " + clientCount + " clients, fsync " + fsyncMinMs + "-"
                + fsyncMaxMs + " ms, batches " + limits.maxBatchBytes() + " B x " + limits.maxInflight() + ", "
                + (snapshots.every() == 0 ? "no snapshots" : "snapshots every " + snapshots.every() + " entries, keeping "
                        + snapshots.keep()) + ", "
                + faults.describe() + ", " + membership.describe() + ", network " + network.level()
                + (config.bugs().isEmpty() ? "" : ", PLANTED BUGS " + config.bugs()));
    }

    /** Runs the seed to its end or its first violation. */
    SimResult run() {
        Violation violation = null;
        try {
            for (SimNode n : nodes.subList(0, NODES)) {
                n.start(now, random.nextLong());
            }
            phaseDeadline = config.faultPhaseMs();
            while (phase != Phase.DONE) {
                step();
            }
            invariants.finalChecks(this::isMemberOfLeadersConfig);
        } catch (Violation v) {
            violation = v;
        } catch (RuntimeException | AssertionError e) {
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            if (Boolean.getBoolean("sim.stack")) {
                e.printStackTrace();
            }
            violation = new Violation(Check.CRASHED, now, e + (at == null ? "" : " at " + at));
        }
        if (violation != null) {
            trace.add(now, null, "VIOLATION", violation.check() + ": " + violation.getMessage());
        }
        collectStats();
        return new SimResult(config, violation, trace.tail(config.traceLines()), stats, trace.fingerprint());
    }

    // ---- the event loop ------------------------------------------------------------------------

    private void step() {
        if (++steps > config.maxSteps()) {
            throw new Violation(Check.CRASHED, now, "more than " + config.maxSteps() + " steps: the run is looping");
        }
        long tFault = phase == Phase.FAULTS ? faults.nextAt() : Long.MAX_VALUE;
        long tMember = phase == Phase.FAULTS ? membership.nextAt() : Long.MAX_VALUE;
        long tSync = syncs.isEmpty() ? Long.MAX_VALUE : syncs.peek().at();
        long tNet = network.nextAt();
        long tNode = Long.MAX_VALUE;
        int dueNode = -1;
        for (SimNode n : nodes) {
            if (n.isUp() && n.core().nextDeadline() < tNode && !config.has(PlantedBug.NO_TIMER)) {
                tNode = n.core().nextDeadline();
                dueNode = n.id;
            }
        }
        long tClient = Long.MAX_VALUE;
        SimClient dueClient = null;
        for (SimClient c : clients) {
            if (c.wakeAt() < tClient) {
                tClient = c.wakeAt();
                dueClient = c;
            }
        }
        long next = Math.min(Math.min(phaseDeadline, Math.min(tFault, tMember)),
                Math.min(Math.min(tSync, tNet), Math.min(tNode, tClient)));
        now = Math.max(now, next);
        // at equal times a fixed order, so that the run is the same every time
        if (phaseDeadline <= now) {
            phaseDeadlineReached();
        } else if (tFault <= now) {
            faults.fire(now, this);
        } else if (tMember <= now) {
            membership.fire(now, this);
        } else if (tSync <= now) {
            completeSync(syncs.poll());
        } else if (tNet <= now) {
            deliver();
        } else if (tNode <= now) {
            nodes.get(dueNode).tick(now);
        } else {
            dueClient.act(now, this);
        }
        invariants.observe();
        if (steps % PERIODIC_EVERY == 0) {
            invariants.periodic();
        }
        checkPhase();
    }

    private void deliver() {
        SimNetwork.Packet p = network.poll();
        if (p == null) {
            return; // its link was cut while it was on its way
        }
        SimNode to = nodes.get(p.to());
        if (p.kind() == SimNetwork.Kind.PORT_CHECK) {
            checkedPort(p);
            return;
        }
        if (p.kind() == SimNetwork.Kind.UNREACHABLE) {
            if (to.isUp()) {
                trace.add(now, to.name, "unreachable", names.get(p.from()) + "'s host: nothing listens on its port");
                to.leaderUnreachable(names.get(p.from()), now);
            }
            return;
        }
        if (!to.isUp()) {
            trace.add(now, to.name, "lost(down)", p.message());
            return;
        }
        delivered++;
        trace.add(now, to.name, "deliver", p.message());
        delivering = p;
        to.deliver(p.message(), now);
        delivering = null;
        if (config.has(PlantedBug.NO_TIMER) && to.isUp()) {
            to.tick(now); // PLANTED BUG: the only chance the node's timers get to fire
        }
    }

    private void completeSync(Sync s) {
        SimNode n = nodes.get(s.node());
        boolean more = n.disk.completeSync(s.upTo(), s.generation());
        if (!n.isUp()) {
            return;
        }
        if (more) {
            trace.add(now, n.name, "fsync", "durable to " + n.disk.durableIndex());
            n.durable(now);
        }
        maybeSync(n);
    }

    /** Group commit: one fsync at a time per node, covering everything written when it began. */
    private void maybeSync(SimNode n) {
        if (n.isUp() && n.disk.needsSync()) {
            long upTo = n.disk.beginSync();
            long delay = fsyncMinMs + random.nextLong(fsyncMaxMs - fsyncMinMs + 1);
            syncs.add(new Sync(now + delay, syncSequence++, n.id, upTo, n.disk.generation()));
        }
    }

    // ---- phases -------------------------------------------------------------------------------

    private void phaseDeadlineReached() {
        switch (phase) {
            case FAULTS:
                heal();
                break;
            case HEALING:
                throw new Violation(Check.PROGRESS, now, "healed at t=" + healedAt + " but after "
                        + config.progressMs() + " ms " + progressState());
            case SETTLING:
                throw new Violation(Check.PROGRESS, now, "healed at t=" + healedAt + ", writes done, but after "
                        + config.convergeMs() + " ms more the nodes have not converged: " + nodeStates());
            default:
                throw new IllegalStateException("phase " + phase);
        }
    }

    /**
     * The end of the faults: a reliable network, every link open, every node up - but in half the
     * runs one or two nodes (those down already, if any) stay down or isolated until the majority
     * has made progress without them.
     */
    private void heal() {
        phase = Phase.HEALING;
        healedAt = now;
        phaseDeadline = now + config.progressMs();
        network.heal();
        network.setReliable();
        membership.stop(now, this);
        List<Integer> inPlay = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            if (membership.inPlay(i)) {
                inPlay.add(i);
            }
        }
        // a minority of every configuration in force: the rest must be enough for any of them
        int minority = Math.min(Math.max(0, random.nextInt(4) - 1), (fewestVoters() - 1) / 2); // 0, 0, 1 or 2
        for (int i : inPlay) {
            if (heldOut.size() < minority && !nodes.get(i).isUp()) {
                heldOut.add(i);
            }
        }
        while (heldOut.size() < minority) {
            int pick = inPlay.get(random.nextInt(inPlay.size()));
            if (!heldOut.contains(pick)) {
                heldOut.add(pick);
            }
        }
        heldIsolated = random.nextBoolean();
        StringBuilder minorityNames = new StringBuilder();
        heldOut.forEach(i -> minorityNames.append(' ').append(names.get(i)));
        trace.add(now, null, "HEAL", "faults end: no loss, every link open, every node up"
                + (heldOut.isEmpty() ? "" : " but" + minorityNames + (heldIsolated ? " isolated" : " down")
                + " until the majority makes progress"));
        for (SimNode n : nodes) {
            if (!membership.inPlay(n.id)) {
                continue; // a spare never started, or a node removed from the cluster
            }
            boolean held = heldOut.contains(n.id);
            if (!n.isUp() && (!held || heldIsolated)) {
                restart(n.id);
            } else if (n.isUp() && held && !heldIsolated) {
                crash(n.id);
            }
            if (held && heldIsolated) {
                network.isolate(n.id);
            }
        }
        if (!heldOut.isEmpty() && !newestLogMayCampaign()) {
            // Raft elects only a node whose log is as up to date as a majority's; if the newest
            // log outside the held-out nodes is only a learner's (in its own log: the entry
            // that made it a voter was overwritten), nobody else can win without them.
            trace.add(now, null, "HEAL", "the newest log of the others is a learner's: nobody held out");
            network.heal();
            for (int i : heldOut) {
                if (!nodes.get(i).isUp()) {
                    restart(i);
                }
            }
            heldOut.clear();
        }
        // each client must finish the write it has under way, or, if idle, one more
        owedAtHeal = new long[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            SimClient c = clients.get(i);
            owedAtHeal[i] = c.isWriting() ? c.write() : c.write() + 1;
        }
    }

    /** Whether a node with the newest log among those up and not held out may campaign. */
    private boolean newestLogMayCampaign() {
        LogPosition newest = null;
        boolean mayCampaign = false;
        for (SimNode n : nodes) {
            if (!n.isUp() || heldOut.contains(n.id) || !membership.inPlay(n.id)) {
                continue;
            }
            RaftCore c = n.core();
            LogPosition last = c.status(now).lastLog();
            boolean voter = c.config().isVoter(c.name()) || c.committedConfig().isVoter(c.name());
            if (newest == null || !newest.isAtLeastAsUpToDateAs(last)) {
                newest = last;
                mayCampaign = voter;
            } else if (last.isAtLeastAsUpToDateAs(newest)) {
                mayCampaign |= voter;
            }
        }
        return newest == null || mayCampaign;
    }

    private void checkPhase() {
        if (phase == Phase.HEALING && leader() >= 0 && clientsCaughtUp()) {
            stats.maxProgressMs = now - healedAt;
            trace.add(now, null, "PROGRESS", "leader " + names.get(leader())
                    + ", every client's write acknowledged; clients stop" + (heldOut.isEmpty() ? "" : ", minority back"));
            phase = Phase.SETTLING;
            phaseDeadline = now + config.convergeMs();
            clients.forEach(SimClient::stop);
            network.heal();
            for (int i : heldOut) {
                if (!nodes.get(i).isUp()) {
                    restart(i);
                }
            }
        } else if (phase == Phase.SETTLING && converged()) {
            stats.maxConvergeMs = now - healedAt;
            trace.add(now, null, "CONVERGED", "every member applied up to " + nodes.get(leader()).core().lastIndex());
            phase = Phase.DONE;
        }
    }

    private boolean clientsCaughtUp() {
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).ackedWrite() < owedAtHeal[i]) {
                return false;
            }
        }
        return true;
    }

    /** The fewest voters of any configuration in force on a live node. */
    private int fewestVoters() {
        int fewest = NODES;
        for (SimNode n : nodes) {
            if (n.isUp()) {
                fewest = Math.min(fewest, n.core().config().voters().size());
            }
        }
        return fewest;
    }

    /** Whether {@code n} is a member (voter or learner) of the current leader's configuration. */
    private boolean isMemberOfLeadersConfig(SimNode n) {
        int l = leader();
        return l >= 0 && nodes.get(l).core().config().isMember(n.name);
    }

    /**
     * Every member of the leader's configuration holds the leader's log, all of it committed and
     * applied; no client is mid-operation. (Nodes removed from the cluster are left out.)
     */
    private boolean converged() {
        int l = leader();
        if (l < 0) {
            return false;
        }
        long last = nodes.get(l).core().lastIndex();
        for (SimNode n : nodes) {
            if (!isMemberOfLeadersConfig(n)) {
                continue;
            }
            RaftCore c = n.core();
            if (c == null || c.lastIndex() != last || c.commitIndex() != last || n.ledger().appliedIndex() != last) {
                return false;
            }
        }
        for (SimClient c : clients) {
            if (!c.isIdle()) {
                return false;
            }
        }
        return true;
    }

    private String progressState() {
        StringBuilder sb = new StringBuilder(leader() < 0 ? "there is no leader" : "leader " + names.get(leader()));
        heldOut.forEach(i -> sb.append("; ").append(names.get(i)).append(heldIsolated ? " isolated" : " down"));
        for (int i = 0; i < clients.size(); i++) {
            SimClient c = clients.get(i);
            if (c.ackedWrite() < owedAtHeal[i]) {
                sb.append("; client ").append(c.clientId).append(" still waits for write ").append(owedAtHeal[i])
                        .append(" (acknowledged up to ").append(c.ackedWrite()).append(')');
            }
        }
        return sb.append(": ").append(nodeStates()).toString();
    }

    private String nodeStates() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes) {
            RaftCore c = n.core();
            sb.append("\n    ").append(n.name).append(": ");
            if (c == null) {
                sb.append("down");
                continue;
            }
            var st = c.status(now);
            sb.append(st.role().wireName()).append(" term ").append(st.term()).append(" vote ").append(st.votedFor())
                    .append(" last ").append(st.lastLog().index()).append('/').append(st.lastLog().term())
                    .append(" commit ").append(st.commitIndex()).append(" applied ").append(n.ledger().appliedIndex())
                    .append(" durable ").append(n.disk.durableIndex()).append(" match ").append(st.followerMatch());
        }
        return sb.toString();
    }

    // ---- SimNode.Host: what a node's driver does outside itself -------------------------------

    @Override
    public void checkPort(SimNode from, String peer) {
        trace.add(now, from.name, "check port", peer);
        network.checkPort(now, from.id, indexOf.get(peer));
    }

    /**
     * A port check arrives at a node's host. A node that is down is a process gone on a host
     * that is up (the host answers) or a host gone with it (silence), one or the other at random;
     * a node that is up answers nothing, but now and then a stray (or forged) answer comes anyway,
     * so the runs check that such evidence never breaks safety or a live leader's reign for long.
     */
    private void checkedPort(SimNetwork.Packet p) {
        boolean down = !nodes.get(p.to()).isUp();
        if (down ? portAnswers.nextBoolean() : portAnswers.nextInt(20) == 0) {
            network.unreachable(now, p.to(), p.from());
        }
    }

    @Override
    public void transmit(SimNode from, Outbound message) {
        if (message.message() instanceof AppendReply r) {
            acks.sent(from.id, r);
        }
        network.send(now, from.id, indexOf.get(message.to()), message.message());
    }

    @Override
    public void logWritten(SimNode node, List<Entry> appended) {
        invariants.onWritten(node, appended);
        maybeSync(node);
    }

    @Override
    public void applied(SimNode node, Entry e, LedgerResult result, SimNode.PendingWrite waiting) {
        invariants.onApplied(node, e, result);
        if (node.core().role() == Role.LEADER) {
            trace.add(now, node.name, "commit", e.index() + "/" + e.term()
                    + (result == null ? " no-op" : " " + result.id()));
            if (phase == Phase.FAULTS) {
                faults.afterCommit(now, node.id, this);
            }
        }
        if (waiting == null) {
            return;
        }
        SimClient client = waiting.client();
        String key = SimClient.key(client.clientId, waiting.write());
        if (waiting.term() == e.term()) {
            boolean taken = client.awaits(waiting.attempt(), waiting.write());
            invariants.onWriteResult(client.clientId, waiting.write(), waiting.seq(), result, taken, node.name);
            trace.add(now, node.name, taken ? "ack" : "ack(late)", key + " = " + (result == null ? null : result.id())
                    + " at " + e.index() + "/" + e.term());
            client.writeOutcome(waiting.attempt(), waiting.write(), true, node.name, now);
        } else {
            trace.add(now, node.name, "lost", key + " proposed at " + e.index() + "/" + waiting.term() + ", but "
                    + e.index() + "/" + e.term() + " committed there");
            client.writeOutcome(waiting.attempt(), waiting.write(), false, node.name, now);
        }
    }

    @Override
    public void readDone(SimNode node, SimNode.PendingRead read, boolean served, long index) {
        if (served) {
            invariants.onReadServed(node, read, index);
        }
        trace.add(now, node.name, served ? "read" : "read(no)", read.client().clientId + " read " + read.id()
                + (served ? " served at index " + index : " refused"));
        read.client().readOutcome(read.attempt(), served, now);
    }

    @Override
    public void snapshotLoaded(SimNode node, LogPosition at, boolean fromLeader) {
        if (fromLeader) {
            snapshotsInstalled++;
        }
        trace.add(now, node.name, fromLeader ? "SNAPSHOT" : "loaded", (fromLeader ? "installed the leader's snapshot"
                : "its own snapshot") + " through " + at.index() + "/" + at.term());
        invariants.onSnapshotLoaded(node, at);
    }

    @Override
    public void event(SimNode node, CoreEvent event) {
        if (event instanceof CoreEvent.ProtocolAnomaly a) {
            if (config.anomalies() == SimConfig.Anomalies.IGNORE) {
                boolean stale = a.description().contains("lost acknowledged entries") && delivering != null
                        && acks.isStaleRefusal(delivering.message());
                staleRefusalAnomalies += stale ? 1 : 0;
                trace.add(now, node.name, "anomaly", (stale ? "spurious (a reordered refusal older than the ack): "
                        : "ignored: ") + a.description());
                return;
            }
            throw new Violation(Check.PROTOCOL_ANOMALY, now, node.name + ": " + a.description());
        } else if (event instanceof CoreEvent.MembershipChanged m) {
            trace.add(now, node.name, "config", "index " + m.index() + (m.committed() ? " (committed)" : "") + ": "
                    + m.config());
            return;
        } else if (event instanceof CoreEvent.LeaderElected e) {
            invariants.onCampaignOrLead(node, "became leader of term " + e.term());
            trace.add(now, node.name, "ELECTED", "leader of term " + e.term() + " with " + e.votes() + " votes");
        } else if (event instanceof CoreEvent.ElectionStarted e) {
            invariants.onCampaignOrLead(node, "started an election for term " + e.term());
            trace.add(now, node.name, "election", "term " + e.term() + ": " + e.reason());
        } else if (event instanceof CoreEvent.VoteGranted v) {
            trace.add(now, node.name, "vote", "for " + v.candidate() + " in term " + v.term());
            if (phase == Phase.FAULTS) {
                faults.afterVote(now, node.id);
            }
        }
    }

    // ---- SimClient.Cluster: a client's request reaching a node --------------------------------

    @Override
    public List<String> names() {
        // as a client knows the cluster: its members (and newcomers); Node1-Node5 unless the membership changed
        List<String> in = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            if (membership.inPlay(i)) {
                in.add(names.get(i));
            }
        }
        return in;
    }

    @Override
    public SimClient.Reply write(SimClient client, String node, long attempt, long at, String[] hint) {
        SimNode n = nodes.get(indexOf.get(node));
        String key = client.key() + (client.seq() != client.write() ? " (seq " + client.seq() + ")" : "");
        if (!n.isUp()) {
            trace.add(at, node, "write", key + " try " + attempt + ": no answer (down)");
            return SimClient.Reply.NO_ANSWER;
        }
        if (n.core().role() != Role.LEADER) {
            hint[0] = n.core().leader();
            trace.add(at, node, "write", key + " try " + attempt + ": not leader, leader is " + hint[0]);
            return SimClient.Reply.NOT_LEADER;
        }
        invariants.onProposed(client.key());
        trace.add(at, node, "propose", key + " try " + attempt + " at " + (n.core().lastIndex() + 1) + "/"
                + n.core().term());
        n.propose(client.command(), client, client.write(), client.seq(), attempt, at);
        return SimClient.Reply.ACCEPTED;
    }

    @Override
    public SimClient.Reply read(SimClient client, String node, long attempt, long at, String[] hint) {
        SimNode n = nodes.get(indexOf.get(node));
        if (!n.isUp()) {
            return SimClient.Reply.NO_ANSWER;
        }
        if (n.core().role() != Role.LEADER && !config.has(PlantedBug.READ_WITHOUT_READ_INDEX)) {
            hint[0] = n.core().leader();
            return SimClient.Reply.NOT_LEADER;
        }
        n.read(new SimNode.PendingRead(client, attempt, ++readIds, invariants.mustSee()), at);
        return SimClient.Reply.ACCEPTED;
    }

    // ---- FaultSchedule.Target: what the faults do ---------------------------------------------

    @Override
    public int size() {
        return SLOTS;
    }

    @Override
    public boolean inPlay(int node) {
        return membership.inPlay(node);
    }

    // ---- MembershipChanges.Cluster: what the operator does ---------------------------------------

    @Override
    public SimNode node(int slot) {
        return nodes.get(slot);
    }

    @Override
    public void startJoiner(int slot, ClusterConfig base) {
        SimNode n = nodes.get(slot);
        n.joining(base);
        n.start(now, random.nextLong());
        trace.add(now, n.name, "JOIN", "started to join, its list: " + base);
    }

    @Override
    public void decommission(int slot) {
        SimNode n = nodes.get(slot);
        decommissioned.add(slot);
        if (n.isUp()) {
            n.crash();
        }
        trace.add(now, n.name, "STOP", "removed from the cluster: stopped for good");
    }

    @Override
    public boolean isUp(int node) {
        return nodes.get(node).isUp();
    }

    @Override
    public int leader() {
        int best = -1;
        for (SimNode n : nodes) {
            if (n.isUp() && n.core().role() == Role.LEADER
                    && (best < 0 || n.core().term() > nodes.get(best).core().term())) {
                best = n.id;
            }
        }
        return best;
    }

    @Override
    public void crash(int node) {
        SimNode n = nodes.get(node);
        if (config.checkDurability()) {
            checkDurable(n);
        }
        long written = n.disk.lastWritten();
        n.crash();
        long kept = n.disk.lastWritten();
        trace.add(now, n.name, "CRASH", "log kept to " + kept
                + (written > kept ? ", un-fsynced " + (kept + 1) + ".." + written + " lost" : ""));
    }

    /**
     * Raft's stable-storage contract, checked at the moment it matters, a crash: what this node
     * acknowledged in its current term, and what its core was told is durable, must be on disk.
     */
    private void checkDurable(SimNode n) {
        RaftCore c = n.core();
        // what a snapshot covers is durable too (saved durably at once), though the log may end before it
        long durable = Math.max(n.disk.durableIndex(), n.disk.snapshot().index());
        long believed = c.status(now).persistedIndex();
        if (believed > durable) {
            throw new Violation(Check.DURABILITY, now, n.name + " crashes with its core told its log is durable to "
                    + believed + ", but only " + durable + " is fsynced");
        }
        long acknowledged = acks.acknowledgedIn(n.id, c.term());
        if (acknowledged > durable) {
            throw new Violation(Check.DURABILITY, now, n.name + " crashes having acknowledged entries up to "
                    + acknowledged + " in term " + c.term() + ", but only " + durable + " is fsynced");
        }
    }

    @Override
    public void restart(int node) {
        SimNode n = nodes.get(node);
        if (decommissioned.contains(node)) {
            return; // its restart was due when it was removed and stopped
        }
        invariants.onRestart(n); // first: loading a snapshot at start refills what it clears
        n.start(now, random.nextLong());
        trace.add(now, n.name, "RESTART", "term " + n.core().term() + " vote " + n.disk.hardState().votedFor()
                + " log to " + n.core().lastIndex());
    }

    @Override
    public void forceElection(int node) {
        trace.add(now, names.get(node), "TIMEOUT", "controller forces an election");
        nodes.get(node).forceElection(now);
    }

    @Override
    public void transferLeadership(int node) {
        String target = nodes.get(node).transferLeadership(now);
        trace.add(now, names.get(node), "TRANSFER", target == null ? "refused: no follower in reach"
                : "hand leadership to " + target);
    }

    @Override
    public void stepDown(int node) {
        trace.add(now, names.get(node), "STEPDOWN", "controller CONVERT_FOLLOWER");
        nodes.get(node).convertToFollower(now);
    }

    @Override
    public SimNetwork network() {
        return network;
    }

    @Override
    public void note(String what, String detail) {
        trace.add(now, null, what, detail);
    }

    // ---- results ------------------------------------------------------------------------------

    private void collectStats() {
        stats.runs = 1;
        stats.steps = steps;
        stats.simulatedMs = now;
        stats.delivered = delivered;
        stats.dropped = network.dropped;
        stats.duplicated = network.duplicated;
        stats.cut = network.cut;
        stats.leadersElected = invariants.leadersElected();
        stats.committedEntries = invariants.committedCount();
        for (SimClient c : clients) {
            stats.writesAcked += c.writesAcked;
            stats.retries += c.retries;
            stats.redirects += c.redirects;
            stats.readsServed += c.readsServed;
            stats.readsRefused += c.readsRefused;
        }
        stats.crashes = faults.crashes;
        stats.crashesAtWorstMoment = faults.crashesAtWorstMoment;
        stats.doubleCrashes = faults.doubleCrashes;
        stats.partitions = faults.partitions;
        stats.isolations = faults.isolations;
        stats.oneWayCuts = faults.oneWayCuts;
        stats.heals = faults.heals;
        stats.forcedElections = faults.forcedElections;
        stats.stepDowns = faults.stepDowns;
        stats.transfers = faults.transfers;
        stats.snapshotsInstalled = snapshotsInstalled;
        stats.membersAdded = membership.added;
        stats.membersPromoted = membership.promoted;
        stats.membersRemoved = membership.removed;
        stats.leadersRemoved = membership.leadersRemoved;
        stats.changesRefused = membership.refused;
        stats.staleRefusalAnomalies = staleRefusalAnomalies;
    }
}
