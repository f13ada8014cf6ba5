package dev.raftledger.raftctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Run;
import dev.raftledger.raftd.it.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * raftctl's credentials against three real keyed raftd processes on 127.0.0.111-113: with the
 * node key, whoami says node (admin); a key the nodes do not hold and no key at all get no
 * answer, and whoami says what is likely. With an operators file (raftd --operators-file), a
 * viewer's whoami says viewer, its expense add is refused FORBIDDEN (exit status 1, nothing
 * written), and a clerk's is applied.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KeysIT {

    static final String NODE_KEY = "6f1c0e5a9b8d7c6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f";
    static final String ALICE = "3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
    static final String CI = "77aa66bb55cc44dd33ee22ff1100aa99bb88cc77dd66ee55ff44003322110099";
    static final String STRANGER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static final Path RAFTD = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize()
            .resolve("raftd/target/raftd");

    @TempDir
    Path home;

    @TempDir
    Path work;

    private Path secret(String name, String text) throws Exception {
        Path f = home.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private Run raftctl(String spec, String... args) {
        List<String> all = new ArrayList<>(List.of("--cluster", spec, "--timeout-ms", "1000"));
        all.addAll(List.of(args));
        return Run.of(home, all.toArray(String[]::new));
    }

    /** Whether this raftd takes an operators file (issue 14's node side). */
    private static boolean raftdTakesOperators() throws Exception {
        Process p = new ProcessBuilder(RAFTD.toString(), "--help").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String help = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "raftd --help finished");
        return help.contains("--operators-file");
    }

    @Test
    void theNodesSayWhoRaftctlIsAndRefuseWhatItsRoleDoesNotAllow() throws Exception {
        Path keys = secret("cluster.key", NODE_KEY + "\n");
        Path operators = secret("operators", "alice clerk " + ALICE + "\nci viewer " + CI + "\n");
        Path alice = secret("alice.cred", "alice " + ALICE + "\n");
        Path ci = secret("ci.cred", "ci " + CI + "\n");
        Path stranger = secret("bob.cred", "bob " + STRANGER + "\n");
        boolean roles = raftdTakesOperators();
        List<String> args = new ArrayList<>(List.of("--cluster-key-file", keys.toString()));
        if (roles) {
            args.addAll(List.of("--operators-file", operators.toString()));
        }
        try (LocalCluster cluster = LocalCluster.on(work.resolve("cluster"), "127.0.0.111", 3, Ports.SEED,
                args.toArray(String[]::new))) {
            cluster.useAuth(ClusterAuth.with(Keyring.forClientWithNodeKeys(keys))).startAll();
            cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20));
            String spec = cluster.spec().toString();

            Run asNode = raftctl(spec, "--cluster-key-file", keys.toString(), "whoami");
            assertEquals(0, asNode.code(), asNode.err());
            assertTrue(asNode.out().startsWith("node (admin, a node key), key " + Key.fingerprintOf(NODE_KEY)
                    + ", as Node1 sees it; node key from ~/cluster.key (--cluster-key-file)"), asNode.out());

            Run keyless = raftctl(spec, "whoami");
            assertEquals(1, keyless.code(), keyless.out());
            assertTrue(keyless.err().contains("If the cluster has a key, give --credential-file FILE"), keyless.err());

            Run unknown = raftctl(spec, "--credential-file", stranger.toString(), "whoami");
            assertEquals(1, unknown.code(), unknown.out());
            assertTrue(unknown.err().contains("none accepts this key"), unknown.err());

            Assumptions.assumeTrue(roles, "this raftd takes no --operators-file: the roles part waits for it");

            Run viewer = raftctl(spec, "--credential-file", ci.toString(), "whoami");
            assertEquals(0, viewer.code(), viewer.err());
            assertTrue(viewer.out().startsWith("ci (viewer), key " + Key.fingerprintOf(CI)), viewer.out());

            String[] add = {"expense", "add", "--amount", "12.50", "--currency", "EUR", "--category", "food",
                "--payer", "ana"};
            List<String> viewerAdd = new ArrayList<>(List.of("--credential-file", ci.toString()));
            viewerAdd.addAll(List.of(add));
            Run refused = raftctl(spec, viewerAdd.toArray(String[]::new));
            assertEquals(1, refused.code(), refused.out() + refused.err());
            assertTrue(refused.err().contains("FORBIDDEN: EXPENSE needs the role clerk; ci is a viewer"), refused.err());

            List<String> clerkAdd = new ArrayList<>(List.of("--credential-file", alice.toString()));
            clerkAdd.addAll(List.of(add));
            Run added = raftctl(spec, clerkAdd.toArray(String[]::new));
            assertEquals(0, added.code(), added.err());

            Run list = raftctl(spec, "--credential-file", ci.toString(), "--json", "expense", "list");
            assertEquals(0, list.code(), list.err());
            JsonNode expenses = Codec.readTree(list.out()).get("expenses");
            assertEquals(1, expenses.size(), "the clerk's expense only: " + list.out());
        }
    }
}
