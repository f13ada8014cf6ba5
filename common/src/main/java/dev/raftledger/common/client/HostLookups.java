package dev.raftledger.common.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The name lookups of a {@link ControllerClient}: each node's host looked up on a thread of its
 * own, all at once, and waited for with a bound, so that one name that takes long to fail (a
 * stopped container's name takes 10-20 s under Docker's DNS) costs a request at most that bound
 * and the other nodes answer meanwhile. A literal address is parsed, never looked up.
 *
 * <p>Threads: {@link #lookUp} never waits; each lookup runs on a new daemon thread
 * ({@code host-lookup}), at most one in flight per host name in this object (a caller asking for
 * a name already being looked up joins that lookup), and a lookup that hangs holds only its own
 * thread, which does not keep the JVM alive. {@link Pending#await} waits, at most until the
 * lookup's start plus the bound. Answers are not kept here once a lookup ends: the next one asks
 * the JDK again (which caches them by its own rules).
 *
 * <p>Errors: a failed lookup, or one still under way at its bound, is a {@link Pending#problem}
 * ("cannot resolve host ..."), never an exception to the caller.
 */
public final class HostLookups {

    /** A blocking name lookup. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress address(String host) throws UnknownHostException;
    }

    /** The process's lookups, through the JDK's resolver. */
    public static final HostLookups SYSTEM = new HostLookups(InetAddress::getByName);

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Lookup lookup;
    private final ConcurrentMap<String, Pending> inFlight = new ConcurrentHashMap<>();

    /** Lookups through {@code lookup} (tests hand in slow or hanging ones). */
    public HostLookups(Lookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The lookup of {@code host}: started now on its own thread, joined if one is under way, or
     * already done for a literal address. Never waits.
     */
    public Pending lookUp(String host) {
        if (isLiteral(host)) {
            CompletableFuture<InetAddress> parsed = new CompletableFuture<>();
            try {
                parsed.complete(InetAddress.getByName(host)); // a literal: parsed, not looked up
                return new Pending(host, System.nanoTime(), parsed);
            } catch (UnknownHostException e) {
                // not a valid literal after all (999.1.1.1): looked up as a name, and fails there
            }
        }
        Pending fresh = new Pending(host, System.nanoTime(), new CompletableFuture<>());
        Pending joined = inFlight.putIfAbsent(host, fresh);
        if (joined != null) {
            return joined;
        }
        Thread t = new Thread(() -> {
            try {
                fresh.answer.complete(lookup.address(host));
            } catch (UnknownHostException | RuntimeException e) {
                fresh.answer.completeExceptionally(e);
            } finally {
                inFlight.remove(host, fresh);
            }
        }, "host-lookup");
        t.setDaemon(true);
        t.start();
        return fresh;
    }

    /** A literal IPv4 or IPv6 address: the JDK parses it without asking a resolver. */
    static boolean isLiteral(String host) {
        return IPV4_LITERAL.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /** One host's lookup: under way, or its answer or failure. */
    public static final class Pending {
        private final String host;
        private final long startedNanos;
        private final CompletableFuture<InetAddress> answer;

        private Pending(String host, long startedNanos, CompletableFuture<InetAddress> answer) {
            this.host = host;
            this.startedNanos = startedNanos;
            this.answer = answer;
        }

        /**
         * Waits until the lookup ends or {@code bound} has passed since it started, whichever
         * comes first (not at all once the bound has passed). The calling thread's interrupt
         * ends the wait early, with the interrupt status kept.
         *
         * @return the address, or null if there is none (yet): see {@link #problem}
         */
        public InetAddress await(Duration bound) {
            long left = startedNanos + bound.toNanos() - System.nanoTime();
            try {
                return left > 0 ? answer.get(left, TimeUnit.NANOSECONDS) : answer.getNow(null);
            } catch (TimeoutException | ExecutionException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /**
         * Why there is no address, after {@link #await} with the same bound answered null:
         * "cannot resolve host H" (with the resolver's reason where it gave one), or "cannot
         * resolve host H: no answer within N ms" while the lookup is still under way.
         */
        public String problem(Duration bound) {
            if (!answer.isDone()) {
                return "cannot resolve host " + host + ": no answer within " + bound.toMillis() + " ms";
            }
            try {
                answer.getNow(null);
                return null;
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = cause.getMessage();
                if (why != null && why.startsWith(host + ": ")) {
                    why = why.substring(host.length() + 2); // the JDK's "H: Name or service not known"
                }
                return "cannot resolve host " + host
                        + (why == null || why.isBlank() || why.equals(host) ? "" : ": " + why);
            }
        }
    }
}
