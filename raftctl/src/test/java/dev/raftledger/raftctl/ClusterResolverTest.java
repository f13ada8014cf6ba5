package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterResolverTest {

    private static final Ports PORTS = RaftctlCommand.portsFor(5555);

    @TempDir
    Path home;

    private Path flagFile;
    private Path envFile;
    private final Map<String, String> vars = new HashMap<>();

    @BeforeEach
    void files() throws IOException {
        flagFile = Files.writeString(home.resolve("flag.cluster"), "# from --config\nF1=10.0.0.1\nF2=10.0.0.2 # two\n");
        envFile = Files.writeString(home.resolve("env.cluster"), "E1=10.0.1.1,E2=10.0.1.2\n");
        Path defaultFile = home.resolve(".config/raftctl/cluster");
        Files.createDirectories(defaultFile.getParent());
        Files.writeString(defaultFile, "D1=10.0.2.1\n");
        vars.put("RAFT_CLUSTER", "V1=10.0.3.1");
        vars.put("RAFTCTL_CONFIG", envFile.toString());
    }

    private ClusterResolver.Resolved resolve(String clusterFlag, Path configFlag) {
        return ClusterResolver.resolve(clusterFlag, configFlag, Run.environment(vars, home), PORTS);
    }

    @Test
    void clusterFlagComesFirst() {
        ClusterResolver.Resolved r = resolve("C1=10.0.4.1,C2=10.0.4.2", flagFile);

        assertEquals(List.of("C1", "C2"), r.cluster().names());
        assertEquals("--cluster", r.source());
    }

    @Test
    void thenConfigFlag() {
        ClusterResolver.Resolved r = resolve(null, flagFile);

        assertEquals(List.of("F1", "F2"), r.cluster().names());
        assertEquals("10.0.0.2", r.cluster().node("F2").orElseThrow().host());
    }

    @Test
    void thenClusterVariable() {
        assertEquals(List.of("V1"), resolve(null, null).cluster().names());
    }

    @Test
    void thenConfigVariable() {
        vars.remove("RAFT_CLUSTER");

        ClusterResolver.Resolved r = resolve(null, null);

        assertEquals(List.of("E1", "E2"), r.cluster().names());
        assertTrue(r.source().startsWith("RAFTCTL_CONFIG="), r.source());
    }

    @Test
    void thenDefaultFileInHome() {
        vars.clear();

        assertEquals(List.of("D1"), resolve(null, null).cluster().names());
    }

    @Test
    void elseTheLocalFiveNodeCluster() throws IOException {
        vars.clear();
        Files.delete(home.resolve(".config/raftctl/cluster"));

        ClusterResolver.Resolved r = resolve(null, null);

        assertEquals(ClusterSpec.LOCAL_FIVE, r.cluster().toString());
        assertEquals(5555, r.cluster().ports().controller());
    }

    @Test
    void blankVariablesCountAsUnset() {
        vars.put("RAFT_CLUSTER", "  ");
        vars.put("RAFTCTL_CONFIG", "");

        assertEquals(List.of("D1"), resolve(null, null).cluster().names());
    }

    @Test
    void errorsNameTheirSource() {
        vars.put("RAFT_CLUSTER", "nonsense");
        IllegalArgumentException fromEnv = assertThrows(IllegalArgumentException.class, () -> resolve(null, null));
        assertTrue(fromEnv.getMessage().startsWith("RAFT_CLUSTER: "), fromEnv.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> resolve(null, home.resolve("absent")));
        assertTrue(missing.getMessage().startsWith("--config: no such file: "), missing.getMessage());
    }

    @Test
    void controllerPortMayBeAnySeedPort() {
        for (int port : new int[] {9000, 9001, 9002, 5555, 1}) {
            assertEquals(port, RaftctlCommand.portsFor(port).controller());
        }
    }

    @Test
    void variablesReachTheCommandLine() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(3)) {
            cluster.electLeader("Node1", 2);
            Map<String, String> env = Map.of("RAFT_CLUSTER", cluster.spec(),
                    "RAFT_CONTROLLER_PORT", Integer.toString(cluster.port()));

            Run run = Run.of(Run.environment(env, home), "leader");

            assertEquals(0, run.code(), run.err());
            assertEquals("Node1 (term 2), named by 3 of 3 answering nodes", run.out().strip());
        }
    }

    @Test
    void badPortVariableIsAUsageError() {
        Run run = Run.of(Run.environment(Map.of("RAFT_CONTROLLER_PORT", "fifty"), home), "status");

        assertEquals(2, run.code());
        assertTrue(run.err().contains("RAFT_CONTROLLER_PORT is not a port number: 'fifty'"), run.err());
    }
}
