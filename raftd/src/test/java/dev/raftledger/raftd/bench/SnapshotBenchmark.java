package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.store.snapshot.LatestSnapshot;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotReader;
import dev.raftledger.raftd.it.LocalCluster;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a snapshot of a large ledger costs (issue 6, docs/benchmarks.md "Snapshots"): builds a
 * ledger of N expenses through real commands ({@link LedgerFiller}), then measures its heap,
 * {@link Ledger#copy()} (what the event loop pays), {@link Ledger#writeSnapshot} into a
 * {@link SnapshotStore} (file, fsync, rename: what the snapshot thread pays), loading it back
 * with {@link SnapshotStore#latest()} and {@link Ledger#readSnapshot} from the payload stream
 * (what a restart or an installing follower pays, digest checked), and for comparison the tree
 * path ({@link Ledger#toSnapshot()}, {@link Ledger#fromSnapshot}) where it fits in the heap.
 * No sockets, no cluster: it runs in one JVM, whose heap flags decide what fits.
 *
 * <p>Arguments: {@code --expenses N} (default 1,000,000), {@code --clients C} (5,000),
 * {@code --dir D} (the snapshot directory; default a new one under target/, deleted at the
 * end), {@code --no-tree} (skip the tree comparison).
 */
public final class SnapshotBenchmark {

    private static final double MIB = 1024.0 * 1024.0;

    private SnapshotBenchmark() {}

    public static void main(String[] args) throws Exception {
        int expenses = Integer.parseInt(BenchArgs.string(args, "--expenses", "1000000").replace("_", "").replace(",", ""));
        int clients = Integer.parseInt(BenchArgs.string(args, "--clients", "5000"));
        boolean tree = !List.of(args).contains("--no-tree");
        String dirArg = BenchArgs.string(args, "--dir", null);
        Path dir = dirArg != null ? Path.of(dirArg)
                : Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-snapshots-");

        System.out.println("machine: " + Machine.describe());
        System.out.println("jvm: max heap " + mib(Runtime.getRuntime().maxMemory()) + " MiB, GC "
                + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(" + ")) + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("load average at start: " + loadAverage());
        long baseline = usedAfterGc();

        long t = System.nanoTime();
        LedgerFiller filler = new LedgerFiller(clients);
        Ledger ledger = filler.fill(expenses);
        System.out.printf(Locale.ROOT, "build: %,d expenses in %.1f s (%s)%n", ledger.size(), secs(t), filler.mix());
        long withLedger = usedAfterGc();
        System.out.printf(Locale.ROOT, "ledger heap (after GC): %.0f MiB, %.0f bytes per expense%n",
                mib(withLedger - baseline), (double) (withLedger - baseline) / ledger.size());

        // the event loop's part: copies are taken again and again on a node, so the JIT is warm
        List<Double> copyMs = new ArrayList<>();
        Ledger copy = null;
        for (int i = 0; i < 5; i++) {
            copy = null;
            usedAfterGc(); // each copy starts on a collected heap, as its allocation is measured below
            t = System.nanoTime();
            copy = ledger.copy();
            copyMs.add(ms(t));
        }
        long withCopy = usedAfterGc();
        List<Double> sorted = new ArrayList<>(copyMs);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "copy(): first %.1f ms, then median %.1f ms, min %.1f ms (5 copies: %s); "
                + "a copy holds %.0f MiB (its two maps; records shared)%n", copyMs.get(0), sorted.get(2), sorted.get(0),
                copyMs.stream().map(m -> String.format(Locale.ROOT, "%.1f", m)).collect(Collectors.joining(", ")),
                mib(withCopy - withLedger));

        t = System.nanoTime();
        String digest = ledger.stateDigest();
        System.out.printf(Locale.ROOT, "stateDigest() (streamed into SHA-256): %.2f s%n", secs(t));

        t = System.nanoTime();
        long counted = countWritten(copy);
        double serializeS = secs(t);
        System.out.printf(Locale.ROOT, "writeSnapshot to a null stream (serializing only): %.2f s, %,d bytes, %.0f MB/s%n",
                serializeS, counted, counted / 1e6 / serializeS);

        SnapshotStore store = SnapshotStore.open(dir);
        Ledger toWrite = copy;
        t = System.nanoTime();
        SnapshotMeta meta = store.save(ledger.appliedIndex(), ledger.appliedTerm(), "", toWrite::writeSnapshot);
        double writeS = secs(t);
        System.out.printf(Locale.ROOT, "writeSnapshot into SnapshotStore.save (file, fsync, rename): %.2f s, %,d bytes"
                + " (%.1f MiB, %.0f bytes per expense), %.0f MB/s%n", writeS, meta.payloadSize(),
                mib(meta.payloadSize()), (double) meta.payloadSize() / ledger.size(), meta.payloadSize() / 1e6 / writeS);

        // what a restart or an installing follower holds: the restored ledger alone
        copy = null;
        toWrite = null;
        ledger = null;
        filler = null; // it holds the ledger too
        long empty = usedAfterGc();

        t = System.nanoTime();
        LatestSnapshot latest = store.latest();
        SnapshotMeta found = latest.snapshot().orElseThrow(() -> new IllegalStateException("no snapshot found"));
        System.out.printf(Locale.ROOT, "SnapshotStore.latest() (reads the whole file to check its CRC): %.2f s%n", secs(t));
        t = System.nanoTime();
        Ledger restored;
        try (SnapshotReader r = store.openReader(found); InputStream in = r.payloadStream()) {
            restored = Ledger.readSnapshot(in);
        }
        double readS = secs(t);
        long withRestored = usedAfterGc();
        String restoredDigest = restored.stateDigest();
        if (!restoredDigest.equals(digest)) {
            throw new IllegalStateException("the restored ledger's digest " + restoredDigest + " is not the original's " + digest);
        }
        System.out.printf(Locale.ROOT, "readSnapshot from payloadStream(): %.2f s (%.0f MB/s), %,d expenses, heap %.0f MiB;"
                + " digest equal (%s...)%n", readS, found.payloadSize() / 1e6 / readS, restored.size(),
                mib(withRestored - empty), digest.substring(0, 16));

        secondLedger(store, found, empty, restored);
        if (tree) {
            treeComparison(restored, store, found);
        }
        System.out.println("load average at end: " + loadAverage());
        if (dirArg == null) {
            LocalCluster.deleteRecursively(dir);
        }
    }

    /**
     * A follower installing a snapshot over a state as large as the snapshot's holds both until
     * it swaps them: does that fit?
     */
    private static void secondLedger(SnapshotStore store, SnapshotMeta meta, long empty, Ledger first) throws Exception {
        long t = System.nanoTime();
        try (SnapshotReader r = store.openReader(meta); InputStream in = r.payloadStream()) {
            Ledger second = Ledger.readSnapshot(in);
            double s = secs(t);
            System.out.printf(Locale.ROOT, "a second ledger read while the first is held (a follower installing a snapshot"
                    + " over a state as large): fits, %.2f s, both %.0f MiB%n", s, mib(usedAfterGc() - empty));
            if (second.size() != first.size()) { // (and both are live until here)
                throw new IllegalStateException("the second ledger holds " + second.size() + " expenses, not " + first.size());
            }
        } catch (OutOfMemoryError e) {
            System.out.printf(Locale.ROOT, "a second ledger read while the first is held (a follower installing a snapshot"
                    + " over a state as large): does not fit in this heap (OutOfMemoryError after %.1f s)%n", secs(t));
        }
    }

    /** The tree path, for comparison: each step may not fit in the heap, which is then reported. */
    private static void treeComparison(Ledger ledger, SnapshotStore store, SnapshotMeta meta) throws Exception {
        long before = usedAfterGc();
        long t = System.nanoTime();
        try {
            ObjectNode tree = ledger.toSnapshot();
            double buildS = secs(t);
            long withTree = usedAfterGc();
            t = System.nanoTime();
            long bytes;
            try (CountingStream out = new CountingStream(); com.fasterxml.jackson.core.JsonGenerator g = Codec.generator(out)) {
                Codec.writeValue(g, tree);
                g.flush();
                bytes = out.count;
            }
            System.out.printf(Locale.ROOT, "tree path: toSnapshot() %.2f s, the tree holds %.0f MiB; Codec.writeValue to a"
                    + " null stream %.2f s (%,d bytes)%n", buildS, mib(withTree - before), secs(t), bytes);
            tree = null;
        } catch (OutOfMemoryError e) {
            System.out.printf(Locale.ROOT, "tree path: toSnapshot() does not fit in this heap (OutOfMemoryError after %.1f s)%n", secs(t));
        }
        usedAfterGc();
        t = System.nanoTime();
        try (SnapshotReader r = store.openReader(meta); InputStream in = r.payloadStream()) {
            JsonNode tree;
            try (com.fasterxml.jackson.core.JsonParser p = Codec.parser(in)) {
                p.nextToken();
                tree = Codec.readValue(p);
            }
            Ledger back = Ledger.fromSnapshot(tree);
            System.out.printf(Locale.ROOT, "tree path: Codec.readValue + fromSnapshot %.2f s (%,d expenses)%n", secs(t), back.size());
        } catch (OutOfMemoryError e) {
            System.out.printf(Locale.ROOT, "tree path: Codec.readTree + fromSnapshot does not fit in this heap"
                    + " (OutOfMemoryError after %.1f s)%n", secs(t));
        }
    }

    /** Bytes {@link Ledger#writeSnapshot(OutputStream)} writes, without keeping them. */
    private static long countWritten(Ledger l) throws IOException {
        try (CountingStream out = new CountingStream()) {
            l.writeSnapshot(out);
            return out.count;
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
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

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double mib(long bytes) {
        return bytes / MIB;
    }
}
