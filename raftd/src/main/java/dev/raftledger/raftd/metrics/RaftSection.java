package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.metrics.PrometheusText.Type;
import java.util.Map;

/** The node's Raft series: from the core's status, the driver's counters and {@link NodeMetrics}. */
final class RaftSection {

    private RaftSection() {}

    /** Series of the core's state; written only when the event loop answered in time. */
    static void core(PrometheusText w, CoreStatus s) {
        w.family("raftd_state", Type.GAUGE, "1 for the role this node is in, 0 for the others.");
        for (Role r : Role.values()) {
            w.sample("raftd_state", r == s.role() ? 1 : 0, "state", r.wireName());
        }
        w.single("raftd_term", Type.GAUGE, "Current term.", s.term());
        w.single("raftd_leader_known", Type.GAUGE,
                "1 if this node knows a leader of its current term (itself included), else 0.",
                s.leader() != null ? 1 : 0);
        if (s.heartbeatAgeMs() >= 0) {
            w.single("raftd_heartbeat_age_seconds", Type.GAUGE,
                    "Time since the last heartbeat this node received (follower) or sent (leader).",
                    s.heartbeatAgeMs() / 1000.0);
        }
        w.single("raftd_last_log_index", Type.GAUGE, "Index of the last log entry (0-based; -1: empty log).",
                s.lastLog().index());
        w.single("raftd_last_log_term", Type.GAUGE, "Term of the last log entry (0: empty log).", s.lastLog().term());
        w.single("raftd_commit_index", Type.GAUGE, "Highest log index known committed (-1: none).", s.commitIndex());
        w.single("raftd_applied_index", Type.GAUGE, "Highest log index applied to the state machine (-1: none).",
                s.appliedIndex());
        w.single("raftd_durable_index", Type.GAUGE, "Highest log index fsynced to this node's disk (-1: none).",
                s.persistedIndex());
        followers(w, s);
        Counters c = s.counters();
        w.single("raftd_elections_started_total", Type.COUNTER, "Elections this node started as a candidate.",
                c.electionsStarted());
        w.single("raftd_elections_won_total", Type.COUNTER, "Elections this node won.", c.electionsWon());
        w.single("raftd_votes_granted_total", Type.COUNTER, "Votes this node granted (pre-votes not counted).",
                c.votesGranted());
        w.single("raftd_votes_denied_total", Type.COUNTER, "Votes this node refused (pre-votes not counted).",
                c.votesDenied());
        w.single("raftd_heartbeats_sent_total", Type.COUNTER, "AppendEntry heartbeats sent as leader, per follower.",
                c.heartbeatsSent());
        w.single("raftd_heartbeats_received_total", Type.COUNTER,
                "AppendEntry messages accepted from a leader of the current term.", c.heartbeatsReceived());
        w.single("raftd_stale_messages_total", Type.COUNTER,
                "Peer messages ignored: an older term, a non-member, or a vote that no longer counts.", c.staleMessages());
        w.single("raftd_entries_appended_total", Type.COUNTER,
                "Entries appended: client writes proposed as leader, entries accepted as follower.",
                c.entriesAppended());
        w.single("raftd_appends_rejected_total", Type.COUNTER,
                "AppendEntry requests this node refused because its log did not match.", c.appendsRejected());
    }

    /** Per follower, on a leader only (a follower's series disappear when leadership is lost). */
    private static void followers(PrometheusText w, CoreStatus s) {
        Map<String, Long> match = s.role() == Role.LEADER ? s.followerMatch() : Map.of();
        if (match.isEmpty()) {
            return;
        }
        w.family("raftd_follower_match_index", Type.GAUGE,
                "Leader only: highest log index known replicated on each follower (-1: none yet).");
        match.forEach((f, m) -> w.sample("raftd_follower_match_index", m, "follower", f));
        w.family("raftd_follower_lag_entries", Type.GAUGE,
                "Leader only: entries the leader has that each follower is not known to have.");
        match.forEach((f, m) -> w.sample("raftd_follower_lag_entries", Math.max(0, s.lastLog().index() - m),
                "follower", f));
    }

    /** Series this node records itself; always available, even when the event loop does not answer. */
    static void driver(PrometheusText w, NodeMetrics m, TransportCounters t) {
        w.single("raftd_leader_changes_total", Type.COUNTER,
                "Leaderships this node has seen begin: a leader learned of, or won, in a newer term.",
                m.leaderChanges());
        w.histogram("raftd_log_append_seconds", "Time to write one batch of entries to the log, before the fsync.",
                m.logAppend().snapshot());
        w.histogram("raftd_log_fsync_seconds", "Time of one fsync of the log (one fsync may cover many appends).",
                m.logFsync().snapshot());
        w.single("raftd_malformed_datagrams_total", Type.COUNTER,
                "Datagrams refused as malformed: not JSON, wrong fields or types, oversized, wrong port.",
                t.malformedDatagrams());
        w.single("raftd_auth_failures_total", Type.COUNTER,
                "Datagrams refused by the cluster key: unsigned, altered, replayed or too old.", t.authFailures());
        w.single("raftd_unknown_senders_total", Type.COUNTER,
                "Well-formed peer messages from a name that is not a cluster member.", t.unknownSenders());
        w.single("raftd_unexpected_sources_total", Type.COUNTER,
                "Peer messages in a member's name from an address that member's host does not have.",
                t.unexpectedSources());
        w.single("raftd_send_failures_total", Type.COUNTER, "Datagrams that could not be sent.", t.sendFailures());
        w.single("raftd_oversized_datagrams_total", Type.COUNTER,
                "Datagrams sent over the size for their path (--max-datagram-bytes): an entry too large for one.",
                t.oversizedDatagrams());
        w.single("raftd_dropped_overload_total", Type.COUNTER,
                "Events dropped because the event loop's queue was full.", t.droppedOverload());
        w.single("raftd_controller_requests_total", Type.COUNTER, "Controller requests handled.",
                t.controllerRequests());
    }
}
