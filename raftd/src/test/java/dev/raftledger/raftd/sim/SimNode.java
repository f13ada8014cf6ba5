package dev.raftledger.raftd.sim;

import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.ReadResult;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.OutputRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One node as the real driver runs it (raftd's {@code EventLoop}, {@code Applier},
 * {@code PendingWrites}, {@code LinearizableReads}), minus sockets and threads: a
 * {@link RaftCore}, a {@link SimDisk} that survives crashes, and a {@link Ledger} that does not
 * (a restarted node rebuilds it by applying the committed log again from the start). Every
 * {@link Output} is carried out in the order its javadoc prescribes. The driver's planted bugs
 * live here, where a real driver would make them.
 */
final class SimNode {

    /** What the node's driver reaches outside itself: the network, the checks, the clients. */
    interface Host {
        void transmit(SimNode from, Outbound message);

        /** Check whether a process listens on {@code peer}'s port (the answer comes as {@link #leaderUnreachable}). */
        void checkPort(SimNode from, String peer);

        /** Entries were written to the log (not yet durable). */
        void logWritten(SimNode node, List<Entry> appended);

        /** An entry was applied ({@code result} null for a no-op); {@code waiting}: the write proposed here at its index. */
        void applied(SimNode node, Entry e, LedgerResult result, PendingWrite waiting);

        /** A read was served at {@code index} from this node's ledger, or refused ({@code served} false). */
        void readDone(SimNode node, PendingRead read, boolean served, long index);

        void event(SimNode node, CoreEvent event);

        /** The node replaced its ledger with a snapshot through {@code at} (its own at restart, or a leader's). */
        void snapshotLoaded(SimNode node, LogPosition at, boolean fromLeader);
    }

    /**
     * When the node snapshots its ledger: every {@code every} applied entries (0: never), keeping
     * the last {@code keep} entries before the snapshot point in its log for slow followers.
     */
    record SnapshotPolicy(long every, long keep) {
        static final SnapshotPolicy NEVER = new SnapshotPolicy(0, 0);
    }

    /** A client write this node proposed as leader, waiting for the entry at its index to apply. */
    record PendingWrite(SimClient client, long write, long seq, long term, long attempt) {}

    /** A client read waiting for confirmation of leadership, then for the apply of its index. */
    record PendingRead(SimClient client, long attempt, long id, Map<String, Invariants.Acked> mustSee) {}

    final int id;
    final String name;
    final SimDisk disk = new SimDisk();
    /** The configuration this node starts from without a snapshot (raftd's --cluster; --join for a newcomer). */
    private ClusterConfig base;
    private final Timings timings;
    private final Limits limits;
    private final SimConfig config;
    private final Host host;

    private RaftCore core; // null while down
    private Ledger ledger;
    private final ArrayDeque<Outbound> deferred = new ArrayDeque<>();
    private final TreeMap<Long, PendingWrite> writes = new TreeMap<>();
    private final Map<Long, PendingRead> confirming = new HashMap<>();
    private final TreeMap<Long, List<PendingRead>> awaitingApply = new TreeMap<>();

    private final SnapshotPolicy snapshots;

    SimNode(int id, String name, ClusterConfig base, Timings timings, Limits limits, SimConfig config, Host host,
            SnapshotPolicy snapshots) {
        this.snapshots = snapshots;
        this.id = id;
        this.name = name;
        this.base = base;
        this.timings = timings;
        this.limits = limits;
        this.config = config;
        this.host = host;
    }

    boolean isUp() {
        return core != null;
    }

    /** The live core; null while down. */
    RaftCore core() {
        return core;
    }

    Ledger ledger() {
        return ledger;
    }

    /** A newcomer's starting list (raftd --join --cluster ...), set before its first start. */
    void joining(ClusterConfig list) {
        base = list;
    }

    /** How many times this node has started: its incarnation. */
    private long starts;

    /** Starts (or restarts) from the disk: durable hard state and log; an empty ledger. */
    void start(long now, long randomSeed) {
        HardState hs = disk.hardState();
        if (config.has(PlantedBug.FORGET_VOTE_ON_RESTART)) {
            hs = new HardState(hs.term(), null);
        }
        // each start a higher incarnation, as raftd's boot count gives it
        LogPosition snapshot = disk.snapshot();
        ClusterConfig start = disk.snapshotConfig().isEmpty() ? base : ClusterConfig.parse(disk.snapshotConfig());
        core = new RaftCore(name, start, timings, limits, hs, snapshot, disk.recover(), new SplittableRandom(randomSeed),
                now, ++starts);
        ledger = snapshot.index() < 0 ? new Ledger() : ledgerFrom(disk.snapshotData(), now);
        appliedTerm = snapshot.term();
        if (snapshot.index() >= 0) {
            host.snapshotLoaded(this, snapshot, false);
        }
    }

    /** The term of the last entry applied to the ledger (for the snapshot's position). */
    private long appliedTerm;

    private Ledger ledgerFrom(byte[] data, long now) {
        try {
            return Ledger.fromSnapshot(Codec.readTree(data));
        } catch (MalformedMessageException | dev.raftledger.common.ledger.LedgerException e) {
            throw new Violation(Violation.Check.STATE_MACHINE_SAFETY, now, name + " cannot load its snapshot: " + e);
        }
    }

    /** Snapshots the ledger if the policy says so, then compacts the log (core and disk) behind it. */
    private void maybeSnapshot() {
        long applied = ledger.appliedIndex();
        if (snapshots.every() <= 0 || applied - disk.snapshot().index() < snapshots.every()) {
            return;
        }
        LogPosition at = new LogPosition(applied, appliedTerm);
        disk.saveSnapshot(at, Codec.toBytes(ledger.toSnapshot()), core.configAt(applied).toJson());
        long compactTo = applied - snapshots.keep();
        if (compactTo > core.snapshot().index()) {
            core.compact(compactTo);
            disk.compactThrough(compactTo);
        }
    }

    /** The leader's latest snapshot, whole, as one chunk through the (simulated) network. */
    private void sendSnapshot(String peer) {
        LogPosition at = disk.snapshot();
        byte[] data = disk.snapshotData();
        host.transmit(this, new Outbound(peer, new InstallSnapshot(core.term(), name, at.index(), at.term(), 0,
                data.length, crc(data), true, data, disk.snapshotConfig())));
    }

    private static long crc(byte[] data) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(data);
        return c.getValue();
    }

    /**
     * A leader's snapshot arrived (whole: the simulated driver sends one chunk). Checked, offered
     * to the core; if adopted, stored, the log compacted or reset as the core decided, and the
     * ledger replaced, before the core's reply goes out.
     */
    /** Stores a leader's snapshot; the core's output once it is adopted (carried out by the caller), else null. */
    private Output receiveSnapshot(InstallSnapshot chunk, long now) {
        if (!chunk.done() || chunk.offset() != 0 || crc(chunk.data()) != chunk.crc()) {
            throw new Violation(Violation.Check.STATE_MACHINE_SAFETY, now, name + " got a damaged snapshot " + chunk);
        }
        LogPosition at = new LogPosition(chunk.lastIncludedIndex(), chunk.lastIncludedTerm());
        boolean withConfig = !chunk.configuration().isEmpty() && !config.has(PlantedBug.SNAPSHOT_WITHOUT_CONFIG);
        RaftCore.Install install = core.snapshotReceived(chunk.leaderId(), at,
                withConfig ? ClusterConfig.parse(chunk.configuration()) : null, now);
        if (!install.adopted()) {
            return null;
        }
        disk.saveSnapshot(at, chunk.data(), withConfig ? chunk.configuration() : "");
        if (disk.holds(at)) {
            disk.compactThrough(at.index());
        } else {
            disk.resetTo(at);
        }
        ledger = ledgerFrom(chunk.data(), now);
        appliedTerm = at.term();
        writes.headMap(at.index(), true).clear(); // their outcome is in the snapshot, unknown here
        host.snapshotLoaded(this, at, true);
        return install.output();
    }

    /** Power loss: volatile state gone (pending writes and reads get no answer), the disk loses its un-fsynced tail. */
    void crash() {
        core = null;
        ledger = null;
        deferred.clear();
        writes.clear();
        confirming.clear();
        awaitingApply.clear();
        disk.crash();
    }

    void deliver(PeerMessage m, long now) {
        carryOut(core.step(m, now), now);
    }

    void tick(long now) {
        if (now >= core.nextDeadline()) {
            carryOut(core.tick(now), now);
        }
    }

    /** {@code peer}'s host answered a port check: nothing listens there. */
    void leaderUnreachable(String peer, long now) {
        carryOut(core.leaderUnreachable(peer, now), now);
    }

    void forceElection(long now) {
        carryOut(core.forceElection(now), now);
    }

    void convertToFollower(long now) {
        carryOut(core.convertToFollower(now), now);
    }

    /** Starts a hand-over to the best follower; returns its name, or null if the core refused. */
    String transferLeadership(long now) {
        RaftCore.Transfer t = core.transferLeadership(null, now);
        carryOut(t.output(), now);
        return t.accepted() ? t.target() : null;
    }

    /** Proposes a client write as leader (the caller checked); remembers it by index and term. */
    Entry propose(Payload data, SimClient client, long write, long seq, long attempt, long now) {
        RaftCore.Proposal p = core.propose(List.of(data), now);
        if (p.entries().isEmpty()) {
            return null;
        }
        Entry e = p.entries().get(0);
        writes.put(e.index(), new PendingWrite(client, write, seq, e.term(), attempt));
        carryOut(p.output(), now);
        return e;
    }

    /** A linearizable read: confirmed by the core's ReadIndex, then served once applied that far. */
    void read(PendingRead r, long now) {
        if (config.has(PlantedBug.READ_WITHOUT_READ_INDEX)) {
            host.readDone(this, r, true, ledger.appliedIndex());
            return;
        }
        confirming.put(r.id(), r);
        carryOut(core.readIndex(r.id(), now), now);
    }

    /**
     * An fsync completed and more of the log is durable: release the acknowledgements that waited
     * for it, dropping those whose term has passed (the entries they acknowledge may have been
     * replaced by a newer leader's since), then tell the core, which may commit.
     */
    void durable(long now) {
        long upTo = disk.durableIndex();
        OutputRunner.release(deferred, upTo, core.term(), o -> host.transmit(this, o), stale -> { });
        carryOut(core.persisted(upTo, now), now);
    }

    /**
     * Carries out one output, and whatever the outputs it leads to produce, with the driver's own
     * {@link OutputRunner} (the order raftd uses) and this node's simulated effects. Two planted
     * bugs change what the effects do, not the order: ACK_BEFORE_FSYNC is a disk that reports
     * what was written as durable (and tells the core so at once), APPLY_BEFORE_COMMIT a state
     * machine that applies everything in the log.
     */
    void carryOut(Output first, long now) {
        boolean early = config.has(PlantedBug.ACK_BEFORE_FSYNC);
        OutputRunner.Effects effects = effects(now);
        ArrayDeque<Output> todo = new ArrayDeque<>();
        todo.add(first);
        while (!todo.isEmpty()) {
            Output out = todo.poll();
            if (out.isEmpty()) {
                continue;
            }
            try {
                OutputRunner.run(out, effects);
            } catch (dev.raftledger.raftd.store.StoreException e) {
                throw new IllegalStateException("the simulated disk does not fail", e);
            }
            if (config.has(PlantedBug.APPLY_BEFORE_COMMIT)) {
                while (ledger != null && ledger.appliedIndex() < core.lastIndex()) {
                    apply(core.entry(ledger.appliedIndex() + 1), now);
                }
            }
            if (ledger != null) {
                serveReadsUpTo(ledger.appliedIndex());
            }
            if (early && !out.append().isEmpty()) {
                todo.add(core.persisted(disk.lastWritten(), now));
            }
        }
    }

    /** This node's side of an output at {@code now}: the simulated disk, network and ledger. */
    private OutputRunner.Effects effects(long now) {
        boolean early = config.has(PlantedBug.ACK_BEFORE_FSYNC);
        return new OutputRunner.Effects() {
            @Override
            public void saveHardState(HardState state) {
                disk.saveHardState(state);
            }

            @Override
            public void truncateFrom(long index) {
                disk.truncateFrom(index);
            }

            @Override
            public void append(List<Entry> entries) {
                for (Entry e : entries) {
                    disk.append(e);
                }
                host.logWritten(SimNode.this, entries);
            }

            @Override
            public void sendSnapshot(String peer) {
                SimNode.this.sendSnapshot(peer);
            }

            @Override
            public Output snapshotChunk(InstallSnapshot chunk) {
                return receiveSnapshot(chunk, now);
            }

            @Override
            public long durableIndex() {
                return early ? disk.lastWritten() : disk.durableIndex();
            }

            @Override
            public void send(Outbound message) {
                host.transmit(SimNode.this, message);
            }

            @Override
            public void defer(Outbound message) {
                deferred.addLast(message);
            }

            @Override
            public void checkPort(String peer) {
                host.checkPort(SimNode.this, peer);
            }

            @Override
            public void apply(Entry entry) {
                if (!config.has(PlantedBug.APPLY_BEFORE_COMMIT) || entry.index() > ledger.appliedIndex()) {
                    SimNode.this.apply(entry, now);
                }
            }

            @Override
            public void read(ReadResult result) {
                onReadResult(result);
            }

            @Override
            public void applied(List<Entry> batch) {
                maybeSnapshot();
            }

            @Override
            public void event(CoreEvent event) {
                host.event(SimNode.this, event);
            }
        };
    }

    private void apply(Entry e, long now) {
        if (e.index() != ledger.appliedIndex() + 1) {
            throw new Violation(Violation.Check.STATE_MACHINE_SAFETY, now, name + " was told to apply " + e.index()
                    + " after " + ledger.appliedIndex() + " (out of order)");
        }
        LedgerResult result = null;
        long term = config.has(PlantedBug.APPLY_WITH_LOCAL_TERM) ? core.term() : e.term();
        if (e.data().isNoop() || ClusterConfig.isConfig(e.data())) {
            ledger.applyNoop(e.index(), term);
        } else {
            try {
                result = ledger.apply(e.index(), term, Codec.readTree(e.data().bytes()));
            } catch (MalformedMessageException bad) {
                throw new Violation(Violation.Check.STATE_MACHINE_SAFETY, now, name + " applied an entry that is not JSON: " + e);
            }
        }
        appliedTerm = e.term();
        host.applied(this, e, result, writes.remove(e.index()));
    }

    private void onReadResult(ReadResult r) {
        PendingRead read = confirming.remove(r.id());
        if (read == null) {
            return;
        }
        if (!r.ok()) {
            host.readDone(this, read, false, -1);
        } else {
            awaitingApply.computeIfAbsent(r.index(), i -> new ArrayList<>()).add(read);
        }
    }

    private void serveReadsUpTo(long applied) {
        while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= applied) {
            Map.Entry<Long, List<PendingRead>> ready = awaitingApply.pollFirstEntry();
            for (PendingRead r : ready.getValue()) {
                host.readDone(this, r, true, ready.getKey());
            }
        }
    }
}
