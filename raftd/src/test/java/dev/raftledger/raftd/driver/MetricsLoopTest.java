package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.metrics.Exposition;
import dev.raftledger.raftd.metrics.MetricsAddress;
import dev.raftledger.raftd.metrics.MetricsServer;
import dev.raftledger.raftd.metrics.ParsedExposition;
import dev.raftledger.raftd.store.HardStateSink;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round trip a scrape makes: HTTP thread, a Snapshot event on the loop's queue, the loop's
 * answer from the core it owns. The loop's queue is FIFO, so a scrape made after an event was
 * submitted sees that event's effect: no polling needed. Every scrape is also checked for
 * validity, line by line.
 */
class MetricsLoopTest {

    private static final List<String> MEMBERS = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Stable storage that is durable at once, and an outbox that only counts. */
    private static final class InstantDisk implements HardStateSink, Outbox, EntryLog {
        volatile long written = -1;
        volatile int sent;

        @Override
        public void save(HardState state) {}

        @Override
        public void truncateFrom(long index) {
            written = index - 1;
        }

        @Override
        public void append(List<Entry> entries) {
            written = entries.get(entries.size() - 1).index();
        }

        @Override
        public long durableIndex() {
            return written;
        }

        @Override
        public void toPeer(String peer, PeerMessage message) {
            sent++;
        }

        @Override
        public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            sent++;
        }
    }

    private final DriverCounters counters = new DriverCounters();
    private EventLoop loop;
    private Thread loopThread;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        long now = EventLoop.now();
        // Long timeouts: no timer fires during the test; only the events it submits change the core.
        RaftCore core = new RaftCore("Node1", MEMBERS, new Timings(10_000, 20_000, 30_000),
                HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), now);
        InstantDisk disk = new InstantDisk();
        loop = EventLoop.assemble(core, disk, disk, disk, counters, "127.0.0.1", now);
        loopThread = new Thread(loop, "test-loop");
        loopThread.start();
        server = MetricsServer.start(new MetricsAddress("127.0.0.1", 0), new Exposition("Node1",
                new MetricsProbe(loop, counters), loop.metrics(), Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        loop.requestStop("test over");
        loopThread.join(5_000);
    }

    private ParsedExposition scrape() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return ParsedExposition.parse(r.body());
    }

    private static AppendEntry entries(long term, String leader, int count) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Entry(i, term, Payload.ofJson("{\"key\":\"k\",\"value\":" + i + "}")));
        }
        return new AppendEntry(term, leader, -1, 0, leader, batch, -1);
    }

    @Test
    void aFreshNodeIsAFollowerOfNoLeader() throws Exception {
        ParsedExposition p = scrape();
        assertEquals(1, p.value("raftd_event_loop_up"));
        assertEquals(1, p.value("raftd_state", "state", "follower"));
        assertEquals(0, p.value("raftd_state", "state", "leader"));
        assertEquals(0, p.value("raftd_term"));
        assertEquals(0, p.value("raftd_leader_known"));
        assertEquals(-1, p.value("raftd_last_log_index"));
        assertEquals(-1, p.value("raftd_commit_index"));
        assertEquals(0, p.value("raftd_leader_changes_total"));
        assertFalse(p.has("raftd_heartbeat_age_seconds"));
    }

    @Test
    void aFollowerSeesTheLeaderItsEntriesAndTheDriversCounters() throws Exception {
        loop.submit(new LoopEvent.FromPeer(entries(1, "Node2", 3)));
        counters.malformedDatagrams.incrementAndGet();
        counters.authFailures.addAndGet(2);
        ParsedExposition p = scrape();
        assertEquals(1, p.value("raftd_term"));
        assertEquals(1, p.value("raftd_leader_known"));
        assertEquals(1, p.value("raftd_leader_changes_total"));
        assertEquals(1, p.value("raftd_heartbeats_received_total"));
        assertEquals(2, p.value("raftd_last_log_index"));
        assertEquals(3, p.value("raftd_entries_appended_total"));
        assertEquals(1, p.value("raftd_log_append_seconds_count"), "one batch written");
        assertTrue(p.value("raftd_heartbeat_age_seconds") >= 0);
        assertEquals(1, p.value("raftd_malformed_datagrams_total"));
        assertEquals(2, p.value("raftd_auth_failures_total"));
        assertFalse(p.has("raftd_follower_lag_entries"), "a follower has no followers");

        // the same leader again in its term is not a change; a newer term's leader is
        loop.submit(new LoopEvent.FromPeer(new AppendEntry(1, "Node2", 2, 1, "Node2", List.of(), 2)));
        assertEquals(1, scrape().value("raftd_leader_changes_total"));
        loop.submit(new LoopEvent.FromPeer(new AppendEntry(2, "Node3", 2, 1, "Node3", List.of(), 2)));
        ParsedExposition later = scrape();
        assertEquals(2, later.value("raftd_leader_changes_total"));
        assertEquals(2, later.value("raftd_term"));
    }

    @Test
    void eachPeerMessagesWaitInTheLoopsQueueIsMeasured() throws Exception {
        loop.submit(new LoopEvent.FromPeer(entries(1, "Node2", 1)));
        // a heartbeat that sat in the queue for 300 ms (queued at now - 300 ms): the loop was busy
        loop.submit(new LoopEvent.FromPeer(new AppendEntry(1, "Node2", 0, 1, "Node2", List.of(), 0),
                System.nanoTime() - 300_000_000L));
        ParsedExposition p = scrape();
        assertEquals(2, p.value("raftd_peer_message_wait_seconds_count"));
        assertEquals(1, p.value("raftd_peer_message_wait_seconds_bucket", "le", "0.25"),
                "the first was taken at once, the second had waited 300 ms");
        assertTrue(p.value("raftd_peer_message_wait_seconds_sum") >= 0.3, "the 300 ms wait is in the sum");
    }

    @Test
    void aLeaderReportsEachFollowersMatchAndLag() throws Exception {
        loop.submit(new LoopEvent.FromController(ControllerMessage.request("TIMEOUT"),
                new InetSocketAddress("127.0.0.1", 40000)));
        ParsedExposition candidate = scrape();
        assertEquals(1, candidate.value("raftd_state", "state", "candidate"));
        assertEquals(1, candidate.value("raftd_elections_started_total"));
        assertEquals(1, candidate.value("raftd_controller_requests_total"));

        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node2", "Node1")));
        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node3", "Node1")));
        ParsedExposition p = scrape();
        assertEquals(1, p.value("raftd_state", "state", "leader"));
        assertEquals(1, p.value("raftd_elections_won_total"));
        assertEquals(1, p.value("raftd_leader_changes_total"));
        assertEquals(0, p.value("raftd_last_log_index"), "the new leader's no-op");
        for (String follower : List.of("Node2", "Node3", "Node4", "Node5")) {
            assertEquals(-1, p.value("raftd_follower_match_index", "follower", follower));
            assertEquals(1, p.value("raftd_follower_lag_entries", "follower", follower));
        }
    }

    @Test
    void aStoppedLoopIsReportedDownWithinTheWait() throws Exception {
        loop.requestStop("simulated hang");
        loopThread.join(5_000);
        long started = System.nanoTime();
        ParsedExposition p = scrape();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, p.value("raftd_event_loop_up"));
        assertFalse(p.has("raftd_term"));
        assertTrue(p.has("raftd_malformed_datagrams_total"));
        assertTrue(tookMs < 5_000, "the scrape waited " + tookMs + " ms; the wait is 300 ms");
    }
}
