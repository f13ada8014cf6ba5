package dev.raftledger.raftd.bench;

import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.it.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a durable save of the term and vote takes ({@code HardStateStore.save}): a candidate
 * makes one before it asks for votes, and each voter one before it answers, so two of them lie
 * on the path of every election and every leadership transfer. Saves {@code --saves N} (default
 * 200) states in a data dir under {@code target/} on the disk the tests use, after 20 unmeasured
 * ones, and prints the percentiles. Run it after {@code mvn -DskipTests package} (docs/benchmarks.md).
 */
public final class HardStateBenchmark {

    private HardStateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int saves = BenchArgs.integer(args, "--saves", 200);
        Path path = Path.of("target", "bench-hardstate").toAbsolutePath();
        LocalCluster.deleteRecursively(path);
        System.out.println("machine: " + Machine.describe());
        System.out.println("data dir: " + path);
        List<Double> ms = new ArrayList<>();
        try (DataDir dir = DataDir.open(path)) {
            HardStateStore store = HardStateStore.open(dir, "Node1");
            for (int i = 1; i <= saves + 20; i++) {
                long t0 = System.nanoTime();
                store.save(new HardState(i, i % 2 == 0 ? "Node2" : null));
                if (i > 20) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        System.out.println("hard state save (write and sync): " + new Percentiles(ms).summary());
    }
}
