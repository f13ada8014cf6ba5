package dev.raftledger.raftd.driver.snapshot;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.SegmentedLog;
import dev.raftledger.raftd.store.snapshot.ChunkResult;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotReceiver;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's snapshots (Raft section 7), driven by the event loop. Local snapshots: once the
 * entries applied since the last one pass {@link SnapshotSettings#thresholdBytes()} (or on the
 * controller's SNAPSHOT), the loop copies the state and the {@code raftd-snapshot} thread writes
 * it to the {@link SnapshotStore}; once it is durable, the log before it (less
 * {@link SnapshotSettings#catchUpEntries()} for slow followers) is deleted, in the core and on
 * disk. A leader streams its latest snapshot to followers the core names ({@link SnapshotSender});
 * a follower stores the chunks ({@link SnapshotReceiver}), and once the whole snapshot is
 * durable and the core adopts it, loads the state from it and makes its log start after it.
 */
public final class Snapshots {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    /** What the loop must do with a snapshot the writer thread finished (or failed). */
    public interface Loop {
        void submit(LoopEvent event);
    }

    private final String self;
    private final SnapshotSettings settings;
    private final SnapshotStore store;
    private final SegmentedLog log;
    private final RaftCore core;
    private final ReplicatedState state;
    private final Outbox sender;
    private final SnapshotSender streams;
    private final SnapshotReceiver receiver;
    private final ExecutorService writer;

    private SnapshotMeta latest;
    private long bytesSinceSnapshot;
    private boolean writing;
    private long writeStartedAt;
    private final List<Consumer<LoopEvent.SnapshotSaved>> waiting = new ArrayList<>();

    public Snapshots(String self, SnapshotSettings settings, SnapshotStore store, SegmentedLog log, RaftCore core,
              ReplicatedState state, Outbox sender, SnapshotMeta latest, DatagramBudget budget) {
        this.self = self;
        this.settings = settings;
        this.store = store;
        this.log = log;
        this.core = core;
        this.state = state;
        this.sender = sender;
        this.latest = latest;
        this.streams = new SnapshotSender(self, store, sender, core::term, budget);
        this.receiver = store.receiver();
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftd-snapshot");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens a stored snapshot to read it (BACKUP); the caller closes it. */
    public dev.raftledger.raftd.store.snapshot.SnapshotReader reader(SnapshotMeta meta) throws StoreException {
        return store.openReader(meta);
    }

    /** The newest durable snapshot, or null. */
    public SnapshotMeta latest() {
        return latest;
    }

    // ---- local snapshots ---------------------------------------------------------------------

    /** Entries were applied: snapshot once enough have been since the last one. */
    public void applied(List<Entry> entries, Loop loop, long now) {
        for (Entry e : entries) {
            bytesSinceSnapshot += e.data().size();
        }
        if (bytesSinceSnapshot >= settings.thresholdBytes() && !writing) {
            start(loop, now);
        }
    }

    /** The controller's SNAPSHOT: one now (or the one being written), and {@code done} when it is durable. */
    public void force(Loop loop, long now, Consumer<LoopEvent.SnapshotSaved> done) {
        waiting.add(done);
        if (!writing) {
            if (latest != null && latest.lastIncludedIndex() == state.appliedIndex()) {
                finishWaiting(new LoopEvent.SnapshotSaved(latest, null, 0)); // nothing new since
                return;
            }
            start(loop, now);
        }
    }

    private void start(Loop loop, long now) {
        long index = state.appliedIndex();
        if (index < 0 || (latest != null && index <= latest.lastIncludedIndex())) {
            return;
        }
        long term = state.ledger().appliedTerm();
        SnapshotPayload payload = SnapshotPayload.capture(state); // on the loop: a copy at this instant
        String configuration = core.configAt(index).toJson(); // the membership in force there, for followers and restarts
        writing = true;
        writeStartedAt = now;
        long counted = bytesSinceSnapshot;
        writer.execute(() -> {
            try {
                SnapshotMeta meta = store.save(index, term, configuration, payload::writeTo);
                loop.submit(new LoopEvent.SnapshotSaved(meta, null, counted));
            } catch (StoreException | RuntimeException e) {
                loop.submit(new LoopEvent.SnapshotSaved(null, e.getMessage(), counted));
            }
        });
    }

    /** The writer thread finished: compact behind the snapshot, tell whoever waits. */
    public void saved(LoopEvent.SnapshotSaved event, long now) throws StoreException {
        writing = false;
        if (event.meta() == null) {
            LOG.error("{}: could not save a snapshot: {}", self, event.error());
            finishWaiting(event);
            return;
        }
        bytesSinceSnapshot = Math.max(0, bytesSinceSnapshot - event.bytesCounted());
        latest = event.meta();
        long compactTo = latest.lastIncludedIndex() - settings.catchUpEntries();
        String compacted = "";
        if (compactTo > core.snapshot().index()) {
            core.compact(compactTo);
            dev.raftledger.raftd.store.log.Compaction c = log.compactThrough(Math.min(compactTo, log.lastIndex()));
            compacted = "; log now from index " + c.firstIndex() + " (" + c.segmentsDeleted() + " segment files, "
                    + c.bytesFreed() / 1024 + " KiB freed)";
        }
        LOG.info("{}: {} saved in {} ms{}", self, latest.describe(), now - writeStartedAt, compacted);
        finishWaiting(event);
    }

    private void finishWaiting(LoopEvent.SnapshotSaved event) {
        List<Consumer<LoopEvent.SnapshotSaved>> done = List.copyOf(waiting);
        waiting.clear();
        done.forEach(d -> d.accept(event));
    }

    // ---- sending (leader) ---------------------------------------------------------------------

    public void send(String peer, long now) throws StoreException {
        if (latest == null) {
            LOG.warn("{}: {} needs a snapshot but there is none yet", self, peer);
            return;
        }
        streams.send(peer, latest, now);
    }

    public void onAck(SnapshotAck ack, long now) throws StoreException {
        streams.onAck(ack, now);
    }

    /** Resends and gives up as needed; returns when to be called again (Long.MAX_VALUE: nothing to do). */
    public long tick(long now) throws StoreException {
        if (core.role() != Role.LEADER && streams.busy()) {
            streams.stopAll();
        }
        return streams.tick(now);
    }

    // ---- receiving (follower) -----------------------------------------------------------------

    /**
     * A chunk the core passed on. Stored and acknowledged; once the whole snapshot is durable,
     * offered to the core, and if adopted, installed: state loaded, log made to start after it.
     * Returns the core's output to carry out (the acknowledgement to the leader), or null.
     */
    public RaftCore.Install chunk(InstallSnapshot c, long now) throws StoreException {
        SnapshotMeta meta = new SnapshotMeta(c.lastIncludedIndex(), c.lastIncludedTerm(), c.configuration(), c.totalSize(),
                c.crc());
        ChunkResult r = receiver.accept(meta, c.offset(), c.data(), c.done());
        sender.toPeer(c.leaderId(), new SnapshotAck(core.term(), self, c.leaderId(), c.lastIncludedIndex(),
                r.status() == ChunkResult.Status.INSTALLED ? c.totalSize() : r.nextOffset()));
        if (r.status() == ChunkResult.Status.FAILED) {
            LOG.warn("{}: the snapshot through {} from {} was refused: {}", self, c.lastIncludedIndex(), c.leaderId(),
                    r.reason());
        }
        if (r.status() != ChunkResult.Status.INSTALLED || r.installed() == null) {
            return null;
        }
        LogPosition at = new LogPosition(c.lastIncludedIndex(), c.lastIncludedTerm());
        // the codec checked that a configuration is one; empty: the leader's snapshot has none
        RaftCore.Install install = core.snapshotReceived(c.leaderId(), at,
                c.configuration().isEmpty() ? null : ClusterConfig.parse(c.configuration()), now);
        if (!install.adopted()) {
            return null;
        }
        // let go of the old state first: a large ledger twice over may not fit the heap
        state.replace(ReplicatedState.empty());
        state.replace(SnapshotPayload.load(store, r.installed()));
        if (log.holds(at.index(), at.term())) {
            log.compactThrough(at.index());
        } else {
            log.resetTo(at.index() + 1);
        }
        latest = r.installed();
        bytesSinceSnapshot = 0;
        return install;
    }

    public void close() {
        streams.stopAll();
        receiver.close();
        writer.shutdownNow();
    }
}
