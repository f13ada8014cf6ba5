package dev.raftledger.raftd.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that reads of a grow-only set's size are consistent with one order of the writes
 * (linearizable). Writes only add, so a read of count c is explained by some single order of
 * writes if and only if: c is at least the number of writes acknowledged before the read began
 * (they must all be visible), c is at most the number of writes begun before the read ended
 * (nothing from the future), and a read that ended before another began saw no more than it
 * (real-time order). Writes whose acknowledgement never came may or may not count.
 */
final class HistoryChecker {

    private HistoryChecker() {}

    static String check(List<ChaosIT.Write> writes, List<ChaosIT.Read> reads) {
        for (ChaosIT.Read r : reads) {
            long mustSee = writes.stream().filter(w -> w.end() < r.start()).count();
            long mayHaveSeen = writes.stream().filter(w -> w.start() < r.end()).count();
            if (r.count() < mustSee) {
                return "read " + r + " misses writes: " + mustSee + " were acknowledged before it began";
            }
            if (r.count() > mayHaveSeen) {
                return "read " + r + " sees the future: only " + mayHaveSeen + " writes had begun when it ended";
            }
        }
        List<ChaosIT.Read> byStart = new ArrayList<>(reads);
        byStart.sort(Comparator.comparingLong(ChaosIT.Read::start));
        for (ChaosIT.Read earlier : reads) {
            for (ChaosIT.Read later : byStart) {
                if (later.start() > earlier.end() && later.count() < earlier.count()) {
                    return "read " + later + " went back in time after " + earlier;
                }
            }
        }
        return "linearizable";
    }
}
