package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as systemd and compose run it: configured from environment variables, stopped by
 * SIGTERM with status 0, and refusing a bad command line with status 2. Uses 127.0.0.40 and
 * ports away from the seed's, so it cannot collide with a local cluster.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RaftdProcessIT {

    private static final Ports PORTS = new Ports(19000, 19001, 19002, 15555);

    @Test
    void configuredByEnvironmentAndStoppedBySigtermWithStatusZero(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder(LocalCluster.findLauncher().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(Map.of(
                "RAFTD_NAME", "Solo",
                "RAFT_CLUSTER", "Solo=127.0.0.40",
                "RAFTD_DATA_DIR", dir.resolve("data").toString(),
                "RAFTD_APPEND_ENTRY_PORT", "19000",
                "RAFTD_REQUEST_VOTE_PORT", "19001",
                "RAFTD_VOTE_ACK_PORT", "19002",
                "RAFTD_CONTROLLER_PORT", "15555"));
        Process p = pb.start();
        try {
            ClusterSpec solo = ClusterSpec.parse("Solo=127.0.0.40", PORTS);
            ControllerClient client = new ControllerClient(Duration.ofMillis(200), 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String leader = null;
            while (leader == null && System.nanoTime() < deadline) {
                Answer a = client.ask(solo.node("Solo").orElseThrow(), ControllerMessage.request("LEADER_INFO"));
                leader = a.answered() ? a.reply().valueText() : null;
            }
            assertEquals("Solo", leader, "a one-node cluster elects itself:\n" + Files.readString(log));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(0, p.exitValue(), Files.readString(log));
            String out = Files.readString(log);
            assertTrue(out.contains("Solo stopped (SIGTERM)"), out);
            String starting = out.lines().filter(l -> l.contains("Solo starting: ")).findFirst().orElse("");
            assertTrue(starting.contains("voted for nobody") && starting.contains(" log " + dir.resolve("data")),
                    "the start-up line names the vote and the log:\n" + out);
            assertFalse(starting.contains("log log"), starting);
            assertTrue(Files.exists(dir.resolve("data/hardstate.json")), "term and vote were persisted");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badFlagsExitWithStatusTwoAndAClearMessage() throws Exception {
        Process p = new ProcessBuilder(List.of(LocalCluster.findLauncher().toString(), "--name", "Nobody"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("node 'Nobody' is not in the cluster"), out);
        assertTrue(!out.contains("Exception"), out);
        // main's command line: one line for the journal, not the whole --help
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("raftd: --name (env RAFTD_NAME): ") && out.strip().endsWith("; see raftd --help"), out);
    }

    @Test
    void aSecondNodeOnTheSameDataDirIsRefused(@TempDir Path dir) throws Exception {
        List<String> cmd = List.of(LocalCluster.findLauncher().toString(), "--name", "Solo",
                "--cluster", "Solo=127.0.0.41", "--data-dir", dir.toString(),
                "--append-entry-port", "19000", "--request-vote-port", "19001",
                "--vote-ack-port", "19002", "--controller-port", "15555");
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            ControllerClient client = new ControllerClient(Duration.ofMillis(200), 1);
            ClusterSpec solo = ClusterSpec.parse("Solo=127.0.0.41", PORTS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.ask(solo.node("Solo").orElseThrow(), ControllerMessage.request("STATUS")).answered()) {
                assertTrue(System.nanoTime() < deadline, "first node never answered");
            }
            Process second = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(second.getInputStream().readAllBytes());
            assertTrue(second.waitFor(10, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue(), out);
            assertTrue(out.contains("in use by another raftd process"), out);
        } finally {
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
