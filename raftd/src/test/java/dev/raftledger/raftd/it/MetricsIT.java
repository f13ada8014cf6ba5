package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.metrics.ParsedExposition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The metrics endpoint of real raftd processes: three nodes on 127.0.0.81-83 (away from the
 * local cluster's addresses and ports), each serving /metrics on its own address, port 19390.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsIT {

    private static final Ports PORTS = new Ports(19300, 19301, 19302, 15855);
    private static final int METRICS_PORT = 19390;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private LocalCluster cluster(String name) throws IOException {
        return LocalCluster.on(Path.of("target", "it", "metrics-" + name), "127.0.0.81", 3, PORTS,
                "--metrics-address", Integer.toString(METRICS_PORT));
    }

    private ParsedExposition scrape(String node) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + cluster.node(node).host() + ":" + METRICS_PORT + "/metrics");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        return ParsedExposition.parse(r.body());
    }

    /** Scrapes until {@code done} holds, or fails with the last scrape after {@code timeout}. */
    private ParsedExposition awaitScrape(String node, Predicate<ParsedExposition> done, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ParsedExposition p = scrape(node);
        while (!done.test(p)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + ": condition not met within " + timeout.toMillis() + " ms; last: "
                        + p.samples());
            }
            LocalCluster.pause();
            p = scrape(node);
        }
        return p;
    }

    @Test
    void everyNodeServesAValidExpositionThatTracksTheCluster() throws Exception {
        cluster = cluster("cluster").startAll();
        LocalCluster.LeaderView leader = cluster.awaitUnanimousLeader(cluster.names(), Duration.ofSeconds(15));
        List<String> followers = cluster.others(leader.leader());

        Answer stored = new ControllerClient(Duration.ofSeconds(2), 1).ask(cluster.node(leader.leader()),
                new ControllerMessage(ControllerMessage.CONTROLLER, "STORE", null, TextNode.valueOf("k"),
                        TextNode.valueOf("v")));
        assertEquals("COMMITTED", stored.reply().keyText(), stored.toString());

        // the leader's view: every follower caught up (no-op and the STORE: last index 1)
        ParsedExposition l = awaitScrape(leader.leader(), p -> followers.stream()
                .allMatch(f -> p.value("raftd_follower_lag_entries", "follower", f) == 0), Duration.ofSeconds(5));
        assertEquals(1, l.value("raftd_state", "state", "leader"));
        assertEquals(leader.term(), l.value("raftd_term"));
        assertEquals(1, l.value("raftd_last_log_index"));
        assertEquals(1, l.value("raftd_commit_index"));
        for (String f : followers) {
            assertEquals(1, l.value("raftd_follower_match_index", "follower", f));
        }
        for (String node : cluster.names()) {
            ParsedExposition p = awaitScrape(node, s -> s.value("raftd_applied_index") == 1, Duration.ofSeconds(5));
            assertEquals(1, p.value("raftd_event_loop_up"));
            assertEquals(leader.term(), p.value("raftd_term"), node);
            assertEquals(1, p.value("raftd_leader_known"), node);
            assertTrue(p.value("raftd_leader_changes_total") >= 1, node);
            assertTrue(p.value("raftd_log_fsync_seconds_count") >= 1, node + " fsynced its log");
            assertTrue(p.value("raftd_log_append_seconds_count") >= 1, node + " wrote its log");
            assertEquals(0, p.value("raftd_malformed_datagrams_total"), node);
        }

        // a ledger write: one client session on every node, in the metrics and in STATUS
        Answer added = new ControllerClient(Duration.ofSeconds(2), 1).ask(cluster.node(leader.leader()),
                new ControllerMessage("raftctl", "EXPENSE", null, null, dev.raftledger.common.wire.Codec.readTree(
                        "{\"op\":\"add\",\"client_id\":\"raftctl-0123456789ab\",\"seq\":1,\"amount\":\"12.50\","
                        + "\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}")));
        assertEquals("RESULT", added.reply().keyText(), added.toString());
        for (String node : cluster.names()) {
            ParsedExposition p = awaitScrape(node, s -> s.value("raftd_applied_index") == 2, Duration.ofSeconds(5));
            assertEquals(1, p.value("raftd_ledger_sessions"), node);
            assertEquals(dev.raftledger.common.ledger.Ledger.SESSION_BYTES_ESTIMATE, p.value("raftd_ledger_sessions_bytes"));
            assertEquals(0, p.value("raftd_ledger_sessions_expired_total"), node);
        }
        Answer status = new ControllerClient(Duration.ofSeconds(2), 1).ask(cluster.node(leader.leader()),
                new ControllerMessage("raftctl", "STATUS", null, null, null));
        assertEquals(1, status.reply().value().get("sessions").asLong(), status.toString());

        // a new leader is a leader change on the survivors
        String survivor = followers.get(0);
        double changesBefore = scrape(survivor).value("raftd_leader_changes_total");
        cluster.kill(leader.leader());
        cluster.awaitLeader(followers, 2, leader.term(), Duration.ofSeconds(15));
        ParsedExposition after = awaitScrape(survivor, p -> p.value("raftd_leader_known") == 1, Duration.ofSeconds(5));
        assertTrue(after.value("raftd_leader_changes_total") > changesBefore, after.samples().toString());
    }

    @Test
    void aTakenMetricsPortStopsTheNodeWithStatusOne() throws Exception {
        cluster = cluster("taken");
        String node = cluster.names().get(0);
        try (ServerSocket taken = new ServerSocket(METRICS_PORT, 1, InetAddress.getByName(cluster.node(node).host()))) {
            cluster.start(node);
            assertEquals(1, cluster.awaitExit(node, Duration.ofSeconds(20)));
            String log = Files.readString(cluster.logFile(node));
            assertTrue(log.contains("cannot bind the metrics endpoint to " + cluster.node(node).host() + ":"
                    + METRICS_PORT), log);
        }
    }
}
