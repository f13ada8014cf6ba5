package dev.raftledger.raftd.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.rig.History.Kind;
import dev.raftledger.raftd.rig.History.Op;
import dev.raftledger.raftd.rig.History.Outcome;
import dev.raftledger.raftd.rig.RigChecker.RegOp;
import dev.raftledger.raftd.rig.RigChecker.Report;
import dev.raftledger.raftd.rig.RigChecker.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rig's checker on hand-made histories that must pass and must fail, and its register check
 * against an exhaustive search for a linearization on many small random histories.
 */
class RigCheckerTest {

    private static final long N = History.NEVER;

    // ---- hand-made histories -----------------------------------------------------------------

    private static Op hotAdd(long inv, long cmp, String id) {
        return new Op("hot", Kind.ADD, 1, inv, cmp, Outcome.OK, id, "a:hot:1", true, null);
    }

    private static Op edit(String client, long seq, long inv, long cmp, Outcome out, String id) {
        return new Op(client, Kind.EDIT, seq, inv, cmp, out, id, "e:" + client + ":" + seq, true, null);
    }

    private static Op read(long inv, long cmp, String id, String value) {
        return new Op("r", Kind.READ, 0, inv, cmp, Outcome.OK, null, null, true, Map.of(id, value));
    }

    private static Op add(String client, long seq, long inv, long cmp, Outcome out, String id) {
        return new Op(client, Kind.ADD, seq, inv, cmp, out, id, "a:" + client + ":" + seq, false, null);
    }

    /** Every node with the same final ledger. */
    private static Map<String, List<Row>> everywhere(Row... rows) {
        return Map.of("Node1", List.of(rows), "Node2", List.of(rows), "Node3", List.of(rows));
    }

    private static final Row HOT_FINAL = new Row("E0", "hot", "e:c1:2");

    @Test
    void aLinearizableHistoryPasses() {
        List<Op> h = List.of(
                hotAdd(0, 10, "E0"),
                edit("c1", 1, 20, 30, Outcome.OK, "E0"),
                read(25, 28, "E0", "a:hot:1"),     // overlaps the edit: may see the old value
                read(31, 35, "E0", "e:c1:1"),
                edit("c2", 1, 40, N, Outcome.UNKNOWN, "E0"), // never seen: may not have happened
                edit("c1", 2, 50, 60, Outcome.OK, "E0"),
                read(55, 58, "E0", "e:c1:1"),
                read(61, 62, "E0", "e:c1:2"),
                add("c1", 3, 5, 15, Outcome.OK, "E1"),
                add("c2", 2, 6, N, Outcome.UNKNOWN, null),
                add("c3", 1, 7, 9, Outcome.FAIL, null));
        Report r = RigChecker.check(h, everywhere(HOT_FINAL, new Row("E1", "load", "a:c1:3"),
                new Row("E2", "load", "a:c2:2")));
        assertEquals(List.of(), r.violations());
        assertEquals(2, r.addsOk());
        assertEquals(1, r.addsUnknown());
    }

    @Test
    void aStaleReadFails() {
        List<Op> h = List.of(hotAdd(0, 10, "E0"), edit("c1", 1, 20, 30, Outcome.OK, "E0"),
                read(40, 45, "E0", "a:hot:1"), edit("c1", 2, 50, 60, Outcome.OK, "E0"));
        Report r = RigChecker.check(h, everywhere(HOT_FINAL));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("stale or lost write")), r.violations().toString());
    }

    @Test
    void readsThatDisagreeOnTheOrderOfTwoWritesFail() {
        // two concurrent edits; one reader sees A then B, another, later, sees A again after B
        List<Op> h = List.of(hotAdd(0, 10, "E0"),
                edit("c1", 1, 20, 100, Outcome.OK, "E0"), edit("c2", 1, 20, 100, Outcome.OK, "E0"),
                read(30, 31, "E0", "e:c1:1"), read(40, 41, "E0", "e:c2:1"), read(50, 51, "E0", "e:c1:1"),
                edit("c1", 2, 200, 210, Outcome.OK, "E0"));
        Report r = RigChecker.check(h, everywhere(HOT_FINAL));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("stale or lost write")), r.violations().toString());
    }

    @Test
    void anOlderValueReadAfterANewerOneWasSeenFails() {
        // edit 1 ended before edit 2 began; a read saw edit 2's value, a later read edit 1's again
        List<Op> h = List.of(hotAdd(0, 10, "E0"),
                edit("c1", 1, 20, 25, Outcome.OK, "E0"), edit("c2", 1, 26, 30, Outcome.OK, "E0"),
                read(35, 36, "E0", "e:c2:1"), read(40, 41, "E0", "e:c1:1"),
                edit("c1", 2, 200, 210, Outcome.OK, "E0"));
        Report r = RigChecker.check(h, everywhere(HOT_FINAL));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("each read after the other")), r.violations().toString());
    }

    @Test
    void aReadOfTheFutureFails() {
        List<Op> h = List.of(hotAdd(0, 10, "E0"), read(20, 25, "E0", "e:c1:1"), edit("c1", 1, 30, 40, Outcome.OK, "E0"),
                edit("c1", 2, 50, 60, Outcome.OK, "E0"));
        assertTrue(RigChecker.check(h, everywhere(HOT_FINAL)).violations().stream()
                .anyMatch(v -> v.contains("before edit c1/1")));
    }

    @Test
    void aReadOfAValueNobodyWroteOrOfARefusedEditFails() {
        List<Op> h = List.of(hotAdd(0, 10, "E0"), edit("c1", 1, 20, 25, Outcome.FAIL, "E0"),
                read(30, 35, "E0", "e:c1:1"), edit("c1", 2, 50, 60, Outcome.OK, "E0"));
        assertTrue(RigChecker.check(h, everywhere(HOT_FINAL)).violations().stream()
                .anyMatch(v -> v.contains("which no write wrote")));
    }

    @Test
    void aFinalLedgerWithAnOverwrittenValueFails() {
        List<Op> h = List.of(hotAdd(0, 10, "E0"), edit("c1", 1, 20, 30, Outcome.OK, "E0"),
                edit("c1", 2, 50, 60, Outcome.OK, "E0"));
        Report r = RigChecker.check(h, everywhere(new Row("E0", "hot", "e:c1:1")));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("stale or lost write")), r.violations().toString());
    }

    @Test
    void anAddAppliedTwiceFails() {
        List<Op> h = List.of(add("c1", 1, 0, 10, Outcome.OK, "E1"));
        Report r = RigChecker.check(h, everywhere(new Row("E1", "load", "a:c1:1"), new Row("E2", "load", "a:c1:1")));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("2 times")), r.violations().toString());
    }

    @Test
    void anUnknownAddAppliedTwiceFails() {
        List<Op> h = List.of(add("c1", 1, 0, N, Outcome.UNKNOWN, null));
        Report r = RigChecker.check(h, everywhere(new Row("E1", "load", "a:c1:1"), new Row("E2", "load", "a:c1:1")));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("2 times")), r.violations().toString());
    }

    @Test
    void anAcknowledgedAddMissingOnOneNodeFails() {
        List<Op> h = List.of(add("c1", 1, 0, 10, Outcome.OK, "E1"));
        Map<String, List<Row>> ledgers = Map.of("Node1", List.of(new Row("E1", "load", "a:c1:1")), "Node2", List.of());
        Report r = RigChecker.check(h, ledgers);
        assertTrue(r.violations().stream().anyMatch(v -> v.startsWith("Node2 lost add c1/1")), r.violations().toString());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("ledgers differ")), r.violations().toString());
    }

    @Test
    void anAddUnderAnotherIdOrRefusedOrUnsentFails() {
        List<Op> h = List.of(add("c1", 1, 0, 10, Outcome.OK, "E1"), add("c1", 2, 20, 30, Outcome.FAIL, null));
        Report r = RigChecker.check(h, everywhere(new Row("E7", "load", "a:c1:1"), new Row("E8", "load", "a:c1:2"),
                new Row("E9", "load", "a:c9:9")));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("its result said E1")), r.violations().toString());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("which was refused")), r.violations().toString());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("no client added")), r.violations().toString());
    }

    @Test
    void aDuplicatedHotAddFails() {
        List<Op> h = List.of(hotAdd(0, 10, "E0"));
        Report r = RigChecker.check(h, everywhere(new Row("E0", "hot", "a:hot:1"), new Row("E1", "hot", "a:hot:1")));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("holds 2 hot expenses")), r.violations().toString());
    }

    @Test
    void theLongestGapIsBetweenSuccesses() {
        List<Op> h = List.of(add("c1", 1, 0, 10, Outcome.OK, "E1"), add("c1", 2, 11, N, Outcome.UNKNOWN, null),
                add("c1", 3, 12, 500, Outcome.OK, "E2"), new Op("r", Kind.READ, 0, 20, 490, Outcome.FAIL, null, null, true, null),
                add("c1", 4, 501, 520, Outcome.OK, "E3"));
        long[] gap = RigChecker.longestGap(h);
        assertEquals(490, gap[0]);
        assertEquals(10, gap[1]);
    }

    // ---- the zone check against an exhaustive search ------------------------------------------

    @Test
    void theZoneCheckAgreesWithAnExhaustiveSearch() {
        SplittableRandom random = new SplittableRandom(20261207);
        int linearizable = 0;
        int notLinearizable = 0;
        for (int run = 0; run < 20_000; run++) {
            List<RegOp> ops = randomHistory(random, run % 2 == 0);
            List<String> violations = new ArrayList<>();
            RigChecker.checkRegister("E0", ops, violations);
            boolean search = linearizable(ops);
            assertEquals(search, violations.isEmpty(), "zone check " + violations + " vs search " + search + " on " + ops);
            if (search) {
                linearizable++;
            } else {
                notLinearizable++;
            }
        }
        System.out.println("zone check vs search: " + linearizable + " linearizable, " + notLinearizable + " not");
        assertTrue(linearizable > 3_000 && notLinearizable > 3_000,
                "both kinds were tried: " + linearizable + " linearizable, " + notLinearizable + " not");
    }

    /**
     * A random history of 2-7 operations, all times distinct: each op takes effect at a point
     * inside its interval; half the time reads return the value at that point (linearizable
     * unless a pending write is dropped), the other half a value written at random.
     */
    private static List<RegOp> randomHistory(SplittableRandom random, boolean fromARun) {
        int n = 2 + random.nextInt(6);
        List<long[]> spans = new ArrayList<>();
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            long effect = 1_000L * i;
            long inv;
            long cmp;
            do {
                inv = effect - 1 - random.nextInt(900);
                cmp = effect + 1 + random.nextInt(900);
            } while (used.contains(inv) || used.contains(cmp) || inv == cmp);
            used.add(inv);
            used.add(cmp);
            spans.add(new long[] {inv, cmp, effect});
        }
        boolean[] isWrite = new boolean[n];
        List<String> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            isWrite[i] = i == 0 || random.nextInt(3) == 0;
            if (isWrite[i]) {
                writes.add("v" + i);
            }
        }
        List<RegOp> ops = new ArrayList<>();
        String current = null;
        for (int i = 0; i < n; i++) {
            long[] s = spans.get(i);
            if (isWrite[i]) {
                current = "v" + i;
                boolean pending = i > 0 && random.nextInt(6) == 0;
                ops.add(new RegOp(true, current, s[0], pending ? History.NEVER : s[1], "w" + i));
            } else {
                String value = fromARun ? current : writes.get(random.nextInt(writes.size())); // maybe a later one
                ops.add(new RegOp(false, value, s[0], s[1], "r" + i));
            }
        }
        return ops;
    }

    /** Exhaustive search (Wing and Gong): some order respecting real time explains every read. */
    private static boolean linearizable(List<RegOp> ops) {
        return search(ops, 0, null, new HashMap<>());
    }

    private static boolean search(List<RegOp> ops, int done, String value, Map<String, Boolean> memo) {
        boolean allComplete = true;
        for (int i = 0; i < ops.size(); i++) {
            if ((done & (1 << i)) == 0 && ops.get(i).complete() != History.NEVER) {
                allComplete = false;
            }
        }
        if (allComplete) {
            return true;
        }
        String key = done + "/" + value;
        Boolean known = memo.get(key);
        if (known != null) {
            return known;
        }
        boolean found = false;
        for (int i = 0; i < ops.size() && !found; i++) {
            if ((done & (1 << i)) != 0) {
                continue;
            }
            RegOp o = ops.get(i);
            boolean minimal = true;
            for (int j = 0; j < ops.size(); j++) {
                if (j != i && (done & (1 << j)) == 0 && ops.get(j).complete() < o.invoke()) {
                    minimal = false; // j ended before o began: j goes first
                }
            }
            if (!minimal) {
                continue;
            }
            if (o.write()) {
                found = search(ops, done | (1 << i), o.value(), memo);
            } else if (o.value().equals(value)) {
                found = search(ops, done | (1 << i), value, memo);
            }
        }
        memo.put(key, found);
        return found;
    }
}
