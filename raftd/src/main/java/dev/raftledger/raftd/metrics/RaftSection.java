package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.core.Role;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The node's Raft series: from the core's status, the driver's counters and {@link NodeMetrics}. */
final class RaftSection {

    private RaftSection() {}

    /** Series of the core's state; written only when the event loop answered in time. */
    static void core(Families w, CoreStatus s) {
        List<GaugeDataPointSnapshot> states = new ArrayList<>();
        for (Role r : Role.values()) {
            states.add(Families.point(r == s.role() ? 1 : 0, "state", r.wireName()));
        }
        w.gauge("raftd_state", "1 for the role this node is in, 0 for the others.", states);
        w.gauge("raftd_term", "Current term.", s.term());
        w.gauge("raftd_leader_known", "1 if this node knows a leader of its current term (itself included), else 0.",
                s.leader() != null ? 1 : 0);
        if (s.heartbeatAgeMs() >= 0) {
            w.gauge("raftd_heartbeat_age_seconds",
                    "Time since the last heartbeat this node received (follower) or sent (leader).",
                    s.heartbeatAgeMs() / 1000.0);
        }
        w.gauge("raftd_last_log_index", "Index of the last log entry (0-based; -1: empty log).",
                s.lastLog().index());
        w.gauge("raftd_last_log_term", "Term of the last log entry (0: empty log).", s.lastLog().term());
        w.gauge("raftd_commit_index", "Highest log index known committed (-1: none).", s.commitIndex());
        w.gauge("raftd_applied_index", "Highest log index applied to the state machine (-1: none).",
                s.appliedIndex());
        w.gauge("raftd_durable_index", "Highest log index fsynced to this node's disk (-1: none).",
                s.persistedIndex());
        followers(w, s);
        Counters c = s.counters();
        w.counter("raftd_elections_started_total", "Elections this node started as a candidate.",
                c.electionsStarted());
        w.counter("raftd_elections_won_total", "Elections this node won.", c.electionsWon());
        w.counter("raftd_votes_granted_total", "Votes this node granted (pre-votes not counted).",
                c.votesGranted());
        w.counter("raftd_votes_denied_total", "Votes this node refused (pre-votes not counted).",
                c.votesDenied());
        w.counter("raftd_heartbeats_sent_total", "AppendEntry heartbeats sent as leader, per follower.",
                c.heartbeatsSent());
        w.counter("raftd_heartbeats_received_total",
                "AppendEntry messages accepted from a leader of the current term.", c.heartbeatsReceived());
        w.counter("raftd_stale_messages_total",
                "Peer messages ignored: an older term, a non-member, or a vote that no longer counts.",
                c.staleMessages());
        w.counter("raftd_entries_appended_total",
                "Entries appended: client writes proposed as leader, entries accepted as follower.",
                c.entriesAppended());
        w.counter("raftd_appends_rejected_total",
                "AppendEntry requests this node refused because its log did not match.", c.appendsRejected());
    }

    /** The ledger's client sessions (written with the core's series: read on the event loop). */
    static void sessions(Families w, SessionGauge s) {
        w.gauge("raftd_ledger_sessions",
                "Client sessions the ledger holds (last write and result per client id, for exactly-once retries).",
                s.sessions());
        w.gauge("raftd_ledger_sessions_bytes", "Rough estimate of the heap the ledger's client sessions take.",
                s.bytes());
        w.counter("raftd_ledger_sessions_expired_total",
                "Client sessions expired after the session TTL without writes, in the ledger's replicated history.",
                s.expired());
    }

    /** Per follower, on a leader only (a follower's series disappear when leadership is lost). */
    private static void followers(Families w, CoreStatus s) {
        Map<String, Long> match = s.role() == Role.LEADER ? s.followerMatch() : Map.of();
        if (match.isEmpty()) {
            return;
        }
        List<GaugeDataPointSnapshot> matched = new ArrayList<>();
        List<GaugeDataPointSnapshot> lag = new ArrayList<>();
        match.forEach((f, m) -> {
            matched.add(Families.point(m, "follower", f));
            lag.add(Families.point(Math.max(0, s.lastLog().index() - m), "follower", f));
        });
        w.gauge("raftd_follower_match_index",
                "Leader only: highest log index known replicated on each follower (-1: none yet).", matched);
        w.gauge("raftd_follower_lag_entries",
                "Leader only: entries the leader has that each follower is not known to have.", lag);
    }

    /** Series this node records itself; always available, even when the event loop does not answer. */
    static void driver(Families w, NodeMetrics m, TransportCounters t) {
        w.counter("raftd_leader_changes_total",
                "Leaderships this node has seen begin: a leader learned of, or won, in a newer term.",
                m.leaderChanges());
        w.add(m.logAppend().collect());
        w.add(m.logFsync().collect());
        w.add(m.peerWait().collect());
        w.counter("raftd_malformed_datagrams_total",
                "Datagrams refused as malformed: not JSON, wrong fields or types, oversized, wrong port.",
                t.malformedDatagrams());
        w.counter("raftd_auth_failures_total",
                "Datagrams refused by the cluster keyring: unsealed, under an unknown key, altered, replayed or too old.",
                t.authFailures());
        w.counter("raftd_forbidden_total",
                "Authenticated requests refused for their sender: outside its role, or an operator's peer message.",
                t.forbidden());
        w.counter("raftd_unknown_senders_total",
                "Well-formed peer messages from a name that is not a cluster member.", t.unknownSenders());
        w.counter("raftd_unexpected_sources_total",
                "Peer messages in a member's name from an address that member's host does not have.",
                t.unexpectedSources());
        w.counter("raftd_send_failures_total", "Datagrams that could not be sent.", t.sendFailures());
        w.counter("raftd_oversized_datagrams_total",
                "Datagrams sent over the size for their path (--max-datagram-bytes): an entry too large for one.",
                t.oversizedDatagrams());
        w.counter("raftd_dropped_overload_total",
                "Events dropped because the event loop's queue was full.", t.droppedOverload());
        w.counter("raftd_controller_requests_total", "Controller requests handled.",
                t.controllerRequests());
        w.counter("raftd_port_checks_sent_total",
                "Checks of a silent leader's port this node sent (its heartbeat was late).", t.portChecksSent());
        w.counter("raftd_port_checks_closed_total",
                "Port checks the leader's host answered with 'nothing listens there' (ICMP port unreachable).",
                t.portChecksClosed());
        w.counter("raftd_port_checks_received_total",
                "Other nodes' checks of this node's port (one-byte datagrams, dropped).", t.portChecksReceived());
        w.counter("raftd_reads_refused_busy_total",
                "EXPENSES reads refused BUSY because the reader thread's queue was full.", t.readsRefusedBusy());
        w.gauge("raftd_max_heartbeat_gap_seconds",
                "Longest interval between two AppendEntry this node sent one follower while leading, since start.",
                List.of(Families.point(t.maxHeartbeatGapMs() / 1000.0)));
    }

    /** The keyring (docs/security.md): reloads, and which keys are still in use. With a cluster key only. */
    static void keyring(Families w, KeyringMetrics k) {
        w.counter("raftd_keyring_reloads_total", "Keyring reloads (SIGHUP) that took effect.", k.reloads());
        w.counter("raftd_keyring_reload_failures_total",
                "Keyring reloads refused (a key file missing or invalid): the keyring in force stayed.",
                k.reloadFailures());
        List<CounterDataPointSnapshot> opened = new ArrayList<>();
        k.openedByKey().forEach((fingerprint, n) -> opened.add(Families.counterPoint(n, "key", fingerprint)));
        w.counter("raftd_keyring_opened_datagrams_total",
                "Datagrams opened under each key since the node started, by the key's fingerprint: a key whose count "
                        + "no longer rises is no longer used by anyone.", opened);
    }

    /** The disk and its alarm (docs/protocol.md, "A full disk"). */
    static void space(Families w, SpaceMetrics s) {
        w.gauge("raftd_disk_used_bytes", "What the data dir holds, as last read (every second).", s.usedBytes());
        w.gauge("raftd_disk_free_bytes", "Free space of the data dir's file system for raftd, as last read.",
                s.freeBytes());
        w.gauge("raftd_disk_quota_bytes", "--quota-bytes: past it the NO_SPACE alarm is raised.", s.quotaBytes());
        w.gauge("raftd_disk_min_free_bytes", "--min-free-bytes: under it the NO_SPACE alarm is raised.",
                s.minFreeBytes());
        w.gauge("raftd_alarm", "1 while this node's own alarm of that kind is raised.",
                List.of(Families.point(s.alarmRaised() ? 1 : 0, "alarm", "NO_SPACE")));
        w.counter("raftd_writes_refused_no_space_total",
                "Writes this node refused as leader because a member's NO_SPACE alarm was raised.", s.refusals());
    }
}
