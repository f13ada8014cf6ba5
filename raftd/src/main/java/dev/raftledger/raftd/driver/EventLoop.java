package dev.raftledger.raftd.driver;

import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.driver.control.ControllerHandler;
import dev.raftledger.raftd.driver.control.LedgerRequests;
import dev.raftledger.raftd.driver.control.LinearizableReads;
import dev.raftledger.raftd.driver.control.PendingWrites;
import dev.raftledger.raftd.driver.control.Replies;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PeerDirectory;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.driver.snapshot.Snapshots;
import dev.raftledger.raftd.driver.control.BackupRequests;
import dev.raftledger.raftd.driver.space.ClusterAlarms;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import dev.raftledger.raftd.metrics.NodeMetrics;
import dev.raftledger.raftd.metrics.SessionGauge;
import dev.raftledger.raftd.store.HardStateSink;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.common.wire.ControllerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns the core. It waits for the next event or the core's next
 * deadline, whichever comes first (this wait is the node's timer), feeds the core, and carries
 * out each output as {@link Output} prescribes: persist the hard state; write the log (the
 * persister fsyncs it, by group commit); send each message once what it depends on is durable;
 * apply committed entries; log events.
 */
public final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** Bounded so that a flood cannot exhaust memory; beyond it datagrams are dropped and counted. */
    static final int QUEUE_CAPACITY = 16_384;

    private final RaftCore core;
    private final HardStateSink store;
    private final EntryLog entryLog;
    private final Outbox sender;
    private final Applier applier;
    private final LinearizableReads reads;
    private final ControllerHandler controllerReplies;
    /** Messages waiting for the log to be durable up to their {@link Outbound#durableIndex()}. */
    private final java.util.ArrayDeque<Outbound> deferred = new java.util.ArrayDeque<>();
    /** Set by the persister after an fsync; read by this thread. */
    private final java.util.concurrent.atomic.AtomicBoolean synced = new java.util.concurrent.atomic.AtomicBoolean();
    private final ControllerHandler controller;
    private final EventLogger events;
    private final DriverCounters counters;
    private final BlockingQueue<LoopEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private ReplicatedState state;
    /** The ledger's sessions, published by the loop when it answers a status request (metrics). */
    private volatile SessionGauge sessionGauge;
    /** Null unless attached: the loop's own tests run without snapshots. */
    private Snapshots snapshots;
    /** Told of every new configuration in force (raftd: the peer directory). */
    private java.util.function.Consumer<dev.raftledger.common.wire.ClusterConfig> membership = c -> { };
    /** This node's disk monitor (null: the loop's own tests run without one). */
    private volatile SpaceMonitor space;
    private volatile java.util.function.Consumer<String> portChecks = peer -> { };
    /** The disk alarms known here: this node's own and, leading, its followers'. */
    private final ClusterAlarms alarms;
    /** The longest interval between two AppendEntry to one follower while leading (STATUS, metrics). */
    private final HeartbeatGaps heartbeatGaps;
    /** Latencies and leader changes for the metrics endpoint; recorded whether or not it is on. */
    private final NodeMetrics metrics = new NodeMetrics();

    /** Set once the loop is to end; the loop checks it before each event. */
    private volatile String stopReason;
    /** A stop asked for (signal, SHUTDOWN): carried out once leadership is handed over. */
    private volatile String stopRequested;
    /** Loop thread only: when a leader's stop goes ahead even if its transfer has not finished (-1: not begun). */
    private long stopBy = -1;
    private long stopBeganAt;
    private volatile int exitStatus;
    private long lastExpirySweep;

    EventLoop(RaftCore core, HardStateSink store, EntryLog entryLog, Outbox sender, ControllerHandler controller,
              Applier applier, LinearizableReads reads, DriverCounters counters) {
        this.core = core;
        this.reads = reads;
        this.controllerReplies = controller;
        this.store = store;
        this.entryLog = entryLog;
        this.sender = sender;
        this.applier = applier;
        this.controller = controller;
        this.events = new EventLogger(core.name());
        this.counters = counters;
        this.alarms = new ClusterAlarms(core.name(), this::spaceState);
        this.heartbeatGaps = new HeartbeatGaps(counters.maxHeartbeatGapMs);
        controller.alarms(alarms);
    }

    /**
     * The loop with everything it drives: the controller's request handlers and the replicated
     * state (STOREs and the expenses ledger) that committed entries are applied to.
     */
    static EventLoop assemble(RaftCore core, HardStateSink store, EntryLog entryLog, Outbox sender,
                              DriverCounters counters, String address, long now) {
        return assemble(core, store, entryLog, sender, counters, address, now, ReplicatedState.empty());
    }

    /** As above, with the state a snapshot restored at start. */
    static EventLoop assemble(RaftCore core, HardStateSink store, EntryLog entryLog, Outbox sender,
                              DriverCounters counters, String address, long now,
                              ReplicatedState state) {
        return assemble(core, store, entryLog, sender, counters, address, now, state,
                new DatagramBudget(DatagramBudget.DEFAULT_BYTES, dev.raftledger.common.auth.ClusterAuth.none()));
    }

    /** As above, with the datagram sizes replies must keep to ({@code --max-datagram-bytes}, the cluster key). */
    static EventLoop assemble(RaftCore core, HardStateSink store, EntryLog entryLog, Outbox sender,
                              DriverCounters counters, String address, long now,
                              ReplicatedState state, DatagramBudget budget) {
        return assemble(core, store, entryLog, sender, counters, address, now, state, budget,
                dev.raftledger.common.ledger.Ledger.DEFAULT_SESSION_TTL_MS);
    }

    /**
     * As above, with the session TTL this node stamps into the ledger writes it proposes as
     * leader, with the system's wall clock ({@code --session-ttl}).
     */
    static EventLoop assemble(RaftCore core, HardStateSink store, EntryLog entryLog, Outbox sender,
                              DriverCounters counters, String address, long now,
                              ReplicatedState state, DatagramBudget budget, long sessionTtlMs) {
        PendingWrites pending = new PendingWrites();
        LinearizableReads reads = new LinearizableReads();
        Replies replies = new Replies(core, budget);
        LedgerRequests ledgerRequests = new LedgerRequests(core, state, pending, replies, System::currentTimeMillis,
                sessionTtlMs);
        ControllerHandler controller = new ControllerHandler(core, state, pending, ledgerRequests, reads, replies,
                counters, address, now);
        Applier applier = new Applier(state, pending, controller, ledgerRequests, sender);
        EventLoop loop = new EventLoop(core, store, entryLog, sender, controller, applier, reads, counters);
        loop.state = state;
        return loop;
    }

    /** Where the core's port checks go (none: a test's loop, whose peers' ports are not checked). */
    void attach(java.util.function.Consumer<String> portChecks) {
        this.portChecks = portChecks;
    }

    /** Watches this node's disk from now on (raftd always; tests of the loop alone run without). */
    void attach(SpaceMonitor monitor) {
        this.space = monitor;
    }

    private SpaceMonitor.State spaceState() {
        SpaceMonitor m = space;
        return m == null ? null : m.state();
    }

    /**
     * The disk alarms known here. Other threads (the metrics endpoint) may read only its
     * thread-safe parts: {@link ClusterAlarms#localState} and {@link ClusterAlarms#refused}.
     */
    ClusterAlarms alarms() {
        return alarms;
    }

    /** Who is told of each new configuration in force. */
    void onMembership(java.util.function.Consumer<dev.raftledger.common.wire.ClusterConfig> listener) {
        this.membership = listener;
    }

    /** The replicated state the loop applies entries to. */
    ReplicatedState state() {
        return state;
    }

    /** Snapshots from now on (raftd always; tests of the loop alone run without). */
    void attach(Snapshots snapshots) {
        attach(snapshots, null);
    }

    /** As {@link #attach(Snapshots)}, and BACKUP, whose replies name this node's cluster id (null: none). */
    void attach(Snapshots snapshots, String clusterId) {
        this.snapshots = snapshots;
        controller.snapshotInfo(snapshots::latest);
        ControllerHandler.SnapshotTrigger trigger = (now, done) -> snapshots.force(this::submit, now, done);
        ControllerHandler.LaterReplies later = (to, reply) -> sender.to(PortRole.CONTROLLER, to, Codec.encode(reply));
        controller.snapshots(trigger, later);
        this.backups = new BackupRequests(controller.replies(), trigger, later, snapshots::reader, core.name(), clusterId);
        controller.backups(backups);
    }

    /**
     * Reads that need a pass over the ledger, and export cursors, answered by {@code worker} off
     * this thread from now on (raftd always; the loop's own tests answer every read here).
     */
    void attach(dev.raftledger.raftd.driver.control.ReadWorker worker) {
        controller.readsOffLoop(worker);
    }

    /** Readers of snapshots being backed up, closed when the loop ends. */
    private BackupRequests backups;

    /** Closes what BACKUP holds open (the node stops). */
    void closeBackups() {
        if (backups != null) {
            backups.closeAll();
        }
    }

    /** Answers linearizable reads through the sender, from the state the loop owns. */
    private final LinearizableReads.Responder responder = new LinearizableReads.Responder() {
        @Override
        public void serve(LinearizableReads.Waiting read) {
            dev.raftledger.common.wire.ControllerMessage reply = controllerReplies.serve(read.request(), read.replyTo());
            if (reply != null) { // else the reader thread answers it
                sender.to(PortRole.CONTROLLER, read.replyTo(), Codec.encode(reply));
            }
        }

        @Override
        public void refuse(LinearizableReads.Waiting read, String why) {
            sender.to(PortRole.CONTROLLER, read.replyTo(), Codec.encode(controllerReplies.refuse(read.request(), why)));
        }
    };

    /** Monotonic milliseconds: the only clock the node reads. */
    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Hands an event to the loop; drops and counts it if the loop is overwhelmed. */
    public void submit(LoopEvent event) {
        if (!queue.offer(event)) {
            counters.droppedOverload.incrementAndGet();
        }
    }

    /**
     * The core's status, for a thread that must not touch the core (the metrics endpoint). Fails
     * at once if the queue is full; never completes if the loop has stopped (callers bound the wait).
     */
    java.util.concurrent.CompletableFuture<dev.raftledger.raftd.core.CoreStatus> requestStatus() {
        var reply = new java.util.concurrent.CompletableFuture<dev.raftledger.raftd.core.CoreStatus>();
        if (!queue.offer(new LoopEvent.StatusRequest(reply))) {
            reply.completeExceptionally(new IllegalStateException("the event loop's queue is full"));
        }
        return reply;
    }

    /** The ledger's sessions as of the last status request answered (any thread); null before one. */
    SessionGauge sessionGauge() {
        return sessionGauge;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Asks the loop to end; safe from any thread, never lost to a full queue (the flag is what
     * counts; the event only wakes the loop). A leader first hands leadership to a follower, so
     * a planned stop costs the cluster no election timeout (see {@link #beginStop}).
     */
    void requestStop(String reason) {
        if (stopRequested == null) {
            stopRequested = reason;
        }
        queue.offer(new LoopEvent.Stop(reason));
    }

    /** The persister made more of the log durable; wakes the loop (a lost wake-up only delays). */
    void signalSynced() {
        synced.set(true);
        queue.offer(new LoopEvent.Wake());
    }

    /** A fatal error on another thread (the persister): stop with status 1. */
    void fail(String message) {
        exitStatus = 1;
        if (stopReason == null) {
            stopReason = message; // at once: no hand-over from a node whose disk failed
        }
        queue.offer(new LoopEvent.Wake());
    }

    /** Lets a test run the loop again after a requested stop (the loop's state is kept). */
    void restartForTest() {
        stopReason = null;
        stopRequested = null;
        stopBy = -1;
    }

    /** Why the loop ended. */
    String stopReason() {
        return stopReason;
    }

    /** 0 after a requested stop, 1 after a fatal error. */
    int exitStatus() {
        return exitStatus;
    }

    @Override
    public void run() {
        try {
            while (stopReason == null) {
                if (synced.getAndSet(false)) {
                    onDurable(now());
                }
                long now = now();
                if (stopRequested != null && stopBy < 0) {
                    beginStop(now);
                    continue;
                }
                if (stopBy >= 0 && readyToStop(now)) {
                    continue;
                }
                long deadline = stopBy >= 0 ? Math.min(core.nextDeadline(), stopBy) : core.nextDeadline();
                if (snapshots != null) {
                    deadline = Math.min(deadline, snapshots.tick(now));
                }
                long wait = deadline - now;
                if (wait <= 0) {
                    apply(core.tick(now));
                    continue;
                }
                LoopEvent event = queue.poll(wait, TimeUnit.MILLISECONDS);
                if (event != null) {
                    handle(event, now());
                }
                if (now - lastExpirySweep >= 500) {
                    lastExpirySweep = now;
                    applier.expire(now);
                    reads.expire(now, responder);
                }
            }
        } catch (StoreException e) {
            fail("stable storage failed, stopping so that no vote is forgotten: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("event loop interrupted", null);
        } catch (RuntimeException | Error e) {
            fail("event loop failed", e);
        }
    }

    private void fail(String message, Throwable cause) {
        LOG.error("{}: {}", core.name(), message, cause);
        stopReason = message;
        exitStatus = 1;
    }

    /** A peer message waited at least this long in the queue: the loop is too busy for its timers (logged). */
    static final long SLOW_PEER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** When a slow wait was last logged (nanoTime; loop thread only), so at most one line every 10 s. */
    private long slowWaitLoggedAt = Long.MIN_VALUE / 2;

    /** How long a peer message waited to be handled: a histogram, and a warning when it is long. */
    private void peerWaited(LoopEvent.FromPeer p) {
        long at = System.nanoTime();
        long waited = at - p.queuedAtNanos();
        metrics.peerWaitNanos(waited);
        if (waited >= SLOW_PEER_WAIT_NANOS && at - slowWaitLoggedAt >= TimeUnit.SECONDS.toNanos(10)) {
            slowWaitLoggedAt = at;
            LOG.warn("{}: a {} from {} waited {} ms in the event loop's queue ({} events queued): the loop is "
                    + "too busy to keep the cluster's timers (a leader whose followers' answers wait this long "
                    + "may step down although they answered in time; see raftd_peer_message_wait_seconds)",
                    core.name(), p.message().request(), p.message().sender(), waited / 1_000_000, queue.size());
        }
    }

    private void handle(LoopEvent event, long now) throws StoreException {
        if (event instanceof LoopEvent.FromPeer fromPeer) {
            peerWaited(fromPeer);
        }
        if (event instanceof LoopEvent.FromPeer p && p.message() instanceof SnapshotAck ack) {
            if (snapshots != null) {
                snapshots.onAck(ack, now); // the transfer's flow control
            }
            apply(core.step(ack, now)); // for the core, an answer: the follower is in reach
        } else if (event instanceof LoopEvent.FromPeer p) {
            if (p.message() instanceof AppendReply r) {
                alarms.reply(r.from(), r.noSpace(), now); // the follower's disk alarm, for writes and STATUS
                controller.featureLevels().reply(r.from(), r.term(), r.featureLevel()); // stamps wait for all
            } else if (p.message() instanceof VoteAck v) {
                alarms.reply(v.from(), v.noSpace(), now); // a candidate learns its voters' alarms
            }
            apply(core.step(p.message(), now));
        } else if (event instanceof LoopEvent.SnapshotSaved saved) {
            if (snapshots != null) {
                snapshots.saved(saved, now);
            }
        } else if (event instanceof LoopEvent.FromController c && isWrite(c)) {
            writes(c, now);
        } else if (event instanceof LoopEvent.FromController c) {
            ControllerHandler.Result r = controller.handle(c.request(), c.replyTo(), now);
            apply(r.output());
            if (r.reply() != null) {
                sender.to(PortRole.CONTROLLER, c.replyTo(), Codec.encode(r.reply()));
            }
            if (r.stop()) {
                LOG.info("{}: SHUTDOWN requested by the controller at {}", core.name(), c.replyTo());
                requestStop("controller SHUTDOWN from " + c.replyTo());
            }
        } else if (event instanceof LoopEvent.PortClosed c) {
            apply(core.leaderUnreachable(c.peer(), now));
        } else if (event instanceof LoopEvent.BadControllerDatagram b) {
            sender.to(PortRole.CONTROLLER, b.replyTo(), Codec.encode(controller.badRequest(b.code(), b.reason())));
        } else if (event instanceof LoopEvent.Stop s) {
            requestStop(s.reason());
        } else if (event instanceof LoopEvent.StatusRequest s) {
            Ledger ledger = state.ledger();
            // written before the reply completes, so the scrape that waited for it reads it
            sessionGauge = new SessionGauge(ledger.sessionCount(), ledger.sessionBytesEstimate(),
                    ledger.sessionsExpired());
            s.reply().complete(core.status(now));
        }
    }

    /** The most EXPENSE requests proposed together (see {@link #writes}). */
    static final int MAX_WRITES_PER_PROPOSAL = 64;

    private static boolean isWrite(LoopEvent e) {
        return e instanceof LoopEvent.FromController c
                && ControllerRequest.fromWire(c.request().request()).orElse(null) == ControllerRequest.EXPENSE;
    }

    /**
     * An EXPENSE, with those queued right behind it (up to {@link #MAX_WRITES_PER_PROPOSAL}),
     * proposed together: one AppendEntry per follower carries as many of their entries as a
     * datagram holds, instead of one round of messages per write. Only what has already arrived
     * is taken, so a write alone is proposed at once, as before; anything else in the queue
     * ends the run, so events keep their order.
     */
    private void writes(LoopEvent.FromController first, long now) throws StoreException {
        List<LedgerRequests.Write> batch = new ArrayList<>();
        batch.add(new LedgerRequests.Write(first.request(), first.replyTo()));
        while (batch.size() < MAX_WRITES_PER_PROPOSAL && isWrite(queue.peek())) {
            LoopEvent.FromController next = (LoopEvent.FromController) queue.poll();
            batch.add(new LedgerRequests.Write(next.request(), next.replyTo()));
        }
        LedgerRequests.Writes done = controller.handleWrites(batch, now);
        apply(done.output());
        for (LedgerRequests.Answer a : done.refused()) {
            sender.to(PortRole.CONTROLLER, a.to(), Codec.encode(a.reply()));
        }
    }

    /**
     * A stop was asked for. A follower stops at once. A leader hands leadership to its most
     * up-to-date follower first (Raft thesis 3.10) and stops once it has stepped down, or after
     * the longest election timeout and a heartbeat if the transfer did not finish: either way no
     * longer than an unplanned failover would have taken.
     */
    private void beginStop(long now) throws StoreException {
        stopBeganAt = now;
        stopBy = now;
        if (core.role() == dev.raftledger.raftd.core.Role.LEADER) {
            RaftCore.Transfer t = core.transferLeadership(null, now);
            if (t.accepted() && !t.target().equals(core.name())) {
                LOG.info("{}: stopping ({}): handing leadership to {} first", core.name(), stopRequested, t.target());
                stopBy = now + core.timings().electionMaxMs() + core.timings().heartbeatMs();
                apply(t.output());
                return;
            }
            LOG.info("{}: stopping as leader without a hand-over: {}", core.name(), t.reason());
        }
        stopReason = stopRequested;
    }

    /** Whether a leader's planned stop may go ahead now; if so, ends the loop. */
    private boolean readyToStop(long now) {
        boolean handedOver = core.role() != dev.raftledger.raftd.core.Role.LEADER;
        if (!handedOver && core.transferTarget() != null && now < stopBy) {
            return false;
        }
        if (handedOver) {
            LOG.info("{}: stepped down in term {} after {} ms; stopping", core.name(), core.term(), now - stopBeganAt);
        } else {
            LOG.warn("{}: leadership was not handed over within {} ms; stopping anyway", core.name(),
                    now - stopBeganAt);
        }
        stopReason = stopRequested;
        return true;
    }

    private void apply(Output out) throws StoreException {
        OutputRunner.run(out, effects);
    }

    /** This node's effects of the core's output: the durable store and log, the sender, the state machine. */
    private final OutputRunner.Effects effects = new OutputRunner.Effects() {
        @Override
        public void saveHardState(dev.raftledger.raftd.core.HardState state) throws StoreException {
            store.save(state);
        }

        @Override
        public void truncateFrom(long index) throws StoreException {
            entryLog.truncateFrom(index);
        }

        @Override
        public void append(java.util.List<dev.raftledger.common.wire.Entry> entries) throws StoreException {
            long started = System.nanoTime();
            entryLog.append(entries);
            metrics.logAppendNanos(System.nanoTime() - started);
        }

        @Override
        public void sendSnapshot(String peer) throws StoreException {
            if (snapshots != null) {
                snapshots.send(peer, now());
            }
        }

        @Override
        public Output snapshotChunk(InstallSnapshot chunk) throws StoreException {
            RaftCore.Install installed = snapshots == null ? null : snapshots.chunk(chunk, now());
            return installed == null ? null : installed.output();
        }

        @Override
        public long durableIndex() {
            return entryLog.durableIndex();
        }

        @Override
        public void send(Outbound message) {
            if (message.message() instanceof dev.raftledger.common.wire.AppendEntry) {
                heartbeatGaps.sent(message.to(), now());
            }
            if (message.message() instanceof AppendReply r) {
                // what this release reads (the leader stamps ledger writes once every member says so)
                AppendReply said = r.withFeatureLevel(dev.raftledger.raftd.driver.control.FeatureLevels.OWN);
                // and the disk alarm: the leader stops taking writes while it holds
                sender.toPeer(message.to(), alarms.localRaised() ? said.withNoSpace() : said);
                return;
            }
            if (message.message() instanceof VoteAck ack && alarms.localRaised()) {
                sender.toPeer(message.to(), ack.withNoSpace()); // a new leader knows before its first write
                return;
            }
            sender.toPeer(message.to(), message.message());
        }

        @Override
        public void defer(Outbound message) {
            deferred.addLast(message);
        }

        @Override
        public void checkPort(String peer) {
            portChecks.accept(peer);
        }

        @Override
        public void apply(dev.raftledger.common.wire.Entry entry) {
            applier.apply(entry);
        }

        @Override
        public void read(dev.raftledger.raftd.core.ReadResult result) {
            reads.onResult(result, applier.appliedIndex(), responder);
        }

        @Override
        public void applied(java.util.List<dev.raftledger.common.wire.Entry> batch) {
            reads.onApplied(applier.appliedIndex(), responder);
            if (snapshots != null) {
                snapshots.applied(batch, EventLoop.this::submit, now());
            }
        }

        @Override
        public void event(CoreEvent e) {
            if (e instanceof CoreEvent.MembershipChanged m) {
                membership.accept(m.config()); // the peers known and where (PeerDirectory)
            }
            if (e instanceof CoreEvent.RoleChanged) {
                heartbeatGaps.reset(); // gaps are measured within one leadership
            }
            if (e instanceof CoreEvent.RoleChanged rc && rc.role() != dev.raftledger.raftd.core.Role.LEADER) {
                // writes waiting here are answered now (their entries were applied above if they
                // committed); waiting reads the core has just refused, in out.reads()
                applier.leadershipLost();
            }
            events.log(e);
            metrics.onEvent(e);
        }
    };

    /**
     * More of the log is durable: release the acknowledgements waiting for it (dropping any whose
     * term has passed: the entries they acknowledged may have been replaced since), and tell the
     * core, which may commit.
     */
    private void onDurable(long now) throws StoreException {
        long durable = entryLog.durableIndex();
        OutputRunner.release(deferred, durable, core.term(), effects::send, stale -> { });
        apply(core.persisted(durable, now));
    }
}
