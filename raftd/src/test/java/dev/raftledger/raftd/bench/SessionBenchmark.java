package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.Money;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * What the ledger's sessions cost after many one-shot writes (issue 13, docs/benchmarks.md
 * "Sessions"): applies N {@code expense add} commands, each from a client id of its own
 * ({@code raftctl-} and 12 random hex digits, seq 1, as every one-shot raftctl sends), the way a
 * node applies a committed entry (encoded to JSON bytes with the leader's stamp, parsed back,
 * {@link Ledger#apply(long, long, com.fasterxml.jackson.databind.JsonNode)}), then prints the
 * sessions left and the heap held after full GCs.
 *
 * <p>Arguments: {@code --writes N} (default 1,000,000); {@code --every-ms M}, the simulated time
 * between two writes (default 60,000: one a minute, a CI job's pace); {@code --ttl D}, the
 * session TTL stamped into each entry ({@code 24h} by default, {@code none}: entries carry no
 * stamp at all, as before sessions expired, and nothing ever expires). One mode per JVM, so each
 * run's heap is its own.
 */
public final class SessionBenchmark {

    private static final double MIB = 1024.0 * 1024.0;
    /** 2026-12-07T00:00:00Z. */
    private static final long T0 = 1_796_601_600_000L;

    private SessionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int writes = Integer.parseInt(BenchArgs.string(args, "--writes", "1000000").replace("_", "").replace(",", ""));
        long everyMs = Long.parseLong(BenchArgs.string(args, "--every-ms", "60000"));
        String ttlArg = BenchArgs.string(args, "--ttl", "24h");
        long ttl = ttlArg.equals("none") ? -1 : parseDuration(ttlArg);

        System.out.println("machine: " + Machine.describe());
        System.out.println("jvm: max heap " + mib(Runtime.getRuntime().maxMemory()) + " MiB, GC "
                + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(" + ")) + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("load average at start: " + loadAverage());
        System.out.printf(Locale.ROOT, "mode: %,d one-shot adds, one every %,d ms of leader time (%.0f days), TTL %s%n",
                writes, everyMs, writes * (double) everyMs / 86_400_000, ttl < 0 ? "none (no stamps)" : ttlArg);
        long baseline = usedAfterGc();

        Random random = new Random(0x5E55L);
        byte[] id = new byte[6];
        HexFormat hex = HexFormat.of();
        Ledger ledger = new Ledger();
        ledger.applyNoop(0, 1);
        long peak = 0;
        long t = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            random.nextBytes(id);
            ExpenseDraft d = new ExpenseDraft(Money.parse((1 + random.nextInt(9_999)) + ".50", "EUR"), "ci",
                    "nightly build " + i, "ci-bot", LocalDate.of(2026, 1, 1).plusDays(random.nextInt(700)));
            LedgerCommand cmd = new LedgerCommand.Add("raftctl-" + hex.formatHex(id), 1, d);
            ObjectNode json = LedgerCodec.commandToJson(cmd);
            if (ttl >= 0) {
                LedgerCodec.stamped(json, new Ledger.Stamp(T0 + i * everyMs, ttl));
            }
            LedgerResult r = ledger.apply(i + 1, 1, Codec.readTree(Codec.toBytes(json)));
            if (!r.ok()) {
                throw new IllegalStateException("write " + i + " refused: " + r);
            }
            peak = Math.max(peak, ledger.sessionCount());
        }
        double secs = (System.nanoTime() - t) / 1e9;
        long held = usedAfterGc() - baseline; // the ledger is used below, so it is held here
        System.out.printf(Locale.ROOT, "applied: %,d writes in %.1f s (%.1f us a write)%n", writes, secs,
                secs * 1e6 / writes);
        System.out.printf(Locale.ROOT, "expenses: %,d; sessions: %,d (at most %,d at once, %,d expired)%n",
                ledger.size(), ledger.sessionCount(), peak, ledger.sessionsExpired());
        System.out.printf(Locale.ROOT, "ledger heap (after GC): %.0f MiB; sessions estimate (STATUS): %.1f MiB%n",
                mib(held), mib(ledger.sessionBytesEstimate()));
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-sessions-");
        Path file = dir.resolve("snapshot.json");
        try (var out = Files.newOutputStream(file)) {
            ledger.writeSnapshot(out);
        }
        long counted = Files.size(file);
        Files.delete(file);
        Files.delete(dir);
        System.out.printf(Locale.ROOT, "snapshot: %.0f MiB%n", mib(counted));
    }

    /** "24h", "60m", "3600s" as ms. */
    private static long parseDuration(String s) {
        long unit = s.endsWith("h") ? 3_600_000 : s.endsWith("m") ? 60_000 : s.endsWith("s") ? 1_000 : 1;
        return Long.parseLong(s.replaceAll("[hms]$", "")) * unit;
    }

    /** Heap in use after full collections (System.gc() is a full GC with the serial and G1 collectors). */
    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static double mib(long bytes) {
        return bytes / MIB;
    }
}
