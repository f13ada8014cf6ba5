package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A persister thread syncing while the loop thread appends and truncates. */
@Timeout(30)
class ConcurrentSyncTest {

    @TempDir
    Path dir;

    private final ExecutorService persister = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPersister() throws InterruptedException {
        persister.shutdownNow();
        assertTrue(persister.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Holds the next segment fsync until released, so the test can act while a sync is in flight. */
    private static final class PausedFsync implements Runnable {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void run() {
            reached.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void recordsAppendedDuringASyncAreOnlyClaimedByALaterOne() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
            appendRange(log, 0, 9, 1);
            PausedFsync pause = new PausedFsync();
            log.fsync().beforeSegmentFsync(pause);
            Future<Long> sync = persister.submit(log::sync);
            assertTrue(pause.reached.await(10, TimeUnit.SECONDS));

            appendRange(log, 10, 19, 1); // appends do not wait for the fsync in flight
            assertEquals(19, log.lastIndex());
            assertEquals(-1, log.durableIndex(), "nothing is durable until the fsync returns");

            log.fsync().beforeSegmentFsync(() -> {});
            pause.release.countDown();
            assertEquals(9, sync.get(10, TimeUnit.SECONDS), "only what was appended before the sync began");
            assertEquals(9, log.durableIndex());
            assertEquals(19, log.sync());
            assertEquals(19, log.durableIndex());
        }
    }

    @Test
    void aTruncationWaitsForASyncInFlightAndLowersTheDurableIndex() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
            appendRange(log, 0, 19, 1);
            PausedFsync pause = new PausedFsync();
            log.fsync().beforeSegmentFsync(pause);
            Future<Long> sync = persister.submit(log::sync);
            assertTrue(pause.reached.await(10, TimeUnit.SECONDS));
            log.fsync().beforeSegmentFsync(() -> {});

            Thread loop = new Thread(() -> {
                try {
                    log.truncateSuffix(10);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            loop.start();
            // bounded wait for the truncation to block on the sync's lock (no sleeping)
            for (int spins = 0; loop.getState() != Thread.State.WAITING && spins < 50_000_000; spins++) {
                Thread.onSpinWait();
            }
            assertEquals(Thread.State.WAITING, loop.getState(), "the truncation waits for the fsync in flight");
            assertEquals(19, log.lastIndex(), "and has not cut anything yet");

            pause.release.countDown();
            loop.join(10_000);
            assertEquals(19, sync.get(10, TimeUnit.SECONDS), "stale by now: the driver must compare with durableIndex");
            assertEquals(9, log.lastIndex());
            assertEquals(9, log.durableIndex(), "never beyond the last index");
            appendRange(log, 10, 12, 2);
            assertEquals(9, log.durableIndex(), "the new records are not durable yet");
            assertEquals(12, log.sync());
        }
    }

    @Test
    void stressAppendsTruncationsAndSyncsFromTwoThreads() throws Exception {
        int records = 4000;
        long[] terms = new long[records]; // each record's term as the loop last wrote it
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong started = new AtomicLong(-1);   // highest index the loop has begun to append
        AtomicLong appended = new AtomicLong(-1);  // highest index whose append has returned
        AtomicLong truncating = new AtomicLong();  // odd while the loop truncates (a seqlock)
        AtomicLong checkedSyncs = new AtomicLong();
        try (SegmentedLog log = SegmentedLog.open(dir, LogFixtures.SMALL)) {
            Future<?> syncing = persister.submit(() -> {
                for (int n = 0; n < 1_000_000 && !done.get(); n++) {
                    long t0 = truncating.get();
                    long before = appended.get();
                    long durable = log.sync();
                    long after = started.get();
                    if (t0 % 2 == 0 && truncating.get() == t0) { // no truncation overlapped this sync
                        assertTrue(durable >= before, "a sync covers what was appended before it: " + durable + " < " + before);
                        assertTrue(durable <= after, "a sync claims nothing not yet appended: " + durable + " > " + after);
                        checkedSyncs.incrementAndGet();
                    }
                }
                return null;
            });

            long term = 1;
            for (long i = 0; i < records; i++) {
                if (i % 500 == 499) { // a Raft conflict: the last 7 records are replaced in a new term
                    truncating.incrementAndGet();
                    log.truncateSuffix(i - 7);
                    assertEquals(i - 8, log.durableIndex(), "a truncation is durable");
                    started.set(i - 8);
                    appended.set(i - 8);
                    truncating.incrementAndGet();
                    term++;
                    for (long j = i - 7; j < i; j++) {
                        started.set(j);
                        log.append(j, term, payload(j, term));
                        appended.set(j);
                        terms[(int) j] = term;
                    }
                }
                started.set(i);
                log.append(i, term, payload(i, term));
                appended.set(i);
                terms[(int) i] = term;
                assertTrue(log.durableIndex() <= log.lastIndex(), "durable " + log.durableIndex() + ", last " + i);
            }
            done.set(true);
            syncing.get(20, TimeUnit.SECONDS);
            assertTrue(checkedSyncs.get() > 0, "the persister ran");
            assertEquals(records - 1, log.sync());
            assertHolds(log, records - 1, i -> terms[(int) i]);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, LogFixtures.SMALL)) {
            assertFalse(log.recovery().truncated());
            assertHolds(log, records - 1, i -> terms[(int) i]);
        }
    }
}
