package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.start.NodeConfig;
import dev.raftledger.raftd.metrics.MetricsAddress;
import dev.raftledger.raftd.metrics.ParsedExposition;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real one-node raftd in this JVM, with the metrics endpoint on. It uses 127.0.0.31 and ports
 * the kernel picks, to stay clear of the local five-node cluster's addresses and ports.
 */
class RaftNodeMetricsTest {

    private static final String HOST = "127.0.0.31";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    private static int[] freeUdpPorts() throws IOException {
        int[] ports = new int[4];
        DatagramSocket[] held = new DatagramSocket[4];
        try {
            for (int i = 0; i < 4; i++) {
                held[i] = new DatagramSocket(new InetSocketAddress(HOST, 0));
                ports[i] = held[i].getLocalPort();
            }
        } finally {
            for (DatagramSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private NodeConfig config(int[] udp, int metricsPort) {
        ClusterSpec cluster = ClusterSpec.parse("Solo=" + HOST, new Ports(udp[0], udp[1], udp[2], udp[3]));
        return new NodeConfig("Solo", cluster, dataDir, HOST, Timings.SEED, 1, ClusterAuth.none(),
                new MetricsAddress(HOST, metricsPort));
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + HOST + ":" + port + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRunningNodeServesItsMetricsUntilItStops() throws Exception {
        int port = freeTcpPort();
        RaftNode node = RaftNode.start(config(freeUdpPorts(), port));
        try {
            // a one-node cluster elects itself after one election timeout and commits its no-op
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            ParsedExposition p = ParsedExposition.parse(get(port, "/metrics").body());
            while (p.value("raftd_commit_index") < 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // a pause between polls, not a sync
                p = ParsedExposition.parse(get(port, "/metrics").body());
            }
            assertEquals(1, p.value("raftd_state", "state", "leader"));
            assertEquals(0, p.value("raftd_commit_index"));
            assertEquals(1, p.value("raftd_leader_changes_total"));
            assertEquals(1, p.value("raftd_elections_won_total"));
            assertTrue(p.value("raftd_log_fsync_seconds_count") >= 1, "the no-op was fsynced");
            assertTrue(p.value("raftd_log_append_seconds_count") >= 1, "the no-op was written");
            assertEquals(200, get(port, "/healthz").statusCode());
        } finally {
            node.stop("test over");
            assertEquals(0, node.await());
        }
        assertThrows(IOException.class, () -> get(port, "/metrics"), "the endpoint closes with the node");
        assertTrue(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .noneMatch(t -> t.getName().equals("raftd-metrics") || t.getName().equals("HTTP-Dispatcher")),
                "the metrics threads end with the node");
    }

    @Test
    void aMetricsPortThatCannotBeBoundStopsTheStartAndReleasesEverything() throws Exception {
        int[] udp = freeUdpPorts();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            IOException e = assertThrows(IOException.class, () -> RaftNode.start(config(udp, taken.getLocalPort())));
            assertTrue(e.getMessage().contains("cannot bind the metrics endpoint to " + HOST + ":"
                    + taken.getLocalPort()), e.getMessage());
        }
        // the data dir lock and the four UDP ports were released: the same node starts now
        int port = freeTcpPort();
        RaftNode node = RaftNode.start(config(udp, port));
        node.stop("test over");
        assertEquals(0, node.await());
    }
}
