package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.metrics.MetricsAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a node needs to start.
 *
 * @param bindHost   the address the four listeners bind to (by default this node's host)
 * @param randomSeed seeds the core's election timeouts, so a run can be replayed
 * @param auth       the cluster key's sealing and checking, or none
 * @param faultInjection whether the controller's FAULTS request may cut links (chaos tests only)
 * @param metrics    where the Prometheus metrics endpoint listens, or null for none
 * @param snapshots  when to snapshot and how much log to keep behind a snapshot
 * @param join       this node joins a running cluster ({@code raftd --join}): it starts as a
 *                   learner, never campaigning, until a configuration entry makes it a voter
 */
public record NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost,
                         Timings timings, long randomSeed, ClusterAuth auth, boolean faultInjection,
                         MetricsAddress metrics, SnapshotSettings snapshots, boolean join) {

    public NodeConfig {
        if (!cluster.contains(name)) {
            throw new IllegalArgumentException("node " + name + " is not in the cluster " + cluster);
        }
        if (join && cluster.size() < 2) {
            throw new IllegalArgumentException("a node joining a cluster needs --cluster to name its members too, "
                    + "not only " + name);
        }
    }

    /** A node of the cluster as first set up (not joining it later). */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, boolean faultInjection, MetricsAddress metrics, SnapshotSettings snapshots) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, faultInjection, metrics, snapshots, false);
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
                      ClusterAuth auth, boolean faultInjection, MetricsAddress metrics) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, faultInjection, metrics,
                SnapshotSettings.DEFAULT);
    }

    /** Without a metrics endpoint. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed,
                      ClusterAuth auth, boolean faultInjection) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, auth, faultInjection, null);
    }

    /** Without a cluster key. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, ClusterAuth.none(), false);
    }

    public NodeAddress self() {
        return cluster.node(name).orElseThrow();
    }
}
