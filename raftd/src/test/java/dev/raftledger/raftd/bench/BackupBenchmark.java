package dev.raftledger.raftd.bench;

import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.control.StoreEntries;
import dev.raftledger.raftd.driver.snapshot.SnapshotPayload;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prepares a node's data dir holding a ledger of N expenses (built by {@link LedgerFiller}, as
 * {@link SnapshotBenchmark} builds it) as its snapshot, for timing {@code raftctl backup save},
 * {@code backup inspect} and {@code raftd restore} against a real node (docs/benchmarks.md,
 * "Backup and restore"). The data dir must not exist; it gets no cluster id (as one of an older
 * release), which changes nothing measured, and the snapshot's term as its current term, for Node1.
 *
 * <p>Arguments: {@code --expenses N} (default 1,000,000), {@code --clients C} (5,000),
 * {@code --data-dir D} (required).
 */
public final class BackupBenchmark {

    private BackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int expenses = Integer.parseInt(BenchArgs.string(args, "--expenses", "1000000").replace("_", "").replace(",", ""));
        int clients = Integer.parseInt(BenchArgs.string(args, "--clients", "5000"));
        Path dataDir = Path.of(BenchArgs.string(args, "--data-dir", null));
        if (Files.exists(dataDir)) {
            throw new IllegalArgumentException(dataDir + " exists");
        }
        long t = System.nanoTime();
        Ledger ledger = new LedgerFiller(clients).fill(expenses);
        System.out.printf(Locale.ROOT, "build: %,d expenses, %,d sessions in %.1f s%n", ledger.size(),
                ledger.sessions().size(), (System.nanoTime() - t) / 1e9);
        ReplicatedState state = new ReplicatedState(ledger, new StoreEntries());
        SnapshotStore store = SnapshotStore.open(dataDir.resolve("snapshots"));
        t = System.nanoTime();
        SnapshotMeta meta = store.save(ledger.appliedIndex(), ledger.appliedTerm(), "",
                SnapshotPayload.capture(state)::writeTo);
        System.out.printf(Locale.ROOT, "saved the %s in %.1f s to %s%n", meta.describe(), (System.nanoTime() - t) / 1e9,
                store.fileOf(meta));
        // the current term at least the snapshot's, as raftd restore writes it (a term below the
        // log's last would make a new leader's first entry go back in term)
        try (DataDir dir = DataDir.open(dataDir)) {
            HardStateStore.open(dir, "Node1").save(new HardState(ledger.appliedTerm(), null));
        }
    }
}
