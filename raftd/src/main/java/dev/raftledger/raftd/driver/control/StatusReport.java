package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.BuildInfo;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.driver.DriverCounters;

/** Builds the STATUS reply's value object (schema in docs/protocol.md). */
public final class StatusReport {

    private StatusReport() {}

    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs) {
        return of(s, d, address, uptimeMs, 0, null);
    }

    /** With the log's first index and the newest snapshot (null: none yet). */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                    dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot) {
        ObjectNode o = Codec.objectNode();
        o.put("name", s.name());
        o.put("address", address);
        o.put("state", s.role().wireName());
        o.put("term", s.term());
        o.put("voted_for", s.votedFor());
        o.put("leader", s.leader());
        if (s.heartbeatAgeMs() < 0) {
            o.putNull("heartbeat_age_ms");
        } else {
            o.put("heartbeat_age_ms", s.heartbeatAgeMs());
        }
        o.put("last_log_index", s.lastLog().index());
        o.put("last_log_term", s.lastLog().term());
        o.put("log_length", s.lastLog().index() + 1);
        o.put("commit_index", s.commitIndex());
        o.put("applied_index", s.appliedIndex());
        o.put("durable_index", s.persistedIndex());
        o.put("log_first_index", logFirstIndex);
        if (snapshot == null) {
            o.putNull("snapshot_index");
            o.putNull("snapshot_term");
            o.putNull("snapshot_size");
        } else {
            o.put("snapshot_index", snapshot.lastIncludedIndex());
            o.put("snapshot_term", snapshot.lastIncludedTerm());
            o.put("snapshot_size", snapshot.payloadSize());
        }
        if (!s.followerMatch().isEmpty()) {
            ObjectNode followers = o.putObject("follower_match_index");
            s.followerMatch().forEach(followers::put);
        }
        if (!s.followerHeardMs().isEmpty()) {
            ObjectNode heard = o.putObject("follower_heard_ms");
            s.followerHeardMs().forEach((peer, ms) -> {
                if (ms < 0) {
                    heard.putNull(peer);
                } else {
                    heard.put(peer, ms);
                }
            });
        }
        o.put("uptime_ms", uptimeMs);
        o.put("version", BuildInfo.version());
        Counters c = s.counters();
        ObjectNode n = o.putObject("counters");
        n.put("elections_started", c.electionsStarted());
        n.put("elections_won", c.electionsWon());
        n.put("votes_granted", c.votesGranted());
        n.put("votes_denied", c.votesDenied());
        n.put("heartbeats_sent", c.heartbeatsSent());
        n.put("heartbeats_received", c.heartbeatsReceived());
        n.put("stale_messages", c.staleMessages());
        n.put("entries_appended", c.entriesAppended());
        n.put("appends_rejected", c.appendsRejected());
        n.put("malformed_datagrams", d.malformedDatagrams());
        n.put("unknown_senders", d.unknownSenders());
        n.put("unexpected_sources", d.unexpectedSources());
        n.put("auth_failures", d.authFailures());
        n.put("controller_requests", d.controllerRequests());
        n.put("send_failures", d.sendFailures());
        n.put("oversized_datagrams", d.oversizedDatagrams());
        n.put("dropped_overload", d.droppedOverload());
        return o;
    }
}
