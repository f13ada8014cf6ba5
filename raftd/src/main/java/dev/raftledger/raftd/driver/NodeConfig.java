package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.raftd.core.Timings;
import java.nio.file.Path;

/**
 * Everything a node needs to start.
 *
 * @param bindHost   the address the four listeners bind to (by default this node's host)
 * @param randomSeed seeds the core's election timeouts, so a run can be replayed
 * @param auth       the cluster key's sealing and checking, or none
 * @param faultInjection whether the controller's FAULTS request may cut links (chaos tests only)
 */
public record NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost,
                         Timings timings, long randomSeed, ClusterAuth auth, boolean faultInjection) {

    public NodeConfig {
        if (!cluster.contains(name)) {
            throw new IllegalArgumentException("node " + name + " is not in the cluster " + cluster);
        }
    }

    /** Without a cluster key. */
    public NodeConfig(String name, ClusterSpec cluster, Path dataDir, String bindHost, Timings timings, long randomSeed) {
        this(name, cluster, dataDir, bindHost, timings, randomSeed, ClusterAuth.none(), false);
    }

    public NodeAddress self() {
        return cluster.node(name).orElseThrow();
    }
}
