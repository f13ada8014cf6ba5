package dev.raftledger.raftd.driver.net;

import java.security.Security;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver threads: the name lookups of the peers' hosts, so that no lookup ever runs on the
 * sender, a listener or the event loop. One tick thread ({@code raftd-resolver-tick}) asks the
 * {@link PeerDirectory} every {@link #TICK_MS} ms which lookups are due; the lookups themselves
 * run on a pool of daemon threads ({@code raftd-resolver-N}) that grows as needed, at most one
 * per peer since the directory keeps at most one lookup in flight per peer. A lookup that hangs
 * (a stopped container's name can take 10-20 s) holds only its own thread: lookups of the other
 * peers, and every send, go on.
 *
 * <p>Errors: a lookup's failure is the directory's to handle (it keeps the last answer). A
 * lookup still hanging when the node stops is abandoned: its thread is a daemon and cannot be
 * interrupted out of the resolver.
 */
public final class PeerResolver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerResolver.class);

    /** How often the due lookups are started: a quarter of the silent peer's refresh period. */
    static final long TICK_MS = 250;

    private final ExecutorService lookups;
    private final ScheduledExecutorService tick;

    public PeerResolver() {
        this.lookups = Executors.newCachedThreadPool(daemons("raftd-resolver-"));
        this.tick = Executors.newSingleThreadScheduledExecutor(daemons("raftd-resolver-tick"));
    }

    /** Where the directory runs its lookups. */
    public Executor lookups() {
        return lookups;
    }

    /**
     * Starts the first lookups of every peer's name now (without waiting for them), so that they
     * are under way before the listeners hear anyone, and the tick for {@code peers}.
     */
    public void start(PeerDirectory peers) {
        peers.refresh();
        tick.scheduleWithFixedDelay(() -> {
            try {
                peers.refresh();
            } catch (RuntimeException e) {
                // a bug must not end the refreshes: peers that move would be lost for good
                LOG.warn("peer refresh failed: {}", e.toString());
            }
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops the tick and the idle lookup threads; a hanging lookup is left to end on its own. */
    @Override
    public void close() {
        tick.shutdownNow();
        lookups.shutdownNow();
    }

    /**
     * Turns the JDK's own lookup cache off (positive and negative), so that each lookup the
     * directory starts really asks the resolver: by default the JDK keeps an answer 30 s (a
     * failure 10 s), and a peer that moved would be sent to at its old address that long after
     * a lookup said otherwise. The directory bounds how often each name is looked up instead.
     * Takes effect only before the process's first lookup: raftd's {@code main} calls it first.
     */
    public static void resolveAfreshEveryTime() {
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
