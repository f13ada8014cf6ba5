package dev.raftledger.raftctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every raftctl command with --json, against fake nodes, in its usual and its failure shapes:
 * each line of output must match the command's schema in docs/json-schemas (field names, JSON
 * types, nothing undeclared, nothing missing), so renaming, dropping or retyping a field fails
 * here. Commands documented to print no document when they fail are checked for exactly that.
 */
class JsonSchemaTest {

    @TempDir
    Path home;

    private final JsonSchemas schemas = JsonSchemas.load();

    /**
     * One run: {@code setUp} prepares the fake cluster (and files in home) and returns the
     * command line after the global options; {@code schema} null means no document may be printed.
     */
    private record Case(String name, String schema, int exit, BiFunction<FakeCluster, Path, String[]> setUp) {}

    private static String[] words(String... w) {
        return w;
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("status", "status.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("status");
        }));
        c.add(new Case("status with a node down and one refusing", "status.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node2").silent();
            f.node("Node3").replyWith(r -> f.node("Node3").error("UNKNOWN_REQUEST", "no STATUS here"));
            f.node("Node4").heartbeatAgeMs(null);
            return words("status");
        }));
        c.add(new Case("status, nobody answers", "status.json", 1, (f, h) -> {
            f.nodes().forEach(FakeNode::silent);
            return words("status");
        }));
        c.add(new Case("watch, with events", "watch.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node2").once("STATUS", r -> null).once("STATUS", r -> null);
            return words("watch", "--count", "2", "--interval", "10");
        }));
        c.add(new Case("leader", "leader.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("leader");
        }));
        c.add(new Case("leader, disputed", "leader.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node2").leader("Node2").term(4);
            f.node("Node5").silent();
            return words("leader");
        }));
        c.add(new Case("health", "health.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("health");
        }));
        c.add(new Case("health, unhealthy", "health.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            List.of("Node1", "Node2", "Node3").forEach(n -> f.node(n).silent());
            return words("health");
        }));
        c.add(new Case("health, degraded", "health.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node2").silent();
            f.node("Node3").state("pre-candidate").leader(null).heartbeatAgeMs(null);
            f.node("Node1").heard("Node4", 9_000).heard("Node5", -1);
            return words("health");
        }));
        c.add(new Case("health --strict, degraded", "health.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            f.log().appendNoop(3);
            f.log().appendNoop(3);
            f.node("Node4").behind(2);
            return words("health", "--strict", "--max-lag", "1");
        }));
        c.add(new Case("watch, degraded", "watch.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node3").state("candidate").term(4).leader(null);
            return words("watch", "--count", "1");
        }));
        c.add(new Case("health --node", "health-node.json", 0, (f, h) -> words("health", "--node", "Node2")));
        c.add(new Case("health --node, down", "health-node.json", 1, (f, h) -> {
            f.node("Node2").silent();
            return words("health", "--node", "Node2");
        }));
        c.add(new Case("wait-leader", "wait-leader.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("wait-leader");
        }));
        c.add(new Case("wait-leader, none in time", "wait-leader.json", 1, (f, h) -> words("wait-leader", "--timeout", "100ms")));
        c.add(new Case("snapshot", "snapshot.json", 0, (f, h) -> words("snapshot", "Node2")));
        c.add(new Case("snapshot, node down", "snapshot.json", 1, (f, h) -> {
            f.node("Node2").silent();
            return words("snapshot", "Node2", "--wait", "200ms");
        }));
        c.add(new Case("transfer-leader", "transfer-leader.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node1").once("TRANSFER_LEADER", r -> {
                dev.raftledger.common.wire.ControllerMessage reply = f.node("Node1").transferring(r);
                f.electLeader("Node2", 4);
                return reply;
            });
            return words("transfer-leader", "--to", "Node2");
        }));
        c.add(new Case("transfer-leader, no new leader in time", "transfer-leader.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("transfer-leader", "--timeout", "100ms");
        }));
        c.add(new Case("transfer-leader, no leader", "transfer-leader.json", 1, (f, h) -> words("transfer-leader")));
        c.add(new Case("timeout", "node-request.json", 0, (f, h) -> words("timeout", "Node2")));
        c.add(new Case("convert-follower", "node-request.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("convert-follower", "Node1");
        }));
        c.add(new Case("shutdown", "node-request.json", 0, (f, h) -> words("shutdown", "Node3")));
        c.add(new Case("kill, no answer", "node-request.json", 1, (f, h) -> {
            f.node("Node3").silent();
            return words("kill", "Node3");
        }));
        c.add(new Case("store", "store.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("store", "k", "v");
        }));
        c.add(new Case("retrieve", "retrieve.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.log().appendStore(3, TextNode.valueOf("k"), TextNode.valueOf("v"));
            return words("retrieve");
        }));
        c.add(new Case("expense add", "expense-write.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("expense", "add", "--amount", "12.5", "--currency", "EUR", "--category", "food", "--payer", "ana",
                    "--description", "lunch", "--date", "2026-11-25");
        }));
        c.add(new Case("expense edit", "expense-write.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            String id = f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            return words("expense", "edit", id, "--payer", "bo");
        }));
        c.add(new Case("expense rm", "expense-write.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            String id = f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            return words("expense", "rm", id);
        }));
        c.add(new Case("expense rm, refused by the ledger", "expense-write.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("expense", "rm", "E99");
        }));
        c.add(new Case("expense add, no leader", "expense-write.json", 1, (f, h) -> words("expense", "add", "--amount", "1",
                "--currency", "EUR", "--category", "x", "--payer", "ana")));
        c.add(new Case("expense list", "expense-list.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            f.seed("2026-11-26", "1000", "JPY", "food", "bo", "");
            return words("expense", "list", "--limit", "1");
        }));
        c.add(new Case("expense list, writers recorded (a cluster with keys)", "expense-list.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.seedBy("alice", "2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            f.seed("2026-11-26", "1000", "JPY", "food", "bo", "");
            return words("expense", "list");
        }));
        c.add(new Case("expense list --stale", "expense-list.json", 0, (f, h) -> {
            f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            return words("expense", "ls", "--stale");
        }));
        c.add(new Case("expense report", "expense-report.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            f.seed("2026-12-01", "1000", "JPY", "food", "bo", "");
            f.seed("2026-12-02", "3", "USD", "coffee", "bo", "");
            return words("expense", "report", "--by", "month");
        }));
        c.add(new Case("log", "log.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.log().appendStore(3, TextNode.valueOf("k"), TextNode.valueOf("v"));
            f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            f.seedBy("alice", "2026-11-26", "1.00", "EUR", "food", "ana", "");
            return words("log");
        }));
        c.add(new Case("import, some rows skipped", "import.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("import", write(h, "date,amount,currency,category,payer\n2026-11-25,12.50,EUR,food,ana\n"
                    + "2026-11-26,-3,EUR,food,ana\n"));
        }));
        c.add(new Case("import, stopped", "import.json", 1, (f, h) -> words("--write-timeout-ms", "300", "import",
                write(h, "date,amount,currency,category,payer\n2026-11-25,12.50,EUR,food,ana\n2026-11-26,3,EUR,food,ana\n"))));
        c.add(new Case("export --format json", "export.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
            f.seedBy("alice", "2026-11-26", "1.00", "EUR", "food", "ana", "");
            return words("export", "--format", "json");
        }));
        c.add(new Case("export with --json", "export.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("export");
        }));
        c.add(new Case("member list", "member-list.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.log().members.add("Node6", "127.0.0.26", "learner");
            return words("member", "list");
        }));
        c.add(new Case("member list --node, a follower", "member-list.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("member", "list", "--node", "Node2");
        }));
        c.add(new Case("member add", "member-change.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("member", "add", "Node6", "127.0.0.26");
        }));
        c.add(new Case("member promote, refused", "member-change.json", 1, (f, h) -> {
            f.electLeader("Node1", 3);
            f.log().members.add("Node6", "127.0.0.26", "learner");
            f.log().members.lag("Node6", 500);
            return words("member", "promote", "Node6");
        }));
        c.add(new Case("member remove", "member-change.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            return words("member", "remove", "Node5");
        }));
        c.add(new Case("member remove, no leader", "member-change.json", 1, (f, h) -> words("member", "remove", "Node5")));
        c.add(new Case("member survivors", "member-survivors.json", 0, (f, h) -> {
            f.electLeader("Node1", 3);
            f.node("Node4").silent();
            return words("member", "survivors");
        }));
        c.add(new Case("member survivors, nobody answers", "member-survivors.json", 1, (f, h) -> {
            f.nodes().forEach(FakeNode::silent);
            return words("member", "survivors");
        }));
        c.add(new Case("backup inspect", "backup.json", 0, (f, h) -> words("backup", "inspect", backup(h, false))));
        c.add(new Case("backup inspect, damaged", "backup.json", 1, (f, h) -> words("backup", "inspect", backup(h, true))));
        c.add(new Case("backup save, node down", "backup.json", 1, (f, h) -> {
            f.node("Node2").silent();
            return words("backup", "save", "--node", "Node2", "--wait", "200ms", h.resolve("new.backup").toString());
        }));
        c.add(new Case("whoami", "whoami.json", 0, (f, h) -> words("whoami")));
        c.add(new Case("whoami with a credential, a node down", "whoami.json", 0, (f, h) -> {
            f.nodes().forEach(n -> n.keyed(dev.raftledger.raftctl.keys.KeysFixtures.nodeKeys()));
            f.node("Node1").silent();
            return words("--credential-file", dev.raftledger.raftctl.keys.KeysFixtures.aliceFile(h), "whoami");
        }));
        c.add(new Case("whoami, nobody answers", "whoami.json", 1, (f, h) -> {
            f.nodes().forEach(FakeNode::silent);
            return words("whoami");
        }));
        c.add(new Case("keyring status", "keyring-status.json", 0, (f, h) -> {
            f.nodes().forEach(n -> n.keyring(dev.raftledger.raftctl.keys.KeysFixtures.ring("1111111111111111")));
            return words("keyring", "status");
        }));
        c.add(new Case("keyring status, inconsistent, a node down, one without a key", "keyring-status.json", 3, (f, h) -> {
            f.nodes().forEach(n -> n.keyring(dev.raftledger.raftctl.keys.KeysFixtures.ring("1111111111111111")));
            f.node("Node2").keyring(dev.raftledger.raftctl.keys.KeysFixtures.ring("2222222222222222"));
            f.node("Node3").keyring(null);
            f.node("Node4").silent();
            return words("keyring", "status");
        }));
        c.add(new Case("keyring new", "keyring-new.json", 0, (f, h) -> words("keyring", "new")));
        c.add(new Case("credential new", "credential-new.json", 0, (f, h) -> words("credential", "new", "ci", "--role",
                "viewer", "--out", h.resolve("ci.cred").toString())));
        // docs/raftctl.md, "Errors": these print no document, only the error line on stderr
        c.add(new Case("retrieve, no leader", null, 1, (f, h) -> words("retrieve")));
        c.add(new Case("store, no leader", null, 1, (f, h) -> words("store", "k", "v")));
        c.add(new Case("expense list, no leader", null, 1, (f, h) -> words("expense", "list")));
        c.add(new Case("expense report, no leader", null, 1, (f, h) -> words("expense", "report", "--by", "payer")));
        c.add(new Case("log, no leader", null, 1, (f, h) -> words("log")));
        c.add(new Case("member list, no leader", null, 1, (f, h) -> words("member", "list")));
        c.add(new Case("export, no leader", null, 1, (f, h) -> words("export")));
        c.add(new Case("a usage error", null, 2, (f, h) -> words("timeout", "Node9")));
        return c;
    }

    /**
     * A small backup file made by hand (docs/design.md, "Backup, restore and disaster recovery":
     * the backup header, then a snapshot file of two expenses); {@code damaged}: a payload byte flipped.
     */
    static String backup(Path home, boolean damaged) {
        String payload = "{\"format\":1,\"ledger\":{\"format\":1,\"applied_index\":3,\"applied_term\":1,\"expenses\":["
                + "{\"id\":\"E1\",\"amount\":\"1.50\",\"currency\":\"EUR\",\"category\":\"food\",\"description\":\"\","
                + "\"payer\":\"ann\",\"date\":\"2026-11-25\",\"created_term\":1,\"created_index\":1,\"updated_term\":1,"
                + "\"updated_index\":1},"
                + "{\"id\":\"E2\",\"amount\":\"2.00\",\"currency\":\"EUR\",\"category\":\"food\",\"description\":\"\","
                + "\"payer\":\"bob\",\"date\":\"2026-11-25\",\"created_term\":1,\"created_index\":2,\"updated_term\":1,"
                + "\"updated_index\":2}],\"sessions\":[]},\"stores\":[{\"term\":1,\"key\":\"k\",\"value\":\"v\"}]}";
        byte[] body = payload.getBytes(UTF_8);
        byte[] config = "{\"members\":[{\"name\":\"Node1\",\"host\":\"127.0.0.1\",\"role\":\"voter\"}]}".getBytes(UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        java.nio.ByteBuffer snap = java.nio.ByteBuffer.allocate(44 + config.length + body.length);
        snap.putInt(0x524C534E).putInt(1).putLong(3).putLong(1).putLong(body.length).putInt((int) crc.getValue())
                .putInt(config.length).put(config);
        java.util.zip.CRC32C head = new java.util.zip.CRC32C();
        head.update(snap.array(), 0, 40 + config.length);
        snap.putInt((int) head.getValue()).put(body);
        byte[] prefix = dev.raftledger.common.backup.BackupFile.prefix(
                new dev.raftledger.common.backup.BackupFile.Description("0123456789abcdef", "Node1", 1_796_655_600_000L, "0.1.0"));
        byte[] all = new byte[prefix.length + snap.capacity()];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(snap.array(), 0, all, prefix.length, snap.capacity());
        if (damaged) {
            all[all.length - 20] ^= 0x01;
        }
        try {
            Path file = Files.createTempFile(home, "backup", ".backup");
            Files.write(file, all);
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String write(Path home, String csv) {
        try {
            Path file = Files.createTempFile(home, "import", ".csv");
            Files.writeString(file, csv, UTF_8);
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommandsJsonMatchesItsSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c)));
        }
        tests.add(DynamicTest.dynamicTest("every command's schema is exercised", () -> {
            Set<String> exercised = new TreeSet<>();
            cases().stream().filter(c -> c.schema() != null).forEach(c -> exercised.add(c.schema()));
            Set<String> commandSchemas = new TreeSet<>();
            schemas.files().forEach((file, s) -> {
                if (s.path("x-raftctl-commands").size() > 0) {
                    commandSchemas.add(file);
                }
            });
            assertEquals(commandSchemas, exercised);
        }));
        return tests.stream();
    }

    private void run(Case c) throws Exception {
        try (FakeCluster cluster = FakeCluster.start(5)) {
            String[] command = c.setUp().apply(cluster, home);
            List<String> args = new ArrayList<>(List.of(cluster.args("--json")));
            args.addAll(List.of(command));
            Run run = Run.of(home, args.toArray(new String[0]));

            assertEquals(c.exit(), run.code(), "exit status; stderr: " + run.err());
            List<String> lines = run.out().lines().toList();
            if (c.schema() == null) {
                assertEquals(List.of(), lines, "no document when it fails");
                assertFalse(run.err().isBlank(), "the error line goes to stderr");
                return;
            }
            assertFalse(lines.isEmpty(), "a document; stderr: " + run.err());
            for (String line : lines) {
                JsonNode doc = Codec.readTree(line);
                assertEquals(List.of(), schemas.check(c.schema(), doc), c.schema() + " vs " + line);
            }
            assertTrue(run.noStackTrace(), run.err());
        }
    }
}
