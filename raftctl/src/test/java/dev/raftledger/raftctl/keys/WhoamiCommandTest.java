package dev.raftledger.raftctl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * raftctl's credential options (--credential-file, RAFT_CREDENTIAL_FILE, next to
 * --cluster-key-file) and whoami, against fake nodes that open, check roles and seal as raftd.
 */
class WhoamiCommandTest extends FakeClusterTest {

    static final String NODE_KEY = "6f1c0e5a9b8d7c6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f";
    static final String ALICE = "3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
    static final String CI = "77aa66bb55cc44dd33ee22ff1100aa99bb88cc77dd66ee55ff44003322110099";

    /** A node's keyring: the node key, alice a clerk, ci a viewer. */
    static Keyring nodeKeys(Role aliceRole) {
        return Keyring.of(List.of(NODE_KEY), Map.of("alice", Map.entry(aliceRole, ALICE), "ci", Map.entry(Role.VIEWER, CI)));
    }

    void keyAll() {
        cluster.nodes().forEach(n -> n.keyed(nodeKeys(Role.CLERK)));
    }

    /** A file of {@code text}, mode 600 as key files must be. */
    static Path secretFile(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private String[] args(String... more) {
        return cluster.args(more);
    }

    @Test
    void aCredentialFileActsAsItsOperatorAndWhoamiSaysWhoWithWhichKeyAndWhence() throws Exception {
        keyAll();
        Path cred = secretFile(home, "alice.cred", "alice " + ALICE + "\n");

        Run run = Run.of(home, args("--credential-file", cred.toString(), "whoami"));

        assertEquals(0, run.code(), run.err());
        assertEquals("alice (clerk), key " + Key.fingerprintOf(ALICE) + ", as Node1 sees it; credential from "
                + "~/alice.cred (--credential-file)", run.out().strip());
        assertEquals(List.of(Identity.operator("alice", Role.CLERK)), cluster.node("Node1").callers());
        assertTrue(run.err().isEmpty(), run.err());
    }

    @Test
    void theCredentialComesFromTheEnvironmentToo() throws Exception {
        keyAll();
        Path cred = secretFile(home, "ci.cred", "ci " + CI + "\n");

        Run run = Run.of(Run.environment(Map.of("RAFT_CREDENTIAL_FILE", cred.toString()), home), args("whoami"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("ci (viewer), key " + Key.fingerprintOf(CI) + ", as Node1 sees it; "
                + "credential from ~/ci.cred (RAFT_CREDENTIAL_FILE)"), run.out());
    }

    @Test
    void aNodeKeyFileActsAsANodeThatIsAsAdmin() throws Exception {
        keyAll();
        Path keys = secretFile(home, "cluster.key", NODE_KEY + "\n");

        Run run = Run.of(home, args("--cluster-key-file", keys.toString(), "whoami"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("node (admin, a node key), key " + Key.fingerprintOf(NODE_KEY)
                + ", as Node1 sees it; node key from ~/cluster.key (--cluster-key-file)"), run.out());
    }

    @Test
    void withoutAnyKeyAnyoneActsAsAdmin() throws Exception {
        Run run = Run.of(home, args("whoami"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("anyone, as admin: Node1 has no cluster key, so anyone who reaches its "
                + "controller port acts as admin; no key (no --credential-file"), run.out());
    }

    @Test
    void aCredentialAndANodeKeyTogetherAreAUsageErrorNamingBoth() throws Exception {
        keyAll();
        Path cred = secretFile(home, "alice.cred", "alice " + ALICE + "\n");
        Path keys = secretFile(home, "cluster.key", NODE_KEY + "\n");
        String[][] ways = {
            {"--credential-file", "--cluster-key-file", null, null},
            {"--credential-file", null, null, "RAFT_CLUSTER_KEY_FILE"},
            {null, "--cluster-key-file", "RAFT_CREDENTIAL_FILE", null},
            {null, null, "RAFT_CREDENTIAL_FILE", "RAFT_CLUSTER_KEY_FILE"},
        };
        for (String[] way : ways) {
            List<String> a = new ArrayList<>(List.of(args()));
            Map<String, String> env = new java.util.HashMap<>();
            if (way[0] != null) {
                a.addAll(List.of(way[0], cred.toString()));
            }
            if (way[1] != null) {
                a.addAll(List.of(way[1], keys.toString()));
            }
            if (way[2] != null) {
                env.put(way[2], cred.toString());
            }
            if (way[3] != null) {
                env.put(way[3], keys.toString());
            }
            a.add("whoami");
            Run run = Run.of(Run.environment(env, home), a.toArray(new String[0]));

            assertEquals(2, run.code(), java.util.Arrays.toString(way) + ": " + run.err());
            String credName = way[0] != null ? way[0] : way[2];
            String keyName = way[1] != null ? way[1] : way[3];
            assertTrue(run.err().startsWith("raftctl: both " + keyName + " (" + keys + ": a node key, acting as admin) and "
                    + credName + " (" + cred + ": an operator's credential) are given"), run.err());
            assertTrue(run.out().isEmpty(), run.out());
        }
        assertTrue(cluster.nothingReceived(), "nothing sent");
    }

    @Test
    void aCredentialFileOthersCanReadIsAUsageError() throws Exception {
        Path cred = secretFile(home, "alice.cred", "alice " + ALICE + "\n");
        Files.setPosixFilePermissions(cred, PosixFilePermissions.fromString("rw-r--r--"));

        Run run = Run.of(home, args("--credential-file", cred.toString(), "status"));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: --credential-file: credential file " + cred
                + " must be readable only by its owner"), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void aKeyedClusterIgnoresAKeylessRaftctlAndWhoamiSaysWhichOptionIsMissing() throws Exception {
        keyAll();

        Run run = Run.of(home, args("whoami"));

        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().startsWith("raftctl: no node answered WHOAMI (Node1: no reply within 200 ms; "), run.err());
        assertTrue(run.err().contains("If the cluster has a key, give --credential-file FILE (or RAFT_CREDENTIAL_FILE)."),
                run.err());
        assertTrue(cluster.node("Node1").refusedDatagrams() > 0, "the plain request was dropped");
    }

    @Test
    void aCredentialNoNodeHoldsGetsNoAnswerAndWhoamiSaysSo() throws Exception {
        keyAll();
        String stranger = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        Path cred = secretFile(home, "bob.cred", "bob " + stranger + "\n");

        Run run = Run.of(home, args("--credential-file", cred.toString(), "whoami"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("If the nodes are up, none accepts this key: is it in their operators file (or keys "
                + "file), and were they reloaded? Key " + Key.fingerprintOf(stranger) + ", credential from ~/bob.cred "
                + "(--credential-file)."), run.err());
    }

    @Test
    void nodesThatSeeTheCallerOtherwiseOrNotAtAllAreNamed() throws Exception {
        keyAll();
        cluster.node("Node2").keyed(nodeKeys(Role.VIEWER)); // its operators file differs
        cluster.node("Node3").keyed(Keyring.of(List.of(NODE_KEY), Map.of())); // alice not (yet) reloaded there
        Path cred = secretFile(home, "alice.cred", "alice " + ALICE + "\n");

        Run run = Run.of(home, args("--credential-file", cred.toString(), "whoami"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(0).startsWith("alice (clerk), key "), lines.get(0));
        assertEquals("Node2 sees you as alice (viewer): the nodes' operators files differ, or one was not reloaded",
                lines.get(1));
        assertEquals("Node3: no reply within 200 ms (down, or it does not accept this key)", lines.get(2));
    }

    @Test
    void jsonSaysTheIdentityTheCredentialAndEveryNodesView() throws Exception {
        keyAll();
        cluster.node("Node5").silent();
        Path cred = secretFile(home, "alice.cred", "alice " + ALICE + "\n");

        Run run = Run.of(home, args("--credential-file", cred.toString(), "--json", "whoami"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("Node1", doc.get("node").asText());
        assertTrue(doc.get("keyed").asBoolean());
        assertEquals("alice", doc.get("name").asText());
        assertEquals("clerk", doc.get("role").asText());
        assertFalse(doc.get("node_key").asBoolean());
        assertEquals(Key.fingerprintOf(ALICE), doc.get("key").asText());
        JsonNode c = doc.get("credential");
        assertEquals("operator", c.get("kind").asText());
        assertEquals(cred.toString(), c.get("file").asText());
        assertEquals("--credential-file", c.get("from").asText());
        assertEquals("alice", c.get("name").asText());
        assertEquals(Key.fingerprintOf(ALICE), c.get("key").asText());
        assertEquals(5, doc.get("nodes").size());
        assertEquals("no reply within 200 ms", doc.get("nodes").get(4).get("error").asText());
        assertTrue(doc.get("error").isNull());
    }

    @Test
    void aNodeWithoutWhoamiIsARefusal() throws Exception {
        for (FakeNode n : cluster.nodes()) {
            n.once("WHOAMI", r -> n.error("UNKNOWN_REQUEST", "unknown request 'WHOAMI'"));
        }
        Run run = Run.of(home, args("whoami"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node1: refused: UNKNOWN_REQUEST: unknown request 'WHOAMI'"), run.err());
        assertFalse(run.err().contains("If the cluster has a key"), "the nodes did answer: " + run.err());
    }
}
