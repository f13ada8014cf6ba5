package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.driver.control.ReadWorker;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Listener;
import dev.raftledger.raftd.driver.net.PeerDirectory;
import dev.raftledger.raftd.driver.net.PeerResolver;
import dev.raftledger.raftd.driver.net.PortChecker;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.driver.net.Sender;
import dev.raftledger.raftd.driver.net.Sockets;
import dev.raftledger.raftd.driver.snapshot.Snapshots;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import dev.raftledger.raftd.driver.start.NodeConfig;
import dev.raftledger.raftd.driver.start.StartupState;
import dev.raftledger.raftd.driver.start.Warmup;
import dev.raftledger.raftd.metrics.Exposition;
import dev.raftledger.raftd.metrics.MetricsServer;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.SegmentedLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the data dir, four listener threads, the sender thread, the resolver's
 * threads ({@link PeerResolver}) and the event loop around one {@link RaftCore}. {@link #start}
 * returns once every port is bound; {@link #stop} may be called from any thread (signal
 * handler, controller); {@link #await} returns the exit status once every thread has ended and
 * every socket is closed.
 */
public final class RaftNode {

    private static final Logger LOG = LoggerFactory.getLogger("raftd");

    private final String name;
    private final DataDir dataDir;
    private final Sockets sockets;
    private final Sender sender;
    /** Where the peers are: their hosts' last answers, refreshed by {@link #resolver}'s threads. */
    private final PeerDirectory peers;
    private final PeerResolver resolver;
    private final SegmentedLog log;
    private final Persister persister;
    private final EventLoop loop;
    private final Thread loopThread;
    private final Thread senderThread;
    /** Checks a silent leader's port (see {@link PortChecker}). */
    private final PortChecker portChecker;
    private final Thread portCheckerThread;
    private final Thread persisterThread;
    /** Answers the reads that need a pass over the ledger, and export cursors, off the loop. */
    private final ReadWorker reader;
    private final Thread readerThread;
    /**
     * A system property for benchmarks only: {@code -Draftd.reads-on-loop=true} answers every read
     * on the event loop, as releases before the reader thread did (ReadLoadBenchmark's "before").
     */
    static final String READS_ON_LOOP = "raftd.reads-on-loop";
    private final List<Thread> listeners = new ArrayList<>();
    private final MetricsProbe metricsProbe;
    /** Reads the key files again on SIGHUP ({@link #reloadKeyring}). */
    private final KeyringReload keyringReload;
    /** The metrics endpoint, or null when no metrics address is given (no thread, no socket). */
    private MetricsServer metricsServer;
    private final Object stopLock = new Object();
    private Integer exitStatus;

    private final Snapshots snapshots;
    /** Watches the data dir against --quota-bytes and --min-free-bytes, on a thread of its own. */
    private final SpaceMonitor space;

    private RaftNode(NodeConfig config, DataDir dataDir, HardStateStore store, SegmentedLog log,
                     StartupState recovered, Sockets sockets, String clusterId) throws StoreException {
        this.name = config.name();
        this.dataDir = dataDir;
        this.sockets = sockets;
        this.log = log;
        long now = EventLoop.now();
        HardState persisted = store.current();
        DatagramBudget budget = new DatagramBudget(config.maxDatagramBytes(), config.auth(), clusterId);
        RaftCore core = new RaftCore(config.name(), startingConfig(config, recovered), config.timings(),
                budget.limits(config.name()), persisted, recovered.snapshot(), recovered.entries(),
                new SplittableRandom(config.randomSeed()), now, store.incarnation());
        DriverCounters counters = new DriverCounters();
        this.resolver = new PeerResolver();
        this.peers = new PeerDirectory(config.cluster(), config.name(), PeerDirectory.SYSTEM, resolver.lookups(),
                () -> System.nanoTime() / 1_000_000);
        peers.update(core.config());
        this.sender = new Sender(sockets, peers, counters, config.auth(), budget);
        DurableEntryLog entryLog = new DurableEntryLog(log);
        this.loop = EventLoop.assemble(core, store, entryLog, sender, counters, config.self().host(), now,
                recovered.state(), budget, config.sessionTtlMs());
        this.snapshots = new Snapshots(config.name(), config.snapshots(), recovered.store(), log, core, loop.state(),
                sender, recovered.latest(), budget);
        loop.attach(snapshots, clusterId);
        this.space = new SpaceMonitor(config.name(), config.space(), SpaceMonitor.dataDir(dataDir.path()),
                () -> loop.submit(new LoopEvent.Wake()));
        loop.attach(space);
        loop.onMembership(peers::update);
        try {
            this.portChecker = new PortChecker(name, sockets.get(PortRole.APPEND_ENTRY).getLocalAddress(), peers,
                    counters, peer -> loop.submit(new LoopEvent.PortClosed(peer)));
        } catch (java.io.IOException e) {
            throw new StoreException("cannot open the port checker's selector: " + e.getMessage(), e);
        }
        loop.attach(portChecker::check);
        this.persister = new Persister(log, loop, loop.metrics());
        this.metricsProbe = new MetricsProbe(loop, counters, config.auth());
        this.keyringReload = new KeyringReload(name, config.auth(), config.clusterKeyFile(), config.operatorsFile(),
                counters);
        entryLog.attach(persister);
        this.loopThread = new Thread(this::runLoopThenShutDown, "raftd-loop");
        this.senderThread = new Thread(sender, "raftd-sender");
        this.portCheckerThread = new Thread(portChecker, "raftd-portcheck");
        portCheckerThread.setDaemon(true);
        this.persisterThread = new Thread(persister, "raftd-persister");
        this.reader = new ReadWorker(sender, counters);
        this.readerThread = new Thread(reader, "raftd-reader");
        if (!Boolean.getBoolean(READS_ON_LOOP)) {
            loop.attach(reader);
        }
        for (PortRole role : PortRole.values()) {
            Thread t = new Thread(new Listener(role, sockets.get(role), config.name(), peers, loop, counters,
                    config.auth(), clusterId),
                    "raftd-listen-" + role.port(config.cluster().ports()));
            t.setDaemon(true);
            listeners.add(t);
        }
        // the recovery summary begins "log DIR: ..."
        LOG.info("{} starting: term {}, voted for {}, data dir {}, random seed {}; {}", name, persisted.term(),
                persisted.votedFor() == null ? "nobody" : persisted.votedFor(), dataDir.path(), config.randomSeed(),
                log.recovery().summary());
        new EventLogger(name).log(new CoreEvent.RoleChanged(core.term(), core.role()));
        LOG.info("{} cluster id: {}", name, clusterId == null
                ? "none (a data dir of an older release: every peer message is taken)" : clusterId);
        if (config.auth().enabled()) {
            LOG.info("{} keyring: {}", name, KeyringReload.describe(config.auth().keyring()));
        }
        LOG.info("{} members: {} (from {})", name, core.config(), core.configIndex() >= 0
                ? "the log, index " + core.configIndex() : recovered.latest() != null ? "the snapshot" : "--cluster");
    }

    /**
     * The configuration in force before the first entry of the recovered log: the one the
     * snapshot holds, else the --cluster list (this node a learner if it is joining).
     */
    private static ClusterConfig startingConfig(NodeConfig config, StartupState recovered) throws StoreException {
        String kept = recovered.latest() == null ? "" : recovered.latest().configuration();
        if (kept.isEmpty()) {
            return config.initialConfig();
        }
        try {
            return ClusterConfig.parse(kept);
        } catch (IllegalArgumentException e) {
            throw new StoreException("the snapshot " + recovered.latest().describe() + " holds no valid configuration: "
                    + e.getMessage(), e);
        }
    }

    /** Opens the data dir, binds the four ports and starts every thread. */
    public static RaftNode start(NodeConfig config) throws StoreException, IOException {
        long warmupStart = System.nanoTime();
        Warmup.run();
        LOG.debug("warm-up took {} ms", (System.nanoTime() - warmupStart) / 1_000_000);
        boolean fresh = ClusterId.isFresh(config.dataDir());
        DataDir dataDir = DataDir.open(config.dataDir());
        Sockets sockets = null;
        SegmentedLog log = null;
        MetricsServer metrics = null;
        try {
            if (java.nio.file.Files.exists(dataDir.path().resolve(ClusterId.RESTORING))) {
                throw new StoreException("the data dir " + dataDir.path() + " was being filled by raftd restore (or "
                        + "recover), which did not finish: delete it and run that again");
            }
            String clusterId = clusterId(config, dataDir, fresh);
            HardStateStore store = HardStateStore.open(dataDir, config.name());
            log = SegmentedLog.open(dataDir.path().resolve("log"), config.log());
            if (log.recovery().truncated()) {
                LOG.warn("{}: {}", config.name(), log.recovery().summary());
            }
            StartupState recovered = StartupState.recover(config.name(), dataDir.path().resolve("snapshots"), log);
            sockets = Sockets.bind(config.bindHost(), config.cluster().ports());
            RaftNode node = new RaftNode(config, dataDir, store, log, recovered, sockets, clusterId);
            if (config.metrics() != null) {
                metrics = MetricsServer.start(config.metrics(), new Exposition(config.name(), node.metricsProbe,
                        node.loop.metrics(), Exposition.LOOP_WAIT));
                node.metricsServer = metrics;
                LOG.info("{} serves metrics at http://{}/metrics", config.name(), config.metrics());
            }
            node.space.start();
            node.persisterThread.start();
            node.resolver.start(node.peers);
            node.senderThread.start();
            node.portCheckerThread.start();
            node.readerThread.start();
            node.listeners.forEach(Thread::start);
            node.loopThread.start();
            LOG.info("{} listening on {} (AppendEntry {}, RequestVote {}, VoteAck {}, Controller {})",
                    config.name(), config.bindHost(), config.cluster().ports().appendEntry(),
                    config.cluster().ports().requestVote(), config.cluster().ports().voteAck(),
                    config.cluster().ports().controller());
            if (!config.auth().enabled()) {
                LOG.warn("{}: no cluster key: anyone who can reach ports {}, {}, {} and {} of {} can shut this node "
                        + "down or forge its peers' messages (see docs/security.md; --cluster-key-file)",
                        config.name(), config.cluster().ports().appendEntry(), config.cluster().ports().requestVote(),
                        config.cluster().ports().voteAck(), config.cluster().ports().controller(), config.bindHost());
            }
            if (sockets.get(PortRole.APPEND_ENTRY).getLocalAddress().isAnyLocalAddress()) {
                LOG.warn("{}: bound to every interface ({}): the kernel picks the source address of each datagram, "
                        + "and peers drop those that do not come from an address {} resolves to (see docs/design.md, "
                        + "\"The threads of a node\"; bind that address instead)", config.name(), config.bindHost(),
                        config.self().host());
            }
            int granted = sockets.grantedReceiveBuffer();
            if (granted < Sockets.KERNEL_RECEIVE_BUFFER) {
                LOG.warn("{}: the kernel granted {} KiB of the {} KiB socket receive buffer asked for; a burst of "
                        + "datagrams may displace heartbeats (raise it with: sysctl -w net.core.rmem_max={})",
                        config.name(), granted / 1024, Sockets.KERNEL_RECEIVE_BUFFER / 1024, Sockets.KERNEL_RECEIVE_BUFFER);
            }
            return node;
        } catch (StoreException | IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            if (sockets != null) {
                sockets.close();
            }
            if (log != null) {
                log.close();
            }
            dataDir.close();
            throw e;
        }
    }

    /**
     * The data dir's cluster id; a new data dir of a node that is not joining gets the id of a
     * new cluster of its --cluster names (the same on every member), written before anything
     * else. A joining node's new data dir, and one of an older release, have none.
     */
    private static String clusterId(NodeConfig config, DataDir dataDir, boolean fresh) throws StoreException {
        String id = ClusterId.read(dataDir.path());
        if (id == null && fresh && !config.join()) {
            id = ClusterId.ofNewCluster(config.cluster().names());
            ClusterId.write(dataDir.path(), id);
        }
        return id;
    }

    /**
     * Reads the key files again and installs their keyring (SIGHUP); see {@link KeyringReload}.
     * Any thread; never throws: a bad file leaves the keyring in force.
     */
    public boolean reloadKeyring() {
        return keyringReload.reload();
    }

    /** Asks the node to stop; returns at once. */
    public void stop(String reason) {
        loop.requestStop(reason);
    }

    /** Waits until the node has stopped; returns 0 for a requested stop, 1 after a fatal error. */
    public int await() throws InterruptedException {
        synchronized (stopLock) {
            while (exitStatus == null) {
                stopLock.wait();
            }
            return exitStatus;
        }
    }

    private void runLoopThenShutDown() {
        loop.run();
        space.close();
        loop.closeBackups();
        snapshots.close();
        if (metricsServer != null) {
            metricsServer.close(); // before anything else stops: a scrape now gets a refusal, not a 1 s wait
        }
        reader.stop(); // before the sender: it sends through it
        joinQuietly(readerThread);
        sender.stop();
        joinQuietly(senderThread);
        portChecker.close();
        joinQuietly(portCheckerThread);
        resolver.close();
        sockets.close();
        listeners.forEach(RaftNode::joinQuietly);
        persister.stop();
        joinQuietly(persisterThread);
        try {
            log.close();
        } catch (StoreException e) {
            LOG.warn("{}: could not close the log: {}", name, e.getMessage());
        }
        try {
            dataDir.close();
        } catch (IOException e) {
            LOG.warn("{}: could not release the data dir lock: {}", name, e.getMessage());
        }
        LOG.info("{} stopped ({}): event loop, sender, persister and {} listeners ended, sockets closed",
                name, loop.stopReason(), listeners.size());
        synchronized (stopLock) {
            exitStatus = loop.exitStatus();
            stopLock.notifyAll();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("thread {} did not end within 5 s", t.getName());
        }
    }
}
