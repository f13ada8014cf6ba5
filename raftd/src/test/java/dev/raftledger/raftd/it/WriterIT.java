package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five raftd processes with a cluster key: a write sealed with the node key is recorded as made
 * by "node" on every replica (the name travels in the log entry, never from a node's own state),
 * and LOG shows the stamp; a write that says who made it is refused and reaches no log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriterIT {

    private LocalCluster cluster;
    private ClusterAuth auth;

    @BeforeEach
    void start() throws Exception {
        Path dir = Path.of("target", "it", "WriterIT");
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("cluster.key").toAbsolutePath();
        Files.writeString(keyFile, "5f1c0a9e2d7b48c3a6e1f0d9b8c7a6e5f4d3c2b1a09f8e7d6c5b4a3928170615\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        auth = ClusterAuth.fromFile(keyFile);
        cluster = LocalCluster.localFive(dir, "--cluster-key-file", keyFile.toString()).useAuth(auth).startAll();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static ObjectNode add(long seq) {
        ObjectNode cmd = Codec.objectNode();
        cmd.put("op", "add");
        cmd.put("client_id", "writer-it");
        cmd.put("seq", seq);
        cmd.put("amount", "12.50");
        cmd.put("currency", "EUR");
        cmd.put("category", "food");
        cmd.put("payer", "ana");
        cmd.put("date", "2026-11-25");
        return cmd;
    }

    @Test
    void everyReplicaRecordsTheWriterFromTheLog() throws Exception {
        // every member must have said it reads stamps (a heartbeat round) before names are stamped
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        NodeAddress l = cluster.spec().node(leader.leader()).orElseThrow();
        ControllerClient signed = new ControllerClient(Duration.ofSeconds(2), 1, auth);

        ObjectNode forged = add(1);
        forged.put("by", "alice");
        Answer refused = signed.ask(l, new ControllerMessage("Controller", "EXPENSE", null, null, forged));
        assertEquals("ERROR", refused.reply().request(), refused.toString());
        assertEquals("INVALID", refused.reply().keyText(), refused.toString());

        Answer written = signed.ask(l, new ControllerMessage("Controller", "EXPENSE", null, null, add(2)));
        JsonNode result = written.reply().value();
        assertTrue(result.get("ok").asBoolean(), written.toString());
        assertEquals("node", result.get("expense").get("created_by").asText(), written.toString());
        String id = result.get("id").asText();

        JsonNode query = Codec.readTree("{\"query\":\"list\",\"stale\":true}");
        for (String n : cluster.names()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode expenses;
            do {
                Answer a = cluster.ask(n, new ControllerMessage("Controller", "EXPENSES", null, null, query),
                        Duration.ofSeconds(1));
                expenses = a.answered() ? a.reply().value().get("expenses") : null;
                if (expenses != null && expenses.size() == 1) {
                    break;
                }
                LocalCluster.pause();
            } while (System.nanoTime() < deadline);
            assertTrue(expenses != null && expenses.size() == 1, n + ": " + expenses);
            assertEquals(id, expenses.get(0).get("id").asText());
            assertEquals("node", expenses.get(0).get("created_by").asText(), n + ": " + expenses);
            assertEquals("node", expenses.get(0).get("updated_by").asText(), n + ": " + expenses);
        }

        Answer log = cluster.ask(leader.leader(), new ControllerMessage("Controller", "LOG", null, null,
                Codec.readTree("{\"from\":0,\"limit\":100}")), Duration.ofSeconds(2));
        boolean stamped = false;
        for (JsonNode e : log.reply().value().get("entries")) {
            JsonNode data = e.get("data");
            if (data.has("op")) {
                assertFalse(data.get("seq").asLong() == 1, "the refused write reached the log: " + data);
                assertEquals("node", data.get("by").asText(), data.toString());
                stamped = true;
            }
        }
        assertTrue(stamped, log.toString());
    }
}
