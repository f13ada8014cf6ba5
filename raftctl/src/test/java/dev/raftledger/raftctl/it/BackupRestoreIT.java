package dev.raftledger.raftctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.backup.ExpensesDigest;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Run;
import dev.raftledger.raftd.it.LedgerClient;
import dev.raftledger.raftd.it.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore with five real raftd processes on 127.0.0.81-85: write, back up (raftctl
 * backup save), write more, kill every node and delete every data dir, restore all five
 * (raftd restore), start them, and the ledger is exactly the backup's (the expenses' digest),
 * then takes writes; a node of the old cluster, started again from a copy of its old data dir,
 * can neither be heard by the restored cluster nor hear it (cluster ids). Also raftctl backup
 * inspect of the backup, a truncated copy and a foreign file.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BackupRestoreIT {

    @TempDir
    Path home;

    @TempDir
    Path work;

    private Run raftctl(String spec, String... args) {
        List<String> all = new ArrayList<>(List.of("--cluster", spec));
        all.addAll(List.of(args));
        return Run.of(home, all.toArray(String[]::new));
    }

    private static final Path RAFTD = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize()
            .resolve("raftd/target/raftd");

    /** The raftd launcher with {@code args} (restore, recover: they start no node); its exit status. */
    static int raftd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RAFTD.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "raftd " + args[0] + " finished");
        System.out.println("raftd " + String.join(" ", args) + " -> " + p.exitValue() + ": " + out);
        return p.exitValue();
    }

    /** The digest of every expense the cluster lists (raftctl export), and how many. */
    private String[] clusterDigest(String spec) throws Exception {
        Run export = raftctl(spec, "export", "--format", "json");
        assertEquals(0, export.code(), export.out() + export.err());
        List<Expense> expenses = new ArrayList<>();
        for (JsonNode e : Codec.readTree(export.out())) {
            expenses.add(LedgerCodec.expenseFromJson(e));
        }
        return new String[] {ExpensesDigest.of(expenses), Integer.toString(expenses.size())};
    }

    static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + timeout.toMillis() + " ms: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("raftd.lock")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static long mismatches(LocalCluster cluster, String node) {
        return cluster.awaitStatus(node, Duration.ofSeconds(5)).path("counters").path("cluster_id_mismatches").asLong();
    }

    @Test
    void restoredClusterHoldsExactlyTheBackupTakesWritesAndIgnoresTheOldCluster() throws Exception {
        try (LocalCluster cluster = LocalCluster.on(work.resolve("cluster"), "127.0.0.81", 5, Ports.SEED)) {
            cluster.startAll();
            cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20));
            String spec = cluster.spec().toString();
            LedgerClient writer = new LedgerClient(cluster.spec(), "it-backup-writer");
            for (int i = 1; i <= 30; i++) {
                assertTrue(writer.add(i + ".25", "EUR", "food", "ann").path("ok").asBoolean());
            }
            Run stored = raftctl(spec, "store", "colour", "blue");
            assertEquals(0, stored.code(), stored.out() + stored.err());
            String oldId = Files.readString(cluster.dataDir("Node1").resolve("cluster-id")).strip();

            Path backup = work.resolve("ledger.backup");
            Run saved = raftctl(spec, "--json", "backup", "save", backup.toString());
            assertEquals(0, saved.code(), saved.out() + saved.err());
            assertEquals("", saved.err(), "no progress when stderr is not a terminal");
            JsonNode doc = Codec.readTree(saved.out());
            assertTrue(doc.get("ok").asBoolean(), saved.out());
            assertEquals(30, doc.get("expenses").asInt());
            assertEquals(1, doc.get("stores").asInt());
            assertEquals(5, doc.get("members").size());
            assertEquals(oldId, doc.get("cluster_id").asText());
            assertFalse(Files.exists(work.resolve("ledger.backup.part")), "the .part file was renamed");
            String[] before = clusterDigest(spec);
            assertEquals(before[0], doc.get("expenses_digest").asText(), "the backup holds what the cluster listed");

            Run inspected = raftctl(spec, "backup", "inspect", backup.toString());
            assertEquals(0, inspected.code(), inspected.out() + inspected.err());
            assertTrue(inspected.out().contains("intact backup of "), inspected.out());
            assertTrue(inspected.out().contains("expenses    30 "), inspected.out());
            Run again = raftctl(spec, "backup", "save", backup.toString());
            assertEquals(2, again.code(), "an existing FILE is a usage error: " + again.err());

            for (int i = 1; i <= 10; i++) {
                assertTrue(writer.add("99." + i, "EUR", "after-backup", "bob").path("ok").asBoolean());
            }

            // the whole cluster is lost; Node5's old data dir is kept aside to play the old cluster later
            for (String n : cluster.names()) {
                cluster.kill(n);
            }
            Path oldNode5 = work.resolve("old-Node5");
            copyTree(cluster.dataDir("Node5"), oldNode5);
            for (String n : cluster.names()) {
                deleteTree(cluster.dataDir(n));
            }
            for (String n : cluster.names()) {
                assertEquals(0, raftd("restore", "--from", backup.toString(), "--name", n, "--cluster", spec,
                        "--data-dir", cluster.dataDir(n).toString()));
            }
            String newId = Files.readString(cluster.dataDir("Node1").resolve("cluster-id")).strip();
            assertNotEquals(oldId, newId);
            for (String n : cluster.names()) {
                assertEquals(newId, Files.readString(cluster.dataDir(n).resolve("cluster-id")).strip(), n);
            }

            cluster.startAll();
            String leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20)).leader();
            String[] restored = clusterDigest(spec);
            assertEquals(before[0], restored[0], "the restored ledger is exactly the backup's");
            assertEquals("30", restored[1]);
            Run retrieve = raftctl(spec, "--json", "retrieve");
            assertTrue(retrieve.out().contains("colour"), "the STOREs are back: " + retrieve.out());

            LedgerClient later = new LedgerClient(cluster.spec(), "it-backup-after-restore");
            for (int i = 1; i <= 5; i++) {
                assertTrue(later.add("7." + i, "EUR", "restored", "cy").path("ok").asBoolean());
            }
            assertEquals("35", clusterDigest(spec)[1]);
            assertEquals(0, mismatches(cluster, leader), "only the restored cluster's nodes talk so far");

            // an old node comes back where Node5 was: neither side takes the other's messages
            cluster.kill("Node5");
            deleteTree(cluster.dataDir("Node5"));
            copyTree(oldNode5, cluster.dataDir("Node5"));
            cluster.start("Node5");
            await("the restored nodes drop the old Node5's messages", Duration.ofSeconds(15),
                    () -> cluster.others("Node5").stream().anyMatch(n -> mismatches(cluster, n) > 0));
            await("the old Node5 drops the restored cluster's messages", Duration.ofSeconds(15),
                    () -> mismatches(cluster, "Node5") > 0);
            JsonNode old = cluster.awaitStatus("Node5", Duration.ofSeconds(5));
            assertTrue(old.path("leader").isNull() || old.path("leader").asText().equals("Node5"),
                    "the old node follows no restored leader: " + old);
            assertTrue(later.add("8.00", "EUR", "restored", "cy").path("ok").asBoolean(), "the four still serve");
            assertEquals("36", clusterDigest(spec)[1]);
            assertEquals(oldId, Files.readString(cluster.dataDir("Node5").resolve("cluster-id")).strip());
        }
    }

    @Test
    void inspectTellsAnIntactBackupFromATruncatedOrForeignFile() throws Exception {
        try (LocalCluster cluster = LocalCluster.on(work.resolve("cluster"), "127.0.0.81", 5, Ports.SEED)) {
            cluster.startAll();
            cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20));
            String spec = cluster.spec().toString();
            LedgerClient writer = new LedgerClient(cluster.spec(), "it-inspect-writer");
            for (int i = 1; i <= 5; i++) {
                assertTrue(writer.add(i + ".00", "EUR", "food", "ann").path("ok").asBoolean());
            }
            Path backup = work.resolve("b.backup");
            Run saved = raftctl(spec, "backup", "save", "--node", "Node3", backup.toString());
            assertEquals(0, saved.code(), saved.out() + saved.err());
            assertTrue(saved.out().contains("backup of Node3 saved and checked"), saved.out());

            byte[] all = Files.readAllBytes(backup);
            Path torn = Files.write(work.resolve("torn.backup"), java.util.Arrays.copyOf(all, all.length - 7));
            Run t = raftctl(spec, "--json", "backup", "inspect", torn.toString());
            assertEquals(1, t.code());
            assertFalse(Codec.readTree(t.out()).get("ok").asBoolean());
            assertEquals(1, t.err().strip().lines().count(), t.err());
            assertTrue(t.err().contains("truncated"), t.err());

            byte[] flipped = all.clone();
            flipped[flipped.length - 3] ^= 0x20;
            Path bad = Files.write(work.resolve("flipped.backup"), flipped);
            Run f = raftctl(spec, "backup", "inspect", bad.toString());
            assertEquals(1, f.code());
            assertTrue(f.err().contains("damaged"), f.err());

            Path foreign = Files.writeString(work.resolve("notes.txt"), "not a backup at all\n");
            Run n = raftctl(spec, "backup", "status", foreign.toString());
            assertEquals(1, n.code());
            assertTrue(n.err().contains("not a raftledger backup"), n.err());
            assertTrue(n.noStackTrace());

            Run missing = raftctl(spec, "backup", "inspect", work.resolve("nope").toString());
            assertEquals(2, missing.code(), missing.err());
        }
    }
}
