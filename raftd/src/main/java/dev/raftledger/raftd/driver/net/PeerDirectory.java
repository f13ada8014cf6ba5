package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.wire.ClusterConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the peers are and where they are now. The names and hosts of {@code --cluster}, overlaid
 * by the configuration in force (membership changes: a node added later is reached at the host
 * its configuration entry gives, and is known to the listeners from then on). A leader this node
 * has never heard of (added and elected while this node was away, keyed clusters only) is
 * reached, until its configuration entry arrives, at the address its datagrams come from.
 *
 * <p>Addresses are live. A host given as a literal address is that address. A host name is
 * looked up off the caller's thread (on the {@code lookups} executor, at most one lookup in
 * flight per peer) when the peer is first needed, and again:
 * <ul>
 *   <li>after a failure to send to it, or a datagram in its name from an address it does not
 *       have (at most every {@link #TRIGGERED_GAP_MS} ms);
 *   <li>every {@link #SILENT_REFRESH_MS} ms while it is silent (nothing accepted from it for
 *       {@link #SILENT_AFTER_MS} ms) or has no address yet;
 *   <li>every {@link #HEALTHY_REFRESH_MS} ms otherwise.
 * </ul>
 * The timed lookups happen when {@link #refresh} is called (by {@link PeerResolver}'s tick).
 * A new answer is used at once. A failed lookup keeps the last answer: a resolver outage must
 * not cut a cluster whose members have not moved. A datagram for a peer that has no address yet
 * is not held back for a lookup: {@link #address} answers null and the sender drops it.
 *
 * <p>Thread-safe: the event loop updates it ({@link #update}), the listeners ask it whom they
 * know and whether a datagram's source is its sender's ({@link #admits}), the sender asks it for
 * addresses and reports failures, the resolver's threads refresh it. No method but the lookups
 * themselves (on the executor) ever waits on a resolver.
 */
public final class PeerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    /** A peer is silent once nothing has been accepted from it for this long: 10 heartbeats. */
    static final long SILENT_AFTER_MS = 1_000;
    /** Lookups of a silent peer's (or an unresolved peer's) name, at most this far apart. */
    static final long SILENT_REFRESH_MS = 2_000;
    /** Lookups of a peer that is heard, at most this far apart. */
    static final long HEALTHY_REFRESH_MS = 10_000;
    /** Lookups asked for by a failure or an unexpected source, at least this far apart per peer. */
    static final long TRIGGERED_GAP_MS = 500;

    private static final long NEVER = Long.MIN_VALUE / 4;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A blocking name lookup: every address the host name has now. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    /** The JDK's resolver (its cache is off in raftd: {@link PeerResolver#resolveAfreshEveryTime}). */
    public static final Lookup SYSTEM = InetAddress::getAllByName;

    private final ClusterSpec cluster;
    /** This node's name, never looked up (null: none). */
    private final String self;
    private final Lookup lookup;
    private final Executor lookups;
    private final LongSupplier clockMs;
    private final RateLimitedLog failedLookups = new RateLimitedLog(LOG);
    /** Name to host: --cluster overlaid by the configuration in force. Replaced whole, never changed. */
    private volatile Map<String, String> hosts;
    /** Leaders heard from that no configuration names yet: the host their datagrams came from. */
    private final Map<String, String> learned = new ConcurrentHashMap<>();
    private final Map<String, Place> places = new ConcurrentHashMap<>();

    /** Where one peer is: its host, the last answer for it, and when it was last heard and looked up. */
    private static final class Place {
        final String name;
        final String host;
        /** A literal address: never looked up. */
        final boolean literal;
        /** The last answer, in the resolver's order (the first is sent to); empty until one comes. */
        volatile List<InetAddress> addresses;
        volatile long heardAtMs = NEVER;
        volatile long lookupStartedAtMs = NEVER;
        final AtomicBoolean lookingUp = new AtomicBoolean();

        Place(String name, String host, List<InetAddress> addresses) {
            this.name = name;
            this.host = host;
            this.addresses = addresses;
            this.literal = !addresses.isEmpty();
        }
    }

    /** With the JDK's resolver and lookups on their own threads: for tests that need no control. */
    PeerDirectory(ClusterSpec cluster) {
        this(cluster, null, SYSTEM, r -> {
            Thread t = new Thread(r, "raftd-resolver");
            t.setDaemon(true);
            t.start();
        }, () -> System.nanoTime() / 1_000_000);
    }

    /**
     * @param self    this node's name: its own host is not looked up
     * @param lookup  the blocking lookup, run only on {@code lookups}
     * @param lookups runs lookups; must not run them on the calling thread in production
     * @param clockMs a monotonic clock in milliseconds
     */
    public PeerDirectory(ClusterSpec cluster, String self, Lookup lookup, Executor lookups, LongSupplier clockMs) {
        this.cluster = cluster;
        this.self = self;
        this.lookup = lookup;
        this.lookups = lookups;
        this.clockMs = clockMs;
        Map<String, String> h = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> h.put(n.name(), n.host()));
        this.hosts = Map.copyOf(h);
    }

    /**
     * The configuration in force changed: its members are known from now on, at the hosts it
     * gives (a member whose host it does not give keeps its --cluster host).
     */
    public void update(ClusterConfig config) {
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
     * A leader or candidate that no configuration here names yet spoke from {@code source}:
     * answer it there until its configuration entry arrives. Ignored for names already known (their host is the
     * configured one, whatever address a datagram claims to come from).
     */
    void learnSpeaker(String name, InetAddress source) {
        if (!knows(name)) {
            learned.put(name, source.getHostAddress());
        }
    }

    /** The host {@code peer} is reached at, or null if it is unknown. */
    String host(String peer) {
        String h = hosts.get(peer);
        return h != null ? h : learned.get(peer);
    }

    /**
     * The peer's address for that port: the first of the last answer for its host. Null if the
     * peer is unknown or its host has not resolved yet (a lookup is then asked for); never waits.
     */
    InetSocketAddress address(String peer, PortRole role) {
        Place p = place(peer);
        if (p == null) {
            return null;
        }
        List<InetAddress> a = p.addresses;
        if (a.isEmpty()) {
            lookUpSoon(p);
            return null;
        }
        return new InetSocketAddress(a.get(0), role.port(cluster.ports()));
    }

    /** Every address the peer's host had at the last answer (empty if none yet, or unknown). */
    List<InetAddress> addresses(String peer) {
        Place p = place(peer);
        return p == null ? List.of() : p.addresses;
    }

    /**
     * Whether a datagram in {@code member}'s name from {@code source} may be its: the source is
     * one of the addresses its host has. Yes: the member counts as heard now. No: its name is
     * looked up again soon (it may have moved), and the datagram is to be dropped. Never waits.
     */
    boolean admits(String member, InetAddress source) {
        Place p = place(member);
        if (p == null) {
            return false;
        }
        if (p.addresses.contains(source)) {
            p.heardAtMs = clockMs.getAsLong();
            return true;
        }
        lookUpSoon(p);
        return false;
    }

    /** Sending to {@code peer} failed: its host may have moved; look it up again soon. */
    void sendFailed(String peer) {
        Place p = place(peer);
        if (p != null) {
            lookUpSoon(p);
        }
    }

    /**
     * Starts the lookups that are due (see the class comment): called every few hundred
     * milliseconds by the resolver's tick. Never waits.
     */
    void refresh() {
        long now = clockMs.getAsLong();
        Set<String> names = new LinkedHashSet<>(hosts.keySet());
        names.addAll(learned.keySet());
        names.remove(self);
        for (String name : names) {
            Place p = place(name);
            if (p == null || p.literal) {
                continue;
            }
            boolean silent = p.addresses.isEmpty() || now - p.heardAtMs >= SILENT_AFTER_MS;
            long since = now - p.lookupStartedAtMs;
            if (since >= (silent ? SILENT_REFRESH_MS : HEALTHY_REFRESH_MS)) {
                startLookup(p, now);
            }
        }
    }

    /** The peer's place, made (and its first lookup started) when first asked or when its host changed. */
    private Place place(String peer) {
        String host = host(peer);
        if (host == null) {
            return null;
        }
        Place p = places.get(peer);
        if (p != null && p.host.equals(host)) {
            return p;
        }
        Place fresh = newPlace(peer, host);
        Place won = places.merge(peer, fresh, (old, n) -> old.host.equals(n.host) ? old : n);
        if (won == fresh && fresh.addresses.isEmpty()) {
            startLookup(fresh, clockMs.getAsLong());
        }
        return won;
    }

    private static Place newPlace(String name, String host) {
        if (isLiteral(host)) {
            try {
                return new Place(name, host, List.of(InetAddress.getByName(host))); // parsed, not looked up
            } catch (UnknownHostException e) {
                // not a valid literal after all (999.1.1.1): looked up as a name, and fails there
            }
        }
        return new Place(name, host, List.of());
    }

    /** A literal IPv4 or IPv6 address: the JDK parses it without asking a resolver. */
    static boolean isLiteral(String host) {
        return IPV4_LITERAL.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private void lookUpSoon(Place p) {
        if (p.literal) {
            return;
        }
        long now = clockMs.getAsLong();
        if (now - p.lookupStartedAtMs >= TRIGGERED_GAP_MS) {
            startLookup(p, now);
        }
    }

    /** Hands a lookup of the place's host to the executor, unless one is in flight. */
    private void startLookup(Place p, long now) {
        if (!p.lookingUp.compareAndSet(false, true)) {
            return;
        }
        p.lookupStartedAtMs = now;
        try {
            lookups.execute(() -> lookUp(p));
        } catch (RejectedExecutionException e) {
            p.lookingUp.set(false); // stopping
        }
    }

    /** On a lookup thread: asks the resolver and keeps its answer (or, on failure, the last one). */
    private void lookUp(Place p) {
        try {
            List<InetAddress> answer = List.of(lookup.addresses(p.host));
            if (answer.isEmpty()) {
                throw new UnknownHostException(p.host + ": no addresses");
            }
            List<InetAddress> before = p.addresses;
            p.addresses = answer;
            if (!before.equals(answer)) {
                LOG.info("{} ({}) is at {}{}", p.name, p.host, show(answer),
                        before.isEmpty() ? "" : " (was " + show(before) + ")");
            }
        } catch (UnknownHostException | RuntimeException e) {
            failedLookups.warn("cannot resolve " + p.host + " (" + p.name + "): " + e.getMessage()
                    + (p.addresses.isEmpty() ? "; its datagrams are dropped until it resolves"
                    : "; still sending to " + show(p.addresses)));
        } finally {
            p.lookingUp.set(false);
        }
    }

    private static String show(List<InetAddress> addresses) {
        return Arrays.toString(addresses.stream().map(InetAddress::getHostAddress).toArray());
    }
}
