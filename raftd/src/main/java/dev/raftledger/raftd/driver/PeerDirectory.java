package dev.raftledger.raftd.driver;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves peers' addresses once and keeps them. A host that does not resolve yet (a compose
 * service whose container is still starting) is tried again on the next send. Used only by the
 * sender thread.
 */
final class PeerDirectory {

    private final ClusterSpec cluster;
    private final Map<String, Map<PortRole, InetSocketAddress>> resolved = new HashMap<>();

    PeerDirectory(ClusterSpec cluster) {
        this.cluster = cluster;
    }

    /** The peer's address for that port, or null if its host does not resolve now. */
    InetSocketAddress address(String peer, PortRole role) {
        Map<PortRole, InetSocketAddress> byRole = resolved.computeIfAbsent(peer, p -> new HashMap<>());
        InetSocketAddress a = byRole.get(role);
        if (a == null) {
            NodeAddress node = cluster.node(peer).orElse(null);
            if (node == null) {
                return null;
            }
            a = new InetSocketAddress(node.host(), role.port(cluster.ports()));
            if (a.isUnresolved()) {
                return null;
            }
            byRole.put(role, a);
        }
        return a;
    }
}
