package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void bucketsAreCumulativeAndBoundsInclusive() {
        Histogram h = new Histogram(new double[] {0.001, 0.01});
        h.observeNanos(1_000_000);  // on the first bound: counts in it
        h.observeNanos(1_000_001);  // just past it: second bucket
        h.observeNanos(10_000_000); // on the second bound
        h.observeNanos(10_000_001); // +Inf only
        Histogram.Snapshot s = h.snapshot();
        assertArrayEquals(new long[] {1, 3, 4}, s.cumulativeCounts());
        assertEquals(4, s.count());
        assertEquals(0.022000002, s.sumSeconds(), 1e-12);
    }

    @Test
    void aNegativeDurationCountsAsZero() {
        Histogram h = new Histogram(new double[] {0.001});
        h.observeNanos(-5);
        assertArrayEquals(new long[] {1, 1}, h.snapshot().cumulativeCounts());
        assertEquals(0.0, h.snapshot().sumSeconds());
    }

    @Test
    void boundsMustBePositiveAndIncreasing() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(new double[] {}));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(new double[] {0.1, 0.1}));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(new double[] {0, 1}));
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        Histogram h = new Histogram(Histogram.DISK_LATENCY_SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.observeNanos(i * 1_000L);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Histogram.Snapshot s = h.snapshot();
        assertEquals(40_000, s.count());
        assertEquals(s.count(), s.cumulativeCounts()[s.cumulativeCounts().length - 1]);
    }
}
