package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGHUP on a running raftd: without a key the node says there is nothing to reload and carries
 * on; with one, a bad keys file is refused (logged, counted, the keyring in force stays), and a
 * good operators file adds and revokes an operator at once. One node on 127.0.0.46, away from
 * the seed's addresses and ports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyringReloadIT {

    private static final Ports PORTS = new Ports(19100, 19101, 19102, 15655);
    private static final String KEY = "4e10" + "ad".repeat(30);

    @Test
    void withoutAKeySighupIsLoggedAndTheNodeCarriesOn() throws Exception {
        Path dir = Path.of("target", "it", "KeyringReloadIT-keyless").toAbsolutePath();
        try (LocalCluster node = LocalCluster.on(dir, "127.0.0.46", 1, PORTS).startAll()) {
            node.awaitUnanimousLeader(node.names(), Duration.ofSeconds(10));
            node.signal("Node1", "HUP");
            node.signal("Node1", "HUP");
            awaitLog(node, "nothing to reload", 2);
            JsonNode status = node.awaitStatus("Node1", Duration.ofSeconds(5));
            assertTrue(node.isRunning("Node1"));
            assertFalse(status.has("keyring"), status.toString());
        }
    }

    @Test
    void aBadFileIsRefusedAndAGoodOneAddsAndRevokesAnOperatorAtOnce() throws Exception {
        Path dir = Path.of("target", "it", "KeyringReloadIT-keyed").toAbsolutePath();
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path keys = KeyRotationIT.secretFile(dir.resolve("cluster.keys"), KEY + "\n");
        Path operators = KeyRotationIT.secretFile(dir.resolve("operators"), "ops admin " + KeyRotationIT.secret("ops")
                + "\n");
        ClusterAuth ops = KeyRotationIT.credential(dir, "ops");
        ClusterAuth vic = KeyRotationIT.credential(dir, "vic");
        try (LocalCluster node = LocalCluster.on(dir.resolve("node"), "127.0.0.46", 1, PORTS,
                "--cluster-key-file", keys.toString(), "--operators-file", operators.toString())) {
            node.useAuth(ops).startAll();
            node.awaitUnanimousLeader(node.names(), Duration.ofSeconds(10));
            JsonNode before = node.awaitStatus("Node1", Duration.ofSeconds(5)).get("keyring");

            Files.writeString(keys, KEY + "\n" + "77" + KEY.substring(2) + "\n"); // two keys, none primary
            node.signal("Node1", "HUP");
            JsonNode refused = awaitKeyring(node, k -> k.get("reload_failures").asLong() == 1);
            assertEquals(0, refused.get("reloads").asLong());
            assertEquals(before.get("keys"), refused.get("keys"), "the keyring in force stayed");
            assertEquals(before.get("primary"), refused.get("primary"));
            awaitLog(node, "keyring reload refused, the keyring in force stays", 1);
            assertTrue(Files.readString(node.logFile("Node1")).contains("none is marked primary"), "with the reason");

            Files.writeString(keys, KEY + "\n");
            assertFalse(whoami(node, vic).answered(), "vic is nobody yet");
            Files.writeString(operators, "ops admin " + KeyRotationIT.secret("ops") + "\nvic viewer "
                    + KeyRotationIT.secret("vic") + "\n");
            node.signal("Node1", "HUP");
            awaitKeyring(node, k -> k.get("reloads").asLong() == 1 && k.get("operators").asLong() == 2);
            Answer added = whoami(node, vic);
            assertTrue(added.answered(), added.error());
            assertEquals("viewer", added.reply().value().path("role").asText(), added.reply().toString());

            Files.writeString(operators, "ops admin " + KeyRotationIT.secret("ops") + "\n");
            node.signal("Node1", "HUP");
            awaitKeyring(node, k -> k.get("reloads").asLong() == 2 && k.get("operators").asLong() == 1);
            assertFalse(whoami(node, vic).answered(), "vic's credential is revoked at once");
            assertTrue(node.isRunning("Node1"));
        }
    }

    private static Answer whoami(LocalCluster node, ClusterAuth as) {
        return new ControllerClient(Duration.ofMillis(500), 1, as).ask(node.node("Node1"),
                ControllerMessage.request("WHOAMI"));
    }

    private static JsonNode awaitKeyring(LocalCluster node, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode k = node.awaitStatus("Node1", Duration.ofSeconds(5)).get("keyring");
            if (done.test(k)) {
                return k;
            }
            assertTrue(System.nanoTime() < deadline, "the keyring did not change as expected: " + k);
            LocalCluster.pause();
        }
    }

    private static void awaitLog(LocalCluster node, String text, int times) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> lines = Files.readAllLines(node.logFile("Node1")).stream().filter(l -> l.contains(text)).toList();
            if (lines.size() >= times) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the log does not say '" + text + "' " + times + " times");
            LocalCluster.pause();
        }
    }
}
