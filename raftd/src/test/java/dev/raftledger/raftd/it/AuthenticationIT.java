package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster with a key: its nodes elect and replicate as before; clients with the key are
 * served; unsigned, forged and replayed datagrams are dropped and counted, and change nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticationIT {

    private LocalCluster cluster;
    private ClusterAuth auth;
    private Path keyFile;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        Path dir = Path.of("target", "it", test.getTestMethod().orElseThrow().getName());
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        keyFile = dir.resolve("cluster.key").toAbsolutePath();
        Files.writeString(keyFile, "5f1c0a9e2d7b48c3a6e1f0d9b8c7a6e5f4d3c2b1a09f8e7d6c5b4a3928170615\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        auth = ClusterAuth.fromFile(keyFile);
        cluster = LocalCluster.localFive(dir, "--cluster-key-file", keyFile.toString()).useAuth(auth).startAll();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private long authFailures() {
        long total = 0;
        for (String n : cluster.names()) {
            Answer a = cluster.ask(n, "STATUS", Duration.ofSeconds(1));
            assertTrue(a.answered(), n + ": " + a.error());
            total += a.reply().value().get("counters").get("auth_failures").asLong();
        }
        return total;
    }

    @Test
    void keyedClientsAreServedAndUnsignedRequestsAreDroppedUnanswered() {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        ControllerClient plain = new ControllerClient(Duration.ofMillis(300), 1);
        NodeAddress l = cluster.spec().node(leader.leader()).orElseThrow();
        Answer unsigned = plain.ask(l, ControllerMessage.request("SHUTDOWN"));
        assertFalse(unsigned.answered(), "an unsigned SHUTDOWN gets no reply: " + unsigned);
        assertTrue(cluster.isRunning(leader.leader()), "and does nothing");
        assertTrue(authFailures() >= 1);
        ControllerClient signed = new ControllerClient(Duration.ofSeconds(2), 1, auth);
        Answer stored = signed.ask(l, new ControllerMessage("Controller", "STORE", null,
                TextNode.valueOf("k"), TextNode.valueOf("v")));
        assertEquals("COMMITTED", stored.reply().keyText(), stored.toString());
        assertEquals(leader, cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(5)));
    }

    @Test
    void aCapturedDatagramCannotBeReplayed() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        NodeAddress l = cluster.spec().node(leader.leader()).orElseThrow();
        byte[] sealed = auth.seal(Codec.encode(new ControllerMessage("Controller", "STORE", null,
                TextNode.valueOf("once"), TextNode.valueOf("only"))), leader.leader());
        long before = authFailures();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2_000);
            byte[] buf = new byte[65536];
            socket.send(new DatagramPacket(sealed, sealed.length, l.controller()));
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            socket.receive(reply);
            socket.send(new DatagramPacket(sealed, sealed.length, l.controller())); // the replay
            socket.setSoTimeout(500);
            boolean answeredAgain;
            try {
                socket.receive(new DatagramPacket(buf, buf.length));
                answeredAgain = true;
            } catch (SocketTimeoutException e) {
                answeredAgain = false;
            }
            assertFalse(answeredAgain, "the replay is dropped");
        }
        assertTrue(authFailures() > before, "and counted");
        Answer all = new ControllerClient(Duration.ofSeconds(2), 1, auth).ask(l, ControllerMessage.request("RETRIEVE"));
        assertEquals(1, all.reply().value().size(), "stored once: " + all.reply().value());
    }

    @Test
    void aForgedPeerMessageWithoutTheKeyMovesNothing() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        String follower = cluster.others(leader.leader()).get(0);
        // a well-formed RequestVote in a member's name with a huge term: it would depose the
        // leader of a cluster without a key
        byte[] forged = Codec.encode(RequestVote.of(1_000_000, follower, 1_000_000, 999_999));
        try (DatagramSocket socket = new DatagramSocket()) {
            for (NodeAddress n : cluster.spec().nodes()) {
                socket.send(new DatagramPacket(forged, forged.length, n.requestVote()));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (authFailures() < cluster.names().size()) {
            assertTrue(System.nanoTime() < deadline, "the forged datagrams were not all counted");
            LocalCluster.pause();
        }
        assertEquals(leader, cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(5)),
                "same leader, same term");
    }

    @Test
    void aKeyFileOthersCanReadStopsTheNodeFromStarting() throws Exception {
        Path loose = keyFile.resolveSibling("loose.key");
        Files.writeString(loose, "5f1c0a9e2d7b48c3a6e1f0d9b8c7a6e5f4d3c2b1a09f8e7d6c5b4a3928170615");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        Process p = new ProcessBuilder(List.of(LocalCluster.findLauncher().toString(), "--name", "Node1",
                "--cluster-key-file", loose.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("readable only by its owner"), out);
    }
}
