package dev.raftledger.raftd.driver.start;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.snapshot.SnapshotSettings;
import dev.raftledger.raftd.driver.space.SpaceQuota;
import dev.raftledger.raftd.metrics.MetricsAddress;
import dev.raftledger.raftd.store.log.LogOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a node needs to start.
 *
 * @param bindHost   the address the four listeners bind to (by default this node's host)
 * @param randomSeed seeds the core's election timeouts, so a run can be replayed
 * @param auth       the cluster key's sealing and checking, or none
 * @param metrics    where the Prometheus metrics endpoint listens, or null for none
 * @param snapshots  when to snapshot and how much log to keep behind a snapshot
 * @param join       this node joins a running cluster ({@code raftd --join}): it starts as a
 *                   learner, never campaigning, until a configuration entry makes it a voter
 * @param maxDatagramBytes the most bytes of any datagram the node sends, sealed ({@code
 *                   --max-datagram-bytes}, {@value #MIN_DATAGRAM_BYTES}-{@value #MAX_DATAGRAM_BYTES};
 *                   every node of a cluster must use the same)
 * @param sessionTtlMs how long a client's session lives without writes ({@code --session-ttl}, ms;
 *                   at least {@value #MIN_SESSION_TTL_MS}); stamped with the wall clock into the
 *                   entries this node proposes as leader, so the ledger expires sessions by the
 *                   TTL in its log, not by each node's setting; 0 stamps nothing (sessions never
 *                   expire while this node leads; entries readable by older releases)
 * @param space      the data dir's quota and the free space its file system must keep, past
 *                   which the node raises its disk alarm ({@code --quota-bytes}, {@code --min-free-bytes})
 * @param log        how the log is cut into segment files ({@code --log-segment-bytes}): compaction
 *                   deletes whole segments, so a small disk wants small segments
 * @param clusterKeyFile the keys file {@code auth}'s keyring was read from ({@code --cluster-key-file}),
 *                   read again on SIGHUP; null without a key (or when {@code auth} was made in memory:
 *                   then there is nothing to reload)
 * @param operatorsFile the operators file read with it ({@code --operators-file}), or null for none
 */
public record NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost,
                         Timings timings, long randomSeed, ClusterAuth auth,
                         MetricsAddress metrics, SnapshotSettings snapshots, boolean join, int maxDatagramBytes,
                         long sessionTtlMs, SpaceQuota space, LogOptions log, Path clusterKeyFile,
                         Path operatorsFile) {

    /** The shortest session TTL but 0: well above the seconds a client retries a write for. */
    public static final long MIN_SESSION_TTL_MS = 60_000;

    /** The default datagram size: fits a 1500-byte Ethernet link unfragmented, IPv4 or IPv6, with room for a tunnel header. */
    public static final int DEFAULT_DATAGRAM_BYTES = DatagramBudget.DEFAULT_BYTES;
    public static final int MIN_DATAGRAM_BYTES = DatagramBudget.MIN_BYTES;
    public static final int MAX_DATAGRAM_BYTES = DatagramBudget.MAX_BYTES;

    public NodeConfig {
        if (!cluster.contains(name)) {
            throw new IllegalArgumentException("node " + name + " is not in the cluster " + cluster);
        }
        if (join && cluster.size() < 2) {
            throw new IllegalArgumentException("a node joining a cluster needs --cluster to name its members too, "
                    + "not only " + name);
        }
        if (maxDatagramBytes < MIN_DATAGRAM_BYTES || maxDatagramBytes > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("--max-datagram-bytes must be " + MIN_DATAGRAM_BYTES + "-"
                    + MAX_DATAGRAM_BYTES + ", not " + maxDatagramBytes);
        }
        if (sessionTtlMs != 0 && (sessionTtlMs < MIN_SESSION_TTL_MS
                || sessionTtlMs > dev.raftledger.common.ledger.Validation.MAX_COUNTER)) {
            throw new IllegalArgumentException("--session-ttl must be 0 (sessions never expire) or at least 1m, not "
                    + sessionTtlMs + " ms");
        }
        if (operatorsFile != null && clusterKeyFile == null) {
            throw new IllegalArgumentException("an operators file needs a cluster key file: operators' credentials "
                    + "are accepted only by a cluster whose datagrams are sealed");
        }
        if (clusterKeyFile != null && !auth.enabled()) {
            throw new IllegalArgumentException("a cluster key file is named but the node has no key");
        }
    }

    /** Without key files to reload (the key, if any, was made in memory). */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics, SnapshotSettings snapshots, boolean join,
                      int maxDatagramBytes, long sessionTtlMs, SpaceQuota space, LogOptions log) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics, snapshots, join, maxDatagramBytes,
                sessionTtlMs, space, log, null, null);
    }

    /** With the default session TTL, disk quota and log segments. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics, SnapshotSettings snapshots, boolean join,
                      int maxDatagramBytes) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics, snapshots, join, maxDatagramBytes,
                dev.raftledger.common.ledger.Ledger.DEFAULT_SESSION_TTL_MS);
    }

    /** With the default disk quota and log segments. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics, SnapshotSettings snapshots, boolean join,
                      int maxDatagramBytes, long sessionTtlMs) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics, snapshots, join, maxDatagramBytes,
                sessionTtlMs, SpaceQuota.DEFAULT, LogOptions.defaults());
    }

    /** With the default datagram size. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics, SnapshotSettings snapshots,
                      boolean join) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics, snapshots, join,
                DEFAULT_DATAGRAM_BYTES);
    }

    /** A node of the cluster as first set up (not joining it later). */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics, SnapshotSettings snapshots) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics, snapshots, false);
    }

    /**
     * The configuration the node starts from until its log (or snapshot) holds one: every member
     * of {@code --cluster} a voter, except this node if it is joining (a learner).
     */
    public ClusterConfig initialConfig() {
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (NodeAddress n : cluster.nodes()) {
            boolean learner = join && n.name().equals(name);
            members.add(new ClusterConfig.Member(n.name(), n.host(),
                    learner ? ClusterConfig.Suffrage.LEARNER : ClusterConfig.Suffrage.VOTER));
        }
        return ClusterConfig.of(members);
    }

    /** With the default snapshot settings. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, MetricsAddress metrics) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, metrics,
                SnapshotSettings.DEFAULT);
    }

    /** Without a metrics endpoint. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, null);
    }

    /** Without a cluster key. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, ClusterAuth.none());
    }

    public NodeAddress self() {
        return cluster.node(name).orElseThrow();
    }
}
