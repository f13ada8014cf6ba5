package dev.raftledger.raftctl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** raftctl keyring status, keyring new and credential new. */
class KeyringCommandTest extends FakeClusterTest {

    static final String K1 = "1111111111111111";
    static final String K2 = "2222222222222222";
    static final String OP = "aaaaaaaaaaaaaaaa";

    static StatusReply.Keyring ring(String primary, List<String> keys) {
        Map<String, Long> opened = new LinkedHashMap<>();
        keys.forEach(k -> opened.put(k, 10L));
        opened.put(OP, 3L);
        return new StatusReply.Keyring(primary, keys, 2L, opened, 0L, 0L);
    }

    @Test
    void consistentKeyringsShowEachNodesTableAndExitZero() throws Exception {
        cluster.nodes().forEach(n -> n.keyring(ring(K1, List.of(K1))));

        Run run = Run.of(home, cluster.args("keyring", "status"));

        assertEquals(0, run.code(), run.out() + run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("Node1: primary " + K1 + ", 1 node key, 2 operators, reloads 0 (0 refused)", lines.get(0));
        assertTrue(lines.get(1).matches("  KEY\\s+KIND\\s+OPENED"), lines.get(1));
        assertTrue(lines.get(2).matches("  " + K1 + "\\s+primary\\s+10"), lines.get(2));
        assertTrue(lines.get(3).matches("  " + OP + "\\s+operator\\s+3"), lines.get(3));
        assertEquals("consistent: every node seals with " + K1 + " and accepts the same 1 node key",
                lines.get(lines.size() - 1));
        assertEquals(5, cluster.received("STATUS").size());
    }

    @Test
    void aPrimaryAnotherNodeDoesNotAcceptExitsThree() throws Exception {
        cluster.nodes().forEach(n -> n.keyring(ring(K1, List.of(K1, K2))));
        cluster.node("Node1").keyring(ring(K2, List.of(K1, K2)));
        cluster.node("Node4").keyring(ring(K1, List.of(K1)));

        Run run = Run.of(home, cluster.args("keyring", "status"));

        assertEquals(3, run.code(), run.out());
        assertTrue(run.out().contains("\n! Node1 seals with " + K2 + ", which Node4 does not accept: Node4 drops Node1's "
                + "datagrams\n"), run.out());
        assertTrue(run.out().endsWith("NOT consistent: 1 problem above (!)\n"), run.out());
    }

    @Test
    void aNodeWithoutAKeyringSaysNoClusterKeyAndASilentOneExitsOne() throws Exception {
        cluster.nodes().forEach(n -> n.keyring(ring(K1, List.of(K1))));
        cluster.node("Node2").keyring(null);

        Run run = Run.of(home, cluster.args("keyring", "status"));
        assertEquals(3, run.code(), run.out());
        assertTrue(run.out().contains("\nNode2: no cluster key\n"), run.out());
        assertTrue(run.out().contains("! Node2 has no cluster key, unlike Node1, Node3, Node4, Node5"), run.out());

        cluster.node("Node2").keyring(ring(K1, List.of(K1))).silent();
        run = Run.of(home, cluster.args("keyring", "status"));
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("\nNode2: no answer (no reply within 200 ms)\n"), run.out());
        assertTrue(run.out().endsWith("not known to be consistent: 4 of 5 nodes reported their keyring\n"), run.out());
    }

    @Test
    void aNodeThatAnswersASealedRequestHasAKeyEvenIfItReportsNoKeyring() throws Exception {
        cluster.nodes().forEach(n -> n.keyed(WhoamiCommandTest.nodeKeys(dev.raftledger.common.auth.Role.CLERK))
                .keyring(ring(K1, List.of(K1))));
        cluster.node("Node2").keyring(null); // a raftd that does not report its keyring
        Path keys = WhoamiCommandTest.secretFile(home, "keys", WhoamiCommandTest.NODE_KEY + "\n");

        Run run = Run.of(home, cluster.args("--cluster-key-file", keys.toString(), "keyring", "status"));

        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("\nNode2: no keyring reported (it answered sealed: it has a key)\n"), run.out());
        assertTrue(run.out().contains("  Node2 answered with a key but reports no keyring"), run.out());
    }

    @Test
    void jsonCarriesEveryNodesKeyringAndTheVerdicts() throws Exception {
        cluster.nodes().forEach(n -> n.keyring(ring(K1, List.of(K1, K2))));
        cluster.node("Node3").keyring(ring(K1, List.of(K1)));

        Run run = Run.of(home, cluster.args("--json", "keyring", "status"));

        assertEquals(3, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertFalse(doc.get("consistent").asBoolean());
        assertEquals(5, doc.get("answering").asInt());
        JsonNode n1 = doc.get("nodes").get(0);
        assertEquals(K1, n1.get("primary").asText());
        assertEquals(2, n1.get("keys").size());
        assertEquals(3, n1.get("opened_by_key").get(OP).asInt());
        JsonNode v = doc.get("verdicts").get(0);
        assertEquals("partial_key", v.get("kind").asText());
        assertTrue(v.get("problem").asBoolean());
        assertEquals(K2, v.get("key").asText());
        assertEquals("[\"Node1\",\"Node2\",\"Node4\",\"Node5\"]", v.get("nodes").toString());
    }

    @Test
    void keyringNewPrintsAFreshSecretAndItsFingerprintWithoutTouchingTheCluster() throws Exception {
        // a broken key file in the environment does not matter to an offline command
        Run a = Run.of(Run.environment(Map.of("RAFT_CLUSTER_KEY_FILE", "/nonexistent/key"), home),
                cluster.args("keyring", "new"));
        Run b = Run.of(home, cluster.args("keyring", "new"));

        assertEquals(0, a.code(), a.err());
        String secret = a.out().strip();
        assertTrue(secret.matches("[0-9a-f]{64}"), secret);
        assertNotEquals(secret, b.out().strip(), "fresh every time");
        assertTrue(a.err().startsWith("fingerprint " + Key.fingerprintOf(secret) + ": add the secret to every node's "
                + "keys file"), a.err());
        // the secret makes a key the nodes accept
        Path keys = WhoamiCommandTest.secretFile(home, "keys", secret + " primary\n");
        assertEquals(Key.fingerprintOf(secret), Keyring.forNode(keys, null).primary().fingerprint());
        assertTrue(cluster.nothingReceived());

        Run json = Run.of(home, cluster.args("--json", "keyring", "new"));
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(Key.fingerprintOf(doc.get("secret").asText()), doc.get("fingerprint").asText());
    }

    @Test
    void credentialNewWritesAPrivateFileAndPrintsTheOperatorsLineThatMakeAWorkingCredential() throws Exception {
        Path out = home.resolve("ci.cred");

        Run run = Run.of(home, cluster.args("credential", "new", "ci", "--role", "viewer", "--out", out.toString()));

        assertEquals(0, run.code(), run.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        String line = run.out().strip();
        String[] w = line.split(" ");
        assertEquals(List.of("ci", "viewer"), List.of(w[0], w[1]));
        assertTrue(w[2].matches("[0-9a-f]{64}"), line);
        assertEquals("ci " + w[2] + "\n", Files.readString(out));
        assertTrue(run.err().startsWith("wrote " + out + " (mode 600): ci's credential, key " + Key.fingerprintOf(w[2])
                + ". Add the line above to every node's operators file, then reload each node"), run.err());
        assertTrue(cluster.nothingReceived());

        // the line in the nodes' operators file, the file in raftctl: the nodes know ci as a viewer
        Path operators = WhoamiCommandTest.secretFile(home, "operators", line + "\n");
        Path keys = WhoamiCommandTest.secretFile(home, "keys", WhoamiCommandTest.NODE_KEY + "\n");
        Keyring nodes = Keyring.forNode(keys, operators);
        cluster.nodes().forEach(n -> n.keyed(nodes));
        Run whoami = Run.of(home, cluster.args("--credential-file", out.toString(), "whoami"));
        assertEquals(0, whoami.code(), whoami.err());
        assertTrue(whoami.out().startsWith("ci (viewer), key " + Key.fingerprintOf(w[2])), whoami.out());
        assertEquals(Identity.operator("ci", Role.VIEWER), cluster.node("Node1").callers().get(0));
    }

    @Test
    void credentialNewNeverOverwritesAndRefusesBadNamesAndRoles() throws Exception {
        Path out = home.resolve("taken.cred");
        Files.writeString(out, "precious\n");

        Run run = Run.of(home, cluster.args("credential", "new", "ci", "--role", "viewer", "--out", out.toString()));
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("raftctl: " + out + " exists; give a new file name (nothing was written)"),
                run.err());
        assertEquals("precious\n", Files.readString(out));
        assertTrue(run.out().isEmpty());

        Path fresh = home.resolve("fresh.cred");
        for (String[] bad : new String[][] {{"node", "viewer"}, {"-x", "viewer"}, {"a b", "clerk"}, {"ci", "root"}}) {
            run = Run.of(home, cluster.args("credential", "new", bad[0], "--role", bad[1], "--out", fresh.toString()));
            assertEquals(2, run.code(), String.join(" ", bad) + ": " + run.err());
            assertFalse(Files.exists(fresh), "nothing written for " + String.join(" ", bad));
            assertTrue(run.out().isEmpty());
        }
        run = Run.of(home, cluster.args("credential", "new", "ci", "--role", "root", "--out", fresh.toString()));
        assertTrue(run.err().startsWith("raftctl: --role must be viewer, clerk or admin, not 'root'"), run.err());
    }

    @Test
    void operatorNamesAreCheckedAsTheNodesCheckThem() throws Exception {
        String secret = WhoamiCommandTest.ALICE;
        for (String name : List.of("alice", "a", "ci-bot_2.x@corp", "A9", "node", "Node", "-a", ".a", "a b", "é",
                "a".repeat(64), "a".repeat(65), "a/b", "_a", "a:b")) {
            if (name.contains(" ")) {
                assertTrue(Secrets.badName(name) != null, name); // a file line splits on blanks
                continue;
            }
            Path f = home.resolve("n" + Math.abs(name.hashCode()));
            Files.deleteIfExists(f);
            WhoamiCommandTest.secretFile(home, f.getFileName().toString(), name + " " + secret + "\n");
            boolean nodesAccept;
            try {
                Keyring.forOperator(f);
                nodesAccept = true;
            } catch (AuthException e) {
                nodesAccept = false;
            }
            assertEquals(nodesAccept, Secrets.badName(name) == null, name);
        }
    }
}
