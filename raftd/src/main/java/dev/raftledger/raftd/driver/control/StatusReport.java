package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.BuildInfo;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.core.Counters;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.space.ClusterAlarms;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the STATUS reply's value object (schema in docs/protocol.md). */
public final class StatusReport {

    private StatusReport() {}

    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs) {
        return of(s, d, address, uptimeMs, 0, null);
    }

    /** With the log's first index and the newest snapshot (null: none yet). */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                    dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot) {
        return reply(s, d, address, uptimeMs, logFirstIndex, snapshot, null, null).toJson();
    }

    /** As above, with the ledger's sessions (null: not said). */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot, Ledger ledger) {
        return reply(s, d, address, uptimeMs, logFirstIndex, snapshot, ledger, null).toJson();
    }

    /** As above, without the ledger, with the node's disk and the alarms it knows of at {@code now}. */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot, ClusterAlarms alarms,
                                long now) {
        return of(s, d, address, uptimeMs, logFirstIndex, snapshot, null, alarms, now);
    }

    /** With the ledger's sessions, the node's disk and the alarms it knows of at {@code now}. */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot, Ledger ledger,
                                ClusterAlarms alarms, long now) {
        return of(s, d, address, uptimeMs, logFirstIndex, snapshot, ledger, alarms, now, null);
    }

    /**
     * As raftd sends it: with the ledger's sessions, the node's disk, the alarms it knows of at
     * {@code now} and its keyring (null: no cluster key, the field is left out).
     */
    public static ObjectNode of(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot, Ledger ledger,
                                ClusterAlarms alarms, long now, StatusReply.Keyring keyring) {
        SpaceMonitor.State space = alarms.localState();
        StatusReply.Disk disk = space == null || space.reading() == null ? null : new StatusReply.Disk(
                space.reading().usedBytes(), space.reading().freeBytes(), space.quota().quotaBytes(),
                space.quota().minFreeBytes());
        List<StatusReply.Alarm> active = alarms.active(now).stream()
                .map(a -> new StatusReply.Alarm(a.node(), a.alarm(), a.reason())).toList();
        return reply(s, d, address, uptimeMs, logFirstIndex, snapshot, ledger, alarms.refused()).withDisk(disk, active)
                .withKeyring(keyring).toJson();
    }

    /**
     * STATUS's keyring: the fingerprints of the primary and of every node key installed now, how
     * many operators, the datagrams opened under each key, the reloads and refused reloads; null
     * without a cluster key. Fingerprints only: no secret leaves the node. Any thread.
     */
    public static StatusReply.Keyring keyring(ClusterAuth auth, DriverCounters d) {
        Keyring k = auth.keyring();
        if (k == null) {
            return null;
        }
        List<String> nodeKeys = k.nodeKeys().stream().map(Key::fingerprint).toList();
        // node keys only (removed ones too: what a rotation watches), so that STATUS does not grow
        // with the number of operators (their keys' counts are in the metrics)
        return new StatusReply.Keyring(k.primary().fingerprint(), nodeKeys, (long) k.operators(), auth.openedByNodeKey(),
                d.keyringReloads(), d.keyringReloadFailures());
    }

    private static StatusReply reply(CoreStatus s, DriverCounters d, String address, long uptimeMs, long logFirstIndex,
                                     dev.raftledger.raftd.store.snapshot.SnapshotMeta snapshot, Ledger ledger,
                                     Long refusedNoSpace) {
        Counters c = s.counters();
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("elections_started", c.electionsStarted());
        counters.put("elections_won", c.electionsWon());
        counters.put("votes_granted", c.votesGranted());
        counters.put("votes_denied", c.votesDenied());
        counters.put("heartbeats_sent", c.heartbeatsSent());
        counters.put("heartbeats_received", c.heartbeatsReceived());
        counters.put("stale_messages", c.staleMessages());
        counters.put("entries_appended", c.entriesAppended());
        counters.put("appends_rejected", c.appendsRejected());
        counters.put("malformed_datagrams", d.malformedDatagrams());
        counters.put("unknown_senders", d.unknownSenders());
        counters.put("unexpected_sources", d.unexpectedSources());
        counters.put("auth_failures", d.authFailures());
        counters.put("forbidden", d.forbidden());
        counters.put("controller_requests", d.controllerRequests());
        counters.put("send_failures", d.sendFailures());
        counters.put("oversized_datagrams", d.oversizedDatagrams());
        counters.put("dropped_overload", d.droppedOverload());
        counters.put("cluster_id_mismatches", d.clusterIdMismatches());
        // shown once there is something to say, so that a node that never led nor refused a read
        // answers STATUS in the bytes it always did
        if (d.readsRefusedBusy() > 0) {
            counters.put("reads_refused_busy", d.readsRefusedBusy());
        }
        if (d.maxHeartbeatGapMs() > 0) {
            counters.put("max_heartbeat_gap_ms", d.maxHeartbeatGapMs());
        }
        if (refusedNoSpace != null) {
            counters.put("writes_refused_no_space", refusedNoSpace);
        }
        Map<String, Long> heard = new LinkedHashMap<>();
        s.followerHeardMs().forEach((peer, ms) -> heard.put(peer, ms < 0 ? null : ms));
        return new StatusReply(s.name(), address, s.role().wireName(), s.term(), s.votedFor(), s.leader(),
                s.heartbeatAgeMs() < 0 ? null : s.heartbeatAgeMs(), s.lastLog().index(), s.lastLog().term(),
                s.lastLog().index() + 1, s.commitIndex(), s.appliedIndex(), s.persistedIndex(), logFirstIndex,
                snapshot == null ? null : snapshot.lastIncludedIndex(),
                snapshot == null ? null : snapshot.lastIncludedTerm(),
                snapshot == null ? null : snapshot.payloadSize(),
                new LinkedHashMap<>(s.followerMatch()), heard, uptimeMs, BuildInfo.version(), counters,
                ledger == null ? null : (long) ledger.sessionCount(),
                ledger == null ? null : ledger.sessionBytesEstimate());
    }
}
