package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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

/** A persister thread syncing in a loop while the loop thread appends, compacts and resets. */
@Timeout(60)
class SegmentedLogConcurrentCompactionTest {

    @TempDir
    Path dir;

    private final ExecutorService persister = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPersister() throws InterruptedException {
        persister.shutdownNow();
        assertTrue(persister.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void syncsDuringCompactionsAndResetsNeverFailAndLoseNothing() throws Exception {
        int records = 6000;
        long resetAt = 3000;  // the loop "installs a snapshot" through 3199 here
        long resumeAt = 3200;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong started = new AtomicLong(-1); // highest index the loop has begun to append
        AtomicLong syncs = new AtomicLong();
        long compactions = 0;
        long lastCompactedThrough = -1;
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            Future<?> syncing = persister.submit(() -> {
                while (!done.get()) {
                    long durable = log.sync();
                    // a reset moves the next index forward, so bound by what the loop has reached
                    assertTrue(durable <= Math.max(started.get(), resumeAt - 1), "a sync claims nothing not yet appended: " + durable);
                    assertTrue(log.durableIndex() <= Math.max(started.get(), resumeAt - 1));
                    syncs.incrementAndGet();
                }
                return null;
            });

            long i = 0;
            while (i < records) {
                if (i == resetAt) {
                    log.resetTo(resumeAt);
                    assertEquals(resumeAt - 1, log.lastIndex());
                    i = resumeAt;
                    lastCompactedThrough = -1;
                }
                long term = i < resetAt ? 1 : 2;
                started.set(i);
                log.append(i, term, payload(i, term));
                if (i % 250 == 249 && i - 120 >= log.firstIndex()) { // a snapshot through i - 120
                    long before = log.firstIndex();
                    Compaction c = log.compactThrough(i - 120);
                    assertTrue(c.firstIndex() >= before && c.firstIndex() <= i - 119, "compaction through " + (i - 120) + ": " + c);
                    assertEquals(c.firstIndex(), log.firstIndex());
                    lastCompactedThrough = i - 120;
                    compactions++;
                }
                i++;
            }
            done.set(true);
            syncing.get(30, TimeUnit.SECONDS);
            assertTrue(syncs.get() > 0, "the persister ran");
            assertTrue(compactions > 10, "compactions: " + compactions);
            assertEquals(records - 1, log.sync());
            assertTrue(log.firstIndex() <= lastCompactedThrough + 1);
            assertTrue(log.firstIndex() > resumeAt, "the log was compacted after the reset: " + log.firstIndex());
            assertHolds(log, records - 1, k -> 2);
        }
        long first;
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertFalse(log.recovery().truncated());
            first = log.firstIndex();
            assertTrue(first <= lastCompactedThrough + 1);
            assertHolds(log, records - 1, k -> 2);
        }
    }
}
