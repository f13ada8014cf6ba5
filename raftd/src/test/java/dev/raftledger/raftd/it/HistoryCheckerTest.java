package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chaos test's history checker, shown to reject each kind of non-linearizable read. */
class HistoryCheckerTest {

    private static ChaosIT.Write w(long start, long end) {
        return new ChaosIT.Write(start, end);
    }

    private static ChaosIT.Read r(long start, long end, int count) {
        return new ChaosIT.Read(start, end, count);
    }

    private static final List<ChaosIT.Write> WRITES = List.of(w(0, 10), w(5, 20), w(30, Long.MAX_VALUE));

    @Test
    void aConsistentHistoryPasses() {
        assertEquals("linearizable", HistoryChecker.check(WRITES, List.of(
                r(11, 12, 1), r(11, 25, 2), r(21, 29, 2), r(31, 40, 2), r(41, 50, 3))));
    }

    @Test
    void aReadMissingAnAcknowledgedWriteFails() {
        assertTrue(HistoryChecker.check(WRITES, List.of(r(21, 22, 1))).contains("misses writes"));
    }

    @Test
    void aReadSeeingAWriteNotYetBegunFails() {
        assertTrue(HistoryChecker.check(WRITES, List.of(r(1, 2, 2))).contains("sees the future"));
    }

    @Test
    void aLaterReadSeeingLessFails() {
        assertTrue(HistoryChecker.check(WRITES, List.of(r(31, 35, 3), r(36, 40, 2))).contains("went back in time"));
    }
}
