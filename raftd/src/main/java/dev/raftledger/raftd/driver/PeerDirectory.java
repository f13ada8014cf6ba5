package dev.raftledger.raftd.driver;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.wire.ClusterConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who the peers are and where they listen. The names and hosts of {@code --cluster}, overlaid by
 * the configuration in force (membership changes: a node added later is reached at the host its
 * configuration entry gives, and is known to the listeners from then on). A leader this node has
 * never heard of (added and elected while this node was away) is reached, until its
 * configuration entry arrives, at the address its datagrams come from. Addresses are resolved
 * once per host and kept; a host that does not resolve yet (a compose service whose container
 * is still starting) is tried again on the next send.
 *
 * <p>Thread-safe: the event loop updates it ({@link #update}), the listeners ask it whom they
 * know and tell it of unknown leaders, the sender resolves through it.
 */
final class PeerDirectory {

    private final ClusterSpec cluster;
    /** Name to host: --cluster overlaid by the configuration in force. Replaced whole, never changed. */
    private volatile Map<String, String> hosts;
    /** Leaders heard from that no configuration names yet: the host their datagrams came from. */
    private final Map<String, String> learned = new ConcurrentHashMap<>();
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

    /** A host's addresses, one per port. */
    private record Resolved(String host, Map<PortRole, InetSocketAddress> byRole) {}

    PeerDirectory(ClusterSpec cluster) {
        this.cluster = cluster;
        Map<String, String> h = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> h.put(n.name(), n.host()));
        this.hosts = Map.copyOf(h);
    }

    /**
     * The configuration in force changed: its members are known from now on, at the hosts it
     * gives (a member whose host it does not give keeps its --cluster host).
     */
    void update(ClusterConfig config) {
        Map<String, String> h = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> h.put(n.name(), n.host()));
        for (ClusterConfig.Member m : config.members()) {
            if (m.host() != null) { // raftd's entries always give one (MEMBER_ADD requires it)
                h.put(m.name(), m.host());
                learned.remove(m.name());
            }
        }
        hosts = Map.copyOf(h);
    }

    /** Whether {@code name} is a member of --cluster or of the configuration in force. */
    boolean knows(String name) {
        return hosts.containsKey(name);
    }

    /**
     * A leader that no configuration here names yet spoke from {@code source}: answer it there
     * until its configuration entry arrives. Ignored for names already known (their host is the
     * configured one, whatever address a datagram claims to come from).
     */
    void learnLeader(String name, InetAddress source) {
        if (!knows(name)) {
            learned.put(name, source.getHostAddress());
        }
    }

    /** The host {@code peer} is reached at, or null if it is unknown. */
    String host(String peer) {
        String h = hosts.get(peer);
        return h != null ? h : learned.get(peer);
    }

    /** The peer's address for that port, or null if it is unknown or its host does not resolve now. */
    InetSocketAddress address(String peer, PortRole role) {
        String host = host(peer);
        if (host == null) {
            return null;
        }
        Resolved r = resolved.get(peer);
        if (r == null || !r.host().equals(host)) {
            r = new Resolved(host, new ConcurrentHashMap<>());
            resolved.put(peer, r);
        }
        InetSocketAddress a = r.byRole().get(role);
        if (a == null) {
            a = new InetSocketAddress(host, role.port(cluster.ports()));
            if (a.isUnresolved()) {
                return null;
            }
            r.byRole().put(role, a);
        }
        return a;
    }
}
