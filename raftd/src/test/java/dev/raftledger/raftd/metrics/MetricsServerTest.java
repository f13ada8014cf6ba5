package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side on 127.0.0.1 and an ephemeral port, with a fake node behind it. */
class MetricsServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MetricsServer server;

    /** A node whose loop answers with {@code status}, or never if it is null. */
    private static NodeProbe probe(CoreStatus status) {
        return new NodeProbe() {
            @Override
            public CompletableFuture<CoreStatus> coreStatus() {
                return status == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(status);
            }

            @Override
            public TransportCounters transport() {
                return new TransportCounters(11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 2_500);
            }
        };
    }

    static CoreStatus leaderStatus() {
        return new CoreStatus("Node1", Role.LEADER, 5, "Node1", "Node1", 40, new LogPosition(41, 5), 40, 39, 41,
                Map.of("Node2", 41L, "Node3", 30L, "Node4", -1L), new Counters(2, 1, 3, 4, 500, 6, 7, 42, 8));
    }

    private MetricsServer start(CoreStatus status, Duration loopWait) throws IOException {
        NodeMetrics metrics = new NodeMetrics();
        metrics.logFsyncNanos(2_000_000);
        server = MetricsServer.start(new MetricsAddress("127.0.0.1", 0),
                new Exposition("Node1", probe(status), metrics, loopWait));
        return server;
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metricsAreServedInTheTextFormat() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        HttpResponse<String> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        ParsedExposition p = ParsedExposition.parse(r.body());
        assertEquals(1, p.value("raftd_event_loop_up"));
        assertEquals(1, p.value("raftd_state", "state", "leader"));
        assertEquals(0, p.value("raftd_state", "state", "follower"));
        assertEquals(5, p.value("raftd_term"));
        assertEquals(40, p.value("raftd_commit_index"));
        assertEquals(39, p.value("raftd_applied_index"));
        assertEquals(41, p.value("raftd_durable_index"));
        assertEquals(0.04, p.value("raftd_heartbeat_age_seconds"));
        assertEquals(30, p.value("raftd_follower_match_index", "follower", "Node3"));
        assertEquals(0, p.value("raftd_follower_lag_entries", "follower", "Node2"));
        assertEquals(11, p.value("raftd_follower_lag_entries", "follower", "Node3"));
        assertEquals(42, p.value("raftd_follower_lag_entries", "follower", "Node4"));
        assertEquals(500, p.value("raftd_heartbeats_sent_total"));
        assertEquals(11, p.value("raftd_malformed_datagrams_total"));
        assertEquals(13, p.value("raftd_auth_failures_total"));
        assertEquals(16, p.value("raftd_dropped_overload_total"));
        assertEquals(17, p.value("raftd_unexpected_sources_total"));
        assertEquals(18, p.value("raftd_oversized_datagrams_total"));
        assertEquals(20, p.value("raftd_port_checks_sent_total"));
        assertEquals(21, p.value("raftd_port_checks_closed_total"));
        assertEquals(22, p.value("raftd_port_checks_received_total"));
        assertEquals(1, p.value("raftd_log_fsync_seconds_count"));
        assertEquals(1, p.value("raftd_log_fsync_seconds_bucket", "le", "0.0025"));
        assertEquals(0, p.value("raftd_log_fsync_seconds_bucket", "le", "0.001"));
        assertEquals("counter", p.types().get("raftd_leader_changes_total"));
        assertEquals("histogram", p.types().get("raftd_log_append_seconds"));
        assertTrue(p.value("process_start_time_seconds") > 1.6e9, "seconds since the epoch");
        assertTrue(p.value("jvm_memory_bytes_used", "area", "heap") > 0);
        assertTrue(p.samples().stream().anyMatch(s -> s.name().equals("raftd_info")
                && "Node1".equals(s.labels().get("node")) && s.labels().containsKey("version")));
    }

    @Test
    void aFollowerHasNoFollowerSeries() throws Exception {
        CoreStatus follower = new CoreStatus("Node2", Role.FOLLOWER, 5, "Node1", "Node1", -1, new LogPosition(3, 5),
                3, 3, 3, Map.of(), new Counters(0, 0, 1, 0, 0, 9, 0, 4, 0));
        start(follower, Duration.ofSeconds(1));
        ParsedExposition p = ParsedExposition.parse(send("GET", "/metrics").body());
        assertEquals(1, p.value("raftd_state", "state", "follower"));
        assertFalse(p.has("raftd_follower_match_index"));
        assertFalse(p.has("raftd_follower_lag_entries"));
        assertFalse(p.has("raftd_heartbeat_age_seconds"), "no heartbeat yet: no age rather than a made-up one");
        assertEquals(1, p.value("raftd_leader_known"));
    }

    @Test
    void aLoopThatDoesNotAnswerStillGetsTheDriversSeries() throws Exception {
        start(null, Duration.ofMillis(100));
        HttpResponse<String> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode(), "a 503 would make Prometheus drop the counters that explain it");
        ParsedExposition p = ParsedExposition.parse(r.body());
        assertEquals(0, p.value("raftd_event_loop_up"));
        assertFalse(p.has("raftd_term"));
        assertFalse(p.has("raftd_state"));
        assertEquals(16, p.value("raftd_dropped_overload_total"));
        assertEquals(17, p.value("raftd_unexpected_sources_total"));
        HttpResponse<String> health = send("GET", "/healthz");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("did not answer within 100 ms"), health.body());
    }

    @Test
    void healthzNamesTheRoleAndTerm() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        HttpResponse<String> r = send("GET", "/healthz");
        assertEquals(200, r.statusCode());
        assertEquals("ok: leader in term 5\n", r.body());
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        HttpResponse<String> missing = send("GET", "/metricz");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("/metrics"), missing.body());
        assertEquals(404, send("GET", "/").statusCode());
        HttpResponse<String> post = send("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, send("DELETE", "/healthz").statusCode());
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        HttpResponse<String> r = send("HEAD", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(Exposition.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("", r.body());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class, () -> MetricsServer.start(
                    new MetricsAddress("127.0.0.1", taken.getLocalPort()),
                    new Exposition("Node1", probe(null), new NodeMetrics(), Duration.ofMillis(1))));
            assertTrue(e.getMessage().contains("cannot bind the metrics endpoint to 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
        }
    }

    /**
     * One handler thread reads every request, so a client that stalls mid-request would block
     * all later scrapes if the JDK's default (no request time limit) were kept. Takes ~6 s: the
     * limit is 5 s, checked by the JDK's server once a second.
     */
    @Test
    void aClientStalledMidRequestDelaysScrapesButDoesNotStopThem() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        try (java.net.Socket stalled = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            stalled.getOutputStream().write("GET /metr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            HttpResponse<String> r = send("GET", "/metrics");
            assertEquals(200, r.statusCode());
            assertEquals(1, ParsedExposition.parse(r.body()).value("raftd_event_loop_up"));
        }
    }

    @Test
    void afterCloseTheServerNoLongerAnswers() throws Exception {
        start(leaderStatus(), Duration.ofSeconds(1));
        assertEquals(200, send("GET", "/metrics").statusCode());
        server.close();
        assertThrows(IOException.class, () -> send("GET", "/metrics"));
        server = null;
    }
}
