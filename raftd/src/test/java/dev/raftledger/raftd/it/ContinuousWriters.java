package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Clients writing expenses without a break while a test changes the cluster under them (an
 * upgrade, a key rotation): each with its own client id and the next seq, retried until a leader
 * answers (exactly once, {@link LedgerClient}); every acknowledged id is kept, and a write that
 * is refused, or an id given twice, is a failure. {@link #pause} waits for the writes in flight
 * to be answered and holds the next ones back. One thread per client, daemons.
 */
final class ContinuousWriters implements AutoCloseable {

    final Map<String, String> ids = new ConcurrentHashMap<>();
    final AtomicLong acks = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** The longest a write waited for its result, retries included (ms). */
    final AtomicLong slowestMs = new AtomicLong();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final String category;
    private final long paceNanos;

    /**
     * @param clients  each writer's name (its payer, and its name in failures) and its client
     * @param category the category of every expense written
     * @param pace     how long each writer waits between two writes (zero: not at all)
     */
    ContinuousWriters(Map<String, LedgerClient> clients, String category, Duration pace) {
        this.category = category;
        this.paceNanos = pace.toNanos();
        clients.forEach((name, client) -> {
            Thread t = new Thread(() -> write(client, name), "writer-" + name);
            t.setDaemon(true);
            threads.add(t);
        });
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void write(LedgerClient c, String name) {
        int n = 0;
        while (running.get()) {
            gate.readLock().lock();
            try {
                if (!running.get()) {
                    return;
                }
                n++;
                long sent = System.nanoTime();
                JsonNode r = c.add((n % 97 + 1) + ".25", "EUR", category, name);
                if (!r.path("ok").asBoolean(false)) {
                    failures.add(name + " seq " + n + ": " + r);
                    return;
                }
                String id = r.path("id").asText();
                if (ids.putIfAbsent(id, name + "/" + n) != null) {
                    failures.add(name + " seq " + n + " got the id " + id + " of " + ids.get(id));
                }
                acks.incrementAndGet();
                slowestMs.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
                return;
            } finally {
                gate.readLock().unlock();
            }
            if (paceNanos > 0) {
                LockSupport.parkNanos(paceNanos); // pacing only
            }
        }
    }

    /** Waits until {@code n} writes are acknowledged: fails at once if a write failed, or after 30 s. */
    void awaitAcks(long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acks.get() < n) {
            assertTrue(failures.isEmpty(), "a write failed: " + failures);
            assertTrue(System.nanoTime() < deadline, "the writers got " + acks.get()
                    + " acknowledgements in 30 s, waiting for " + n + ": " + failures);
            LocalCluster.pause();
        }
    }

    void pause() {
        gate.writeLock().lock();
    }

    void resume() {
        if (gate.writeLock().isHeldByCurrentThread()) {
            gate.writeLock().unlock();
        }
    }

    /** Ends the writes: each writer finishes the one in flight (it is answered), then stops. */
    void stop() throws InterruptedException {
        running.set(false);
        resume();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(40));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
