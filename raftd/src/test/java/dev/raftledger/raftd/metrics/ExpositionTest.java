package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The exposition without HTTP: every family docs/metrics.md names, with its type and labels,
 * and the disk-latency histograms' buckets as recorded through {@link NodeMetrics}.
 */
class ExpositionTest {

    /** docs/metrics.md, family by family. */
    private static final Map<String, String> DOCUMENTED = new TreeMap<>(Map.ofEntries(
            Map.entry("raftd_info", "gauge"),
            Map.entry("raftd_event_loop_up", "gauge"),
            Map.entry("raftd_state", "gauge"),
            Map.entry("raftd_term", "gauge"),
            Map.entry("raftd_leader_known", "gauge"),
            Map.entry("raftd_heartbeat_age_seconds", "gauge"),
            Map.entry("raftd_last_log_index", "gauge"),
            Map.entry("raftd_last_log_term", "gauge"),
            Map.entry("raftd_commit_index", "gauge"),
            Map.entry("raftd_applied_index", "gauge"),
            Map.entry("raftd_durable_index", "gauge"),
            Map.entry("raftd_follower_match_index", "gauge"),
            Map.entry("raftd_follower_lag_entries", "gauge"),
            Map.entry("raftd_elections_started_total", "counter"),
            Map.entry("raftd_elections_won_total", "counter"),
            Map.entry("raftd_votes_granted_total", "counter"),
            Map.entry("raftd_votes_denied_total", "counter"),
            Map.entry("raftd_heartbeats_sent_total", "counter"),
            Map.entry("raftd_heartbeats_received_total", "counter"),
            Map.entry("raftd_stale_messages_total", "counter"),
            Map.entry("raftd_entries_appended_total", "counter"),
            Map.entry("raftd_appends_rejected_total", "counter"),
            Map.entry("raftd_leader_changes_total", "counter"),
            Map.entry("raftd_log_append_seconds", "histogram"),
            Map.entry("raftd_log_fsync_seconds", "histogram"),
            Map.entry("raftd_peer_message_wait_seconds", "histogram"),
            Map.entry("raftd_malformed_datagrams_total", "counter"),
            Map.entry("raftd_auth_failures_total", "counter"),
            Map.entry("raftd_forbidden_total", "counter"),
            Map.entry("raftd_unknown_senders_total", "counter"),
            Map.entry("raftd_unexpected_sources_total", "counter"),
            Map.entry("raftd_send_failures_total", "counter"),
            Map.entry("raftd_oversized_datagrams_total", "counter"),
            Map.entry("raftd_dropped_overload_total", "counter"),
            Map.entry("raftd_controller_requests_total", "counter"),
            Map.entry("raftd_port_checks_sent_total", "counter"),
            Map.entry("raftd_port_checks_closed_total", "counter"),
            Map.entry("raftd_port_checks_received_total", "counter"),
            Map.entry("raftd_reads_refused_busy_total", "counter"),
            Map.entry("raftd_max_heartbeat_gap_seconds", "gauge"),
            Map.entry("raftd_keyring_reloads_total", "counter"),
            Map.entry("raftd_keyring_reload_failures_total", "counter"),
            Map.entry("raftd_keyring_opened_datagrams_total", "counter"),
            Map.entry("raftd_ledger_sessions", "gauge"),
            Map.entry("raftd_ledger_sessions_bytes", "gauge"),
            Map.entry("raftd_ledger_sessions_expired_total", "counter"),
            Map.entry("process_start_time_seconds", "gauge"),
            Map.entry("process_cpu_seconds_total", "counter"),
            Map.entry("jvm_memory_bytes_used", "gauge"),
            Map.entry("jvm_memory_bytes_committed", "gauge"),
            Map.entry("jvm_memory_bytes_max", "gauge"),
            Map.entry("jvm_threads_current", "gauge"),
            Map.entry("jvm_gc_collection_seconds", "summary")));

    /** The histogram bounds docs/metrics.md lists, in seconds. */
    private static final double[] BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    };

    private static NodeProbe probe(CoreStatus status) {
        return new NodeProbe() {
            @Override
            public CompletableFuture<CoreStatus> coreStatus() {
                return status == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(status);
            }

            @Override
            public TransportCounters transport() {
                return new TransportCounters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100);
            }

            @Override
            public SessionGauge sessions() {
                return new SessionGauge(3, 600, 7);
            }

            @Override
            public KeyringMetrics keyring() {
                return new KeyringMetrics(2, 1, new TreeMap<>(Map.of("00112233aabbccdd", 41L, "8899aabbccddeeff", 0L)));
            }
        };
    }

    private static ParsedExposition render(CoreStatus status, NodeMetrics metrics) {
        return ParsedExposition.parse(new Exposition("Node1", probe(status), metrics, Duration.ofMillis(50)).render());
    }

    @Test
    void aLeadersExpositionHasEveryDocumentedFamilyWithItsTypeAndLabels() {
        ParsedExposition p = render(MetricsServerTest.leaderStatus(), new NodeMetrics());
        assertEquals(DOCUMENTED, new TreeMap<>(p.types()));
        Map<String, Set<String>> labelNames = new TreeMap<>();
        for (ParsedExposition.Sample s : p.samples()) {
            labelNames.computeIfAbsent(s.name(), k -> new TreeSet<>()).addAll(s.labels().keySet());
        }
        assertEquals(Set.of("version", "node"), labelNames.get("raftd_info"));
        assertEquals(Set.of("state"), labelNames.get("raftd_state"));
        assertEquals(Set.of("follower"), labelNames.get("raftd_follower_match_index"));
        assertEquals(Set.of("follower"), labelNames.get("raftd_follower_lag_entries"));
        assertEquals(Set.of("le"), labelNames.get("raftd_log_fsync_seconds_bucket"));
        assertEquals(Set.of(), labelNames.get("raftd_log_fsync_seconds_sum"));
        assertEquals(Set.of("area"), labelNames.get("jvm_memory_bytes_used"));
        assertEquals(Set.of("gc"), labelNames.get("jvm_gc_collection_seconds_count"));
        assertEquals(Set.of("gc"), labelNames.get("jvm_gc_collection_seconds_sum"));
        for (String family : DOCUMENTED.keySet()) {
            if (DOCUMENTED.get(family).equals("gauge") || DOCUMENTED.get(family).equals("counter")) {
                assertTrue(p.has(family), family + " has a sample under its own name");
            }
        }
        Set<String> states = new TreeSet<>();
        p.samples().stream().filter(s -> s.name().equals("raftd_state")).forEach(s -> states.add(s.labels().get("state")));
        assertEquals(Set.of("follower", "pre-candidate", "candidate", "leader"), states);
        assertEquals(1, p.value("raftd_info", "version", p.samples().stream()
                .filter(s -> s.name().equals("raftd_info")).findFirst().orElseThrow().labels().get("version"),
                "node", "Node1"));
        assertEquals(3, p.value("raftd_ledger_sessions"));
        assertEquals(600, p.value("raftd_ledger_sessions_bytes"));
        assertEquals(7, p.value("raftd_ledger_sessions_expired_total"));
        assertEquals(Set.of("key"), labelNames.get("raftd_keyring_opened_datagrams_total"));
        assertEquals(41, p.value("raftd_keyring_opened_datagrams_total", "key", "00112233aabbccdd"));
        assertEquals(0, p.value("raftd_keyring_opened_datagrams_total", "key", "8899aabbccddeeff"));
        assertEquals(2, p.value("raftd_keyring_reloads_total"));
        assertEquals(1, p.value("raftd_keyring_reload_failures_total"));
        assertEquals(Set.of("heap", "nonheap"), Set.copyOf(p.samples().stream()
                .filter(s -> s.name().equals("jvm_memory_bytes_committed")).map(s -> s.labels().get("area")).toList()));
    }

    @Test
    void withoutAClusterKeyTheKeyringFamiliesAreMissing() {
        NodeProbe keyless = new NodeProbe() {
            @Override
            public CompletableFuture<CoreStatus> coreStatus() {
                return CompletableFuture.completedFuture(MetricsServerTest.leaderStatus());
            }

            @Override
            public TransportCounters transport() {
                return new TransportCounters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100);
            }
        };
        ParsedExposition p = ParsedExposition.parse(new Exposition("Node1", keyless, new NodeMetrics(),
                Duration.ofMillis(50)).render());
        for (String family : List.of("raftd_keyring_reloads_total", "raftd_keyring_reload_failures_total",
                "raftd_keyring_opened_datagrams_total")) {
            assertFalse(p.types().containsKey(family), family);
        }
    }

    @Test
    void withoutTheLoopOnlyTheCoresFamiliesAreMissing() {
        ParsedExposition p = render(null, new NodeMetrics());
        assertEquals(0, p.value("raftd_event_loop_up"));
        Set<String> missing = new TreeSet<>(DOCUMENTED.keySet());
        missing.removeAll(p.types().keySet());
        assertEquals(Set.of("raftd_state", "raftd_term", "raftd_leader_known", "raftd_heartbeat_age_seconds",
                "raftd_last_log_index", "raftd_last_log_term", "raftd_commit_index", "raftd_applied_index",
                "raftd_durable_index", "raftd_follower_match_index", "raftd_follower_lag_entries",
                "raftd_elections_started_total", "raftd_elections_won_total", "raftd_votes_granted_total",
                "raftd_votes_denied_total", "raftd_heartbeats_sent_total", "raftd_heartbeats_received_total",
                "raftd_stale_messages_total", "raftd_entries_appended_total", "raftd_appends_rejected_total",
                "raftd_ledger_sessions", "raftd_ledger_sessions_bytes", "raftd_ledger_sessions_expired_total"),
                missing);
    }

    @Test
    void latenciesLandInCumulativeBucketsWithInclusiveBounds() {
        NodeMetrics m = new NodeMetrics();
        m.logFsyncNanos(1_000_000);    // exactly 0.001 s: le is inclusive
        m.logFsyncNanos(1_000_001);    // just past it: from 0.0025 on
        m.logFsyncNanos(-5);           // a bad caller's negative duration counts as zero
        m.logFsyncNanos(7_000_000_000L); // past the last bound: +Inf only
        m.logAppendNanos(40_000);      // 0.00004 s: every bucket
        ParsedExposition p = render(null, m);
        double[] fsync = {1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
        for (int i = 0; i < BUCKETS.length; i++) {
            assertEquals(fsync[i], p.bucket("raftd_log_fsync_seconds", BUCKETS[i]), "le " + BUCKETS[i]);
            assertEquals(1, p.bucket("raftd_log_append_seconds", BUCKETS[i]), "le " + BUCKETS[i]);
        }
        assertEquals(BUCKETS.length + 1, p.samples().stream()
                .filter(s -> s.name().equals("raftd_log_fsync_seconds_bucket")).count(), "the documented bounds and +Inf");
        assertEquals(4, p.bucket("raftd_log_fsync_seconds", Double.POSITIVE_INFINITY));
        assertEquals(4, p.value("raftd_log_fsync_seconds_count"));
        assertEquals(7.002000001, p.value("raftd_log_fsync_seconds_sum"), 1e-9);
        assertEquals(0.00004, p.value("raftd_log_append_seconds_sum"), 1e-12);
    }

    @Test
    void aFamilyGivenTwiceOrACounterNotEndingInTotalIsRefused() {
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> new Families()
                .gauge("raftd_term", "x", 1).gauge("raftd_term", "x", 2));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertThrows(IllegalStateException.class, () -> new Families()
                .counter("raftd_elections_total", "x", 1).gauge("raftd_elections", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> new Families().counter("raftd_elections", "x", 1));
    }
}
