package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void eachCounterIsTakenOnceAndAnythingOlderThanTheWindowIsRefused() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(5));
        assertFalse(w.accept(5));
        assertTrue(w.accept(3));
        assertTrue(w.accept(5 + ReplayWindow.SIZE));
        assertFalse(w.accept(5), "now outside the window");
        assertTrue(w.accept(6 + ReplayWindow.SIZE - ReplayWindow.SIZE + 1), "the oldest counter still inside");
        assertFalse(w.accept(6 + ReplayWindow.SIZE - ReplayWindow.SIZE + 1));
    }

    @Test
    void matchesASetOfSeenCountersUnderRandomReorderingAndJumps() {
        Random r = new Random(42);
        for (int run = 0; run < 50; run++) {
            ReplayWindow w = new ReplayWindow();
            TreeSet<Long> seen = new TreeSet<>();
            long highest = 0;
            for (int i = 0; i < 5_000; i++) {
                long c = Math.max(1, highest + (r.nextInt(10) == 0 ? r.nextInt(3 * ReplayWindow.SIZE) : r.nextInt(40) - 30));
                boolean expected = !seen.contains(c) && highest - c < ReplayWindow.SIZE;
                boolean got = w.accept(c);
                if (expected != got) {
                    throw new AssertionError("run " + run + " step " + i + ": counter " + c + " highest " + highest
                            + " expected " + expected);
                }
                if (got) {
                    seen.add(c);
                    highest = Math.max(highest, c);
                }
            }
        }
    }
}
