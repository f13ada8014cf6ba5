package dev.raftledger.raftd.rig;

import dev.raftledger.raftd.rig.History.Kind;
import dev.raftledger.raftd.rig.History.Op;
import dev.raftledger.raftd.rig.History.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a rig run from the clients' history and every node's final ledger.
 *
 * <p><b>Linearizability, per expense.</b> Each hot expense's description is a register: its add
 * and every edit write a value no other write writes, and reads return the values seen. With
 * unique values each read is tied to the one write it saw, and the history of a register is
 * linearizable if and only if (Gibbons and Korach, "Testing shared memories", 1997): no read
 * ends before its write began; and, taking for each value the cluster of its write and its reads,
 * with {@code f} the earliest completion and {@code s} the latest invocation in the cluster, the
 * "forward zones" {@code [f, s]} of the clusters where {@code f < s} do not overlap, and no
 * "backward zone" {@code [s, f]} (where {@code s <= f}) lies inside a forward zone. Writes with
 * an unknown outcome never complete; one nobody read is dropped (it may not have happened). A
 * read of a value no write wrote, or a read that lacks a hot expense, is a violation. The final
 * ledger counts as one more read, after everything. {@code RigCheckerTest} checks this against
 * an exhaustive search on thousands of small random histories.
 *
 * <p><b>Exactly once.</b> Every add stores a description unique to it ({@code a:client:seq}). On
 * every node: an acknowledged add is there exactly once, with the id its result named; an add
 * refused is not there; an add with an unknown outcome is there at most once; no description
 * is there that no client sent; there are as many hot expenses as hot adds that may have
 * happened. All nodes hold the same ledger (same digest).
 *
 * <p><b>Availability.</b> The longest stretch with no successful operation (from the first
 * invocation to the last completion).
 *
 * <p>Pure and single-threaded.
 */
public final class RigChecker {

    private RigChecker() {}

    /** One expense of a node's final ledger. */
    public record Row(String id, String category, String description) {}

    /** What the checker found. */
    public record Report(List<String> violations, int ops, int addsOk, int addsUnknown, int editsOk,
                         int editsUnknown, int readsOk, int readsFailed, long longestGapNanos, long gapStartNanos,
                         Map<String, String> digests) {

        public boolean clean() {
            return violations.isEmpty();
        }

        public String summary() {
            return String.format("%d operations: %d adds acknowledged (%d unknown), %d edits acknowledged "
                    + "(%d unknown), %d linearizable reads (%d without answer); longest stretch without a successful "
                    + "operation %d ms; %s", ops, addsOk, addsUnknown, editsOk, editsUnknown, readsOk, readsFailed,
                    longestGapNanos / 1_000_000, violations.isEmpty() ? "no violation"
                            : violations.size() + " violations, first: " + violations.get(0));
        }
    }

    public static Report check(List<Op> history, Map<String, List<Row>> ledgers) {
        List<String> violations = new ArrayList<>();
        long end = history.stream().mapToLong(o -> o.complete() == History.NEVER ? o.invoke() : o.complete())
                .max().orElse(0) + 1;
        checkRegisters(history, ledgers, end, violations);
        checkExactlyOnce(history, ledgers, violations);
        Map<String, String> digests = new TreeMap<>();
        ledgers.forEach((node, rows) -> digests.put(node, digest(rows)));
        if (digests.values().stream().distinct().count() > 1) {
            violations.add("the nodes' ledgers differ: " + digests);
        }
        long[] gap = longestGap(history);
        return new Report(violations, history.size(),
                count(history, Kind.ADD, Outcome.OK), count(history, Kind.ADD, Outcome.UNKNOWN),
                count(history, Kind.EDIT, Outcome.OK), count(history, Kind.EDIT, Outcome.UNKNOWN),
                count(history, Kind.READ, Outcome.OK), count(history, Kind.READ, Outcome.FAIL), gap[0], gap[1], digests);
    }

    private static int count(List<Op> history, Kind kind, Outcome outcome) {
        return (int) history.stream().filter(o -> o.kind() == kind && o.outcome() == outcome).count();
    }

    // ---- linearizability -------------------------------------------------------------------

    /** A write or read of one register, for the zone check. */
    public record RegOp(boolean write, String value, long invoke, long complete, String what) {}

    private static void checkRegisters(List<Op> history, Map<String, List<Row>> ledgers, long end,
                                       List<String> violations) {
        Map<String, List<RegOp>> registers = new LinkedHashMap<>();
        for (Op o : history) {
            if (o.kind() == Kind.ADD && o.hot() && o.ok()) {
                registers.computeIfAbsent(o.id(), k -> new ArrayList<>())
                        .add(new RegOp(true, o.tag(), o.invoke(), o.complete(), describe(o)));
            }
        }
        for (Op o : history) {
            if (o.kind() == Kind.EDIT && o.outcome() != Outcome.FAIL && registers.containsKey(o.id())) {
                registers.get(o.id()).add(new RegOp(true, o.tag(), o.invoke(), o.complete(), describe(o)));
            } else if (o.kind() == Kind.READ && o.ok()) {
                for (Map.Entry<String, List<RegOp>> r : registers.entrySet()) {
                    if (r.getValue().get(0).complete() >= o.invoke()) {
                        continue; // the expense's add had not completed when the read began
                    }
                    String seen = o.reads().get(r.getKey());
                    if (seen == null) {
                        violations.add(describe(o) + " lacks expense " + r.getKey() + ", acknowledged before it began");
                    } else {
                        r.getValue().add(new RegOp(false, seen, o.invoke(), o.complete(), describe(o)));
                    }
                }
            }
        }
        for (Map.Entry<String, List<Row>> node : ledgers.entrySet()) {
            for (Row row : node.getValue()) {
                List<RegOp> ops = registers.get(row.id());
                if (ops != null) {
                    ops.add(new RegOp(false, row.description(), end, end + 1, node.getKey() + "'s final ledger"));
                }
            }
        }
        registers.forEach((id, ops) -> checkRegister(id, ops, violations));
    }

    /** The zone check of one register's history (see the class comment); adds what it finds to {@code violations}. */
    public static void checkRegister(String id, List<RegOp> ops, List<String> violations) {
        Map<String, RegOp> writes = new HashMap<>();
        Map<String, List<RegOp>> readsOf = new HashMap<>();
        for (RegOp op : ops) {
            if (op.write()) {
                if (writes.put(op.value(), op) != null) {
                    violations.add(id + ": the value '" + op.value() + "' was written twice (the checker needs unique values)");
                }
            }
        }
        for (RegOp op : ops) {
            if (!op.write()) {
                RegOp w = writes.get(op.value());
                if (w == null) {
                    violations.add(id + ": " + op.what() + " returned '" + op.value() + "', which no write wrote");
                } else if (op.complete() < w.invoke()) {
                    violations.add(id + ": " + op.what() + " returned '" + op.value() + "' before " + w.what() + " began");
                } else {
                    readsOf.computeIfAbsent(op.value(), k -> new ArrayList<>()).add(op);
                }
            }
        }
        List<long[]> forward = new ArrayList<>();   // {start, end, index}
        List<long[]> backward = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (RegOp w : writes.values()) {
            List<RegOp> reads = readsOf.getOrDefault(w.value(), List.of());
            if (w.complete() == History.NEVER && reads.isEmpty()) {
                continue; // unknown outcome, never seen: it may not have happened
            }
            long f = w.complete();
            long s = w.invoke();
            for (RegOp r : reads) {
                f = Math.min(f, r.complete());
                s = Math.max(s, r.invoke());
            }
            values.add(w.value());
            long index = values.size() - 1;
            if (f < s) {
                forward.add(new long[] {f, s, index});
            } else {
                backward.add(new long[] {s, f, index});
            }
        }
        forward.sort(Comparator.comparingLong(z -> z[0]));
        for (int i = 0; i + 1 < forward.size(); i++) {
            long[] a = forward.get(i);
            long[] b = forward.get(i + 1);
            if (b[0] < a[1]) {
                violations.add(id + ": the values '" + values.get((int) a[2]) + "' and '" + values.get((int) b[2])
                        + "' were each read after the other was written (no single order of writes explains the reads)");
            }
        }
        for (long[] z : backward) {
            long[] a = lastStartingBefore(forward, z[0]);
            if (a != null && z[1] < a[1]) {
                violations.add(id + ": '" + values.get((int) z[2]) + "' was written and read entirely while '"
                        + values.get((int) a[2]) + "' had to be the value (a stale or lost write)");
            }
        }
    }

    private static long[] lastStartingBefore(List<long[]> sortedZones, long t) {
        long[] best = null;
        int lo = 0;
        int hi = sortedZones.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedZones.get(mid)[0] < t) {
                best = sortedZones.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    // ---- exactly once ------------------------------------------------------------------------

    private static void checkExactlyOnce(List<Op> history, Map<String, List<Row>> ledgers, List<String> violations) {
        Map<String, Op> adds = new HashMap<>();
        for (Op o : history) {
            if (o.kind() == Kind.ADD) {
                adds.put(o.tag(), o);
            }
        }
        long hotMin = history.stream().filter(o -> o.kind() == Kind.ADD && o.hot() && o.ok()).count();
        long hotMax = hotMin + history.stream().filter(o -> o.kind() == Kind.ADD && o.hot()
                && o.outcome() == Outcome.UNKNOWN).count();
        for (Map.Entry<String, List<Row>> node : ledgers.entrySet()) {
            String n = node.getKey();
            Map<String, List<String>> idsByTag = new HashMap<>();
            long hot = 0;
            for (Row row : node.getValue()) {
                if ("hot".equals(row.category())) {
                    hot++;
                    continue;
                }
                idsByTag.computeIfAbsent(row.description(), k -> new ArrayList<>()).add(row.id());
            }
            if (hot < hotMin || hot > hotMax) {
                violations.add(n + " holds " + hot + " hot expenses; " + hotMin + " to " + hotMax + " were added");
            }
            for (Map.Entry<String, List<String>> e : idsByTag.entrySet()) {
                Op add = adds.get(e.getKey());
                if (add == null) {
                    violations.add(n + " holds '" + e.getKey() + "' (" + e.getValue() + "), which no client added");
                } else if (e.getValue().size() > 1) {
                    violations.add(n + " applied " + describe(add) + " " + e.getValue().size() + " times: " + e.getValue());
                } else if (add.outcome() == Outcome.FAIL) {
                    violations.add(n + " holds " + describe(add) + ", which was refused");
                } else if (add.ok() && !add.id().equals(e.getValue().get(0))) {
                    violations.add(n + " holds " + describe(add) + " as " + e.getValue().get(0) + "; its result said " + add.id());
                }
            }
            for (Op add : adds.values()) {
                if (add.ok() && !add.hot() && !idsByTag.containsKey(add.tag())) {
                    violations.add(n + " lost " + describe(add) + " (acknowledged as " + add.id() + ")");
                }
            }
        }
    }

    // ---- availability ------------------------------------------------------------------------

    /** {length, start} of the longest stretch between successes, from the first invocation on. */
    static long[] longestGap(List<Op> history) {
        if (history.isEmpty()) {
            return new long[] {0, 0};
        }
        long start = history.stream().mapToLong(Op::invoke).min().orElseThrow();
        List<Long> done = history.stream().filter(Op::ok).map(Op::complete).sorted().toList();
        long prev = start;
        long best = 0;
        long bestStart = start;
        for (long t : done) {
            if (t - prev > best) {
                best = t - prev;
                bestStart = prev;
            }
            prev = Math.max(prev, t);
        }
        return new long[] {best, bestStart};
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String describe(Op o) {
        return switch (o.kind()) {
            case ADD -> "add " + o.client() + "/" + o.seq() + " (" + o.outcome() + ")";
            case EDIT -> "edit " + o.client() + "/" + o.seq() + " of " + o.id() + " (" + o.outcome() + ")";
            case READ -> "read by " + o.client() + " at " + o.invoke() + ".." + o.complete();
        };
    }

    /** SHA-256 of a ledger's rows in id order. */
    public static String digest(List<Row> rows) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            rows.stream().sorted(Comparator.comparing(Row::id)).forEach(r -> md.update(
                    (r.id() + "\u0000" + r.category() + "\u0000" + r.description() + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
