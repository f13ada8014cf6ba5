package dev.raftledger.raftctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery with five real raftd processes on 127.0.0.91-95: a follower falls behind
 * (SIGSTOP) while writes go on, every node stops, three data dirs are destroyed (the leader's
 * among them); the two survivors are started, raftctl member survivors names the one that is
 * up to date (not the laggard), raftd recover rebuilds the cluster from it, the other four are
 * restored from its backup, and the restarted cluster holds every acknowledged write and
 * takes new ones.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DisasterRecoveryIT {

    @TempDir
    Path home;

    @TempDir
    Path work;

    private Run raftctl(String spec, String... args) {
        List<String> all = new ArrayList<>(List.of("--cluster", spec));
        all.addAll(List.of(args));
        return Run.of(home, all.toArray(String[]::new));
    }

    private String[] digest(String spec) throws Exception {
        Run export = raftctl(spec, "export", "--format", "json");
        assertEquals(0, export.code(), export.out() + export.err());
        List<Expense> expenses = new ArrayList<>();
        for (JsonNode e : Codec.readTree(export.out())) {
            expenses.add(LedgerCodec.expenseFromJson(e));
        }
        return new String[] {ExpensesDigest.of(expenses), Integer.toString(expenses.size())};
    }

    private static void signal(String sig, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor());
    }

    @Test
    void aMajorityLostForGoodIsRecoveredFromTheMostUpToDateSurvivor() throws Exception {
        try (LocalCluster cluster = LocalCluster.on(work.resolve("cluster"), "127.0.0.91", 5, Ports.SEED)) {
            cluster.startAll();
            String leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20)).leader();
            String spec = cluster.spec().toString();
            LedgerClient writer = new LedgerClient(cluster.spec(), "it-dr-writer");
            for (int i = 1; i <= 20; i++) {
                assertTrue(writer.add(i + ".10", "EUR", "food", "ann").path("ok").asBoolean());
            }
            List<String> followers = cluster.others(leader);
            String laggard = followers.get(3);
            String keeper = followers.get(0);
            signal("STOP", cluster.process(laggard).pid());
            for (int i = 1; i <= 10; i++) {
                assertTrue(writer.add("50." + i, "EUR", "late", "bob").path("ok").asBoolean());
            }
            long committed = cluster.awaitStatus(leader, Duration.ofSeconds(5)).path("commit_index").asLong();
            BackupRestoreIT.await(keeper + " holds every acknowledged write", Duration.ofSeconds(10),
                    () -> cluster.awaitStatus(keeper, Duration.ofSeconds(5)).path("last_log_index").asLong() >= committed);
            String[] acknowledged = digest(spec);
            assertEquals("30", acknowledged[1]);

            for (String n : cluster.names()) {
                cluster.kill(n);
            }
            for (String n : cluster.names()) {
                if (!n.equals(keeper) && !n.equals(laggard)) {
                    BackupRestoreIT.deleteTree(cluster.dataDir(n)); // lost for good, the leader's among them
                }
            }

            cluster.start(keeper);
            cluster.start(laggard);
            cluster.awaitStatus(keeper, Duration.ofSeconds(10));
            cluster.awaitStatus(laggard, Duration.ofSeconds(10));
            Run survivors = raftctl(spec, "--json", "member", "survivors");
            assertEquals(0, survivors.code(), survivors.out() + survivors.err());
            JsonNode s = Codec.readTree(survivors.out());
            assertEquals(keeper, s.get("most_up_to_date").asText(), survivors.out());
            Run text = raftctl(spec, "member", "survivors");
            assertTrue(text.out().contains("most up to date: " + keeper), text.out());
            cluster.kill(keeper);
            cluster.kill(laggard);

            Path backup = work.resolve("recovered.backup");
            assertEquals(0, BackupRestoreIT.raftd("recover", "--data-dir", cluster.dataDir(keeper).toString(), "--name",
                    keeper, "--cluster", spec, "--backup-out", backup.toString()));
            BackupRestoreIT.deleteTree(cluster.dataDir(laggard)); // behind: restored like the lost ones
            for (String n : cluster.others(keeper)) {
                assertEquals(0, BackupRestoreIT.raftd("restore", "--from", backup.toString(), "--name", n, "--cluster",
                        spec, "--data-dir", cluster.dataDir(n).toString()));
            }
            String id = Files.readString(cluster.dataDir(keeper).resolve("cluster-id")).strip();
            for (String n : cluster.names()) {
                assertEquals(id, Files.readString(cluster.dataDir(n).resolve("cluster-id")).strip(), n);
            }

            cluster.startAll();
            cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20));
            String[] recovered = digest(spec);
            assertEquals(acknowledged[0], recovered[0], "every acknowledged write is kept, nothing else appears");
            LedgerClient after = new LedgerClient(cluster.spec(), "it-dr-after");
            for (int i = 1; i <= 3; i++) {
                assertTrue(after.add("9." + i, "EUR", "after", "cy").path("ok").asBoolean());
            }
            assertEquals("33", digest(spec)[1]);
        }
    }
}
