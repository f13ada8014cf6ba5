package dev.raftledger.raftctl.cluster;

import static dev.raftledger.raftctl.Rounds.down;
import static dev.raftledger.raftctl.Rounds.round;
import static dev.raftledger.raftctl.Rounds.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The commit rate and its sparkline for known series of rounds, on a clock the test sets. */
class CommitRateTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    /** Near the end of nanoTime's range: differences must survive the wrap. */
    private static final long T0 = Long.MAX_VALUE - 30 * S;

    /** Rounds every second from T0 with these commit indices. */
    private static CommitRate everySecond(long... indices) {
        CommitRate rate = new CommitRate(1000);
        for (int i = 0; i < indices.length; i++) {
            rate.add(T0 + i * S, indices[i]);
        }
        return rate;
    }

    private static List<Double> unknown(int n) {
        return Collections.nCopies(n, null);
    }

    private static List<Double> concat(List<Double> a, List<Double> b) {
        List<Double> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aFlatRateOverAWholeMinute() {
        long[] indices = new long[61];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = 100 + 5L * i;
        }

        CommitRate.Reading r = everySecond(indices).reading();

        assertEquals(5.0, r.perSecond(), 1e-9);
        assertEquals(60.0, r.seconds(), 1e-9);
        assertEquals(Collections.nCopies(60, 5.0), r.slots());
        assertEquals("█".repeat(60), CommitRate.sparkline(r.slots(), true));
        assertEquals("#".repeat(60), CommitRate.sparkline(r.slots(), false));
        assertEquals("commits: 5.0/s over 60 s  " + "█".repeat(60), CommitRate.line(r, true, 200));
    }

    @Test
    void aRisingRateInLessThanAMinute() {
        CommitRate.Reading r = everySecond(0, 1, 3, 6, 10).reading();

        assertEquals(2.5, r.perSecond(), 1e-9);
        assertEquals(4.0, r.seconds(), 1e-9);
        assertEquals(concat(unknown(56), List.of(1.0, 2.0, 3.0, 4.0)), r.slots());
        // of the top 4: 1.75, 3.5, 5.25 and 7 of 7 levels, rounded
        assertEquals(" ".repeat(56) + "▃▅▆█", CommitRate.sparkline(r.slots(), true));
        assertEquals(" ".repeat(56) + "-=+#", CommitRate.sparkline(r.slots(), false));
        assertEquals("commits: 2.5/s over 4 s  ▃▅▆█", CommitRate.line(r, true, 80), "the unknown start is left out");
        assertEquals("commits: 2.5/s over 4 s  -=+#", CommitRate.line(r, false, 80));
    }

    @Test
    void aYoungWatchJustAfterNanoTimeWrapped() {
        // the samples are past the wrap, the start of their minute is before it
        CommitRate rate = new CommitRate(1000);
        long[] indices = {0, 1, 3, 6, 10};
        for (int i = 0; i < indices.length; i++) {
            rate.add(Long.MIN_VALUE + (i + 1) * S, indices[i]);
        }

        CommitRate.Reading r = rate.reading();

        assertEquals(2.5, r.perSecond(), 1e-9);
        assertEquals(4.0, r.seconds(), 1e-9);
        assertEquals(concat(unknown(56), List.of(1.0, 2.0, 3.0, 4.0)), r.slots());
    }

    @Test
    void noCommitsIsTheLowestLevel() {
        CommitRate.Reading r = everySecond(7, 7, 7).reading();

        assertEquals(0.0, r.perSecond(), 1e-9);
        assertEquals("commits: 0.0/s over 2 s  ▁▁", CommitRate.line(r, true, 80));
        assertEquals("commits: 0.0/s over 2 s  __", CommitRate.line(r, false, 80));
    }

    @Test
    void anyRateAboveZeroIsAboveTheLowestLevel() {
        assertEquals("▁▂█", CommitRate.sparkline(List.of(0.0, 0.01, 100.0), true));
        assertEquals("_.#", CommitRate.sparkline(List.of(0.0, 0.01, 100.0), false));
    }

    @Test
    void beforeTwoAnsweredRoundsThereIsNoRate() {
        CommitRate rate = new CommitRate(1000);
        assertNull(rate.reading().perSecond());
        assertEquals("commits: -", CommitRate.line(rate.reading(), true, 80));

        rate.add(T0, round(down("Node1"), down("Node2")));
        rate.add(T0 + S, round(up("Node1", "leader", 2, "Node1", 40), down("Node2")));
        CommitRate.Reading r = rate.reading();

        assertNull(r.perSecond(), "the round nobody answered is no sample");
        assertEquals(unknown(60), r.slots());
        assertEquals(" ".repeat(60), CommitRate.sparkline(r.slots(), true));
        assertEquals("commits: -", CommitRate.line(r, true, 80));
    }

    @Test
    void eachRoundCountsItsHighestCommitIndexNeverLessThanBefore() {
        CommitRate rate = new CommitRate(1000);
        rate.add(T0, round(up("Node1", "leader", 2, "Node1", 40), up("Node2", "follower", 2, "Node1", 38)));
        // the leader is down; the follower knows less: no commits, not minus two
        rate.add(T0 + S, round(down("Node1"), up("Node2", "follower", 2, "Node1", 38)));
        rate.add(T0 + 2 * S, round(down("Node1"), up("Node2", "leader", 3, "Node2", 46)));

        CommitRate.Reading r = rate.reading();

        assertEquals(concat(unknown(58), List.of(0.0, 6.0)), r.slots());
        assertEquals(3.0, r.perSecond(), 1e-9);
    }

    @Test
    void slotsAreInterpolatedBetweenRoundsThatAreNotOneSecondApart() {
        CommitRate fast = new CommitRate(500);
        for (int i = 0; i <= 4; i++) {
            fast.add(T0 + i * S / 2, i * 3L); // 3 entries every half second
        }
        CommitRate slow = new CommitRate(2500);
        slow.add(T0, 0);
        slow.add(T0 + 5 * S / 2, 25);
        slow.add(T0 + 5 * S, 25);

        assertEquals(concat(unknown(58), List.of(6.0, 6.0)), fast.reading().slots());
        assertEquals(24, slow.reading().slots().size(), "2.5 s slots: 24 in a minute");
        assertEquals(concat(unknown(22), List.of(10.0, 0.0)), slow.reading().slots());
        assertEquals(5.0, slow.reading().perSecond(), 1e-9);
    }

    @Test
    void onlyTheLastMinuteCountsAndIsKept() {
        CommitRate rate = new CommitRate(1000);
        for (int i = 0; i <= 300; i++) {
            // 10 per second for four minutes, then 1 per second for the last
            long index = i <= 240 ? 10L * i : 2400 + (i - 240);
            rate.add(T0 + i * S, index);
        }

        CommitRate.Reading r = rate.reading();

        assertEquals(1.0, r.perSecond(), 1e-9);
        assertEquals(60.0, r.seconds(), 1e-9);
        assertEquals(Collections.nCopies(60, 1.0), r.slots());
        assertTrue(rate.sampleCount() <= 62, "samples of the last minute only: " + rate.sampleCount());
    }

    @Test
    void aNarrowLineKeepsTheNewestSlots() {
        CommitRate.Reading r = everySecond(0, 1, 3, 6, 10).reading();

        assertEquals("commits: 2.5/s over 4 s  ▆█", CommitRate.line(r, true, 27));
        assertEquals("commits: 2.5/s over 4 s", CommitRate.line(r, true, 20), "no room: the number alone");
    }

    @Test
    void aRoundAtTheSameMomentIsIgnored() {
        CommitRate rate = everySecond(0, 4);
        rate.add(T0 + S, 100);

        assertEquals(4.0, rate.reading().perSecond(), 1e-9);
    }
}
