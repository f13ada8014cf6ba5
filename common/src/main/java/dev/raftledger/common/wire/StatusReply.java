package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a STATUS reply ({@link ReplyKey#STATUS}): a node's role, term, log positions,
 * snapshot, followers (a leader only) and counters. Encoded by raftd ({@link #toJson}) and decoded
 * by raftctl ({@link #fromJson}) here, once; docs/protocol.md lists the fields.
 *
 * <p>Encoding writes the fields in one fixed order, {@code heartbeat_age_ms} and the snapshot's
 * as null when unknown, and the follower maps only when there are followers. Decoding is
 * lenient, for a node of another version: a field that is missing or of the wrong type is null
 * (a map: null), never an error. Numbers are {@code Long} so that "not said" stays apart from 0.
 *
 * @param followerMatchIndex each follower's match index (leader only; null or empty: absent)
 * @param followerHeardMs    how long ago the leader last heard each follower; a null value: not in
 *                           this term (leader only; null or empty: absent)
 * @param counters           named counters, written in their map's order
 * @param sessions           the client sessions the node's ledger holds (its dedup table)
 * @param sessionsBytes      a rough estimate of the heap those sessions take, bytes
 * @param disk               the node's disk: what its data dir holds, its file system's free space,
 *                           its quota and floor (null: not watched, or a node of an older version)
 * @param alarms             the disk alarms this node knows of: its own, and on a leader its
 *                           followers' (empty: none; null: not said, by a node of an older version)
 * @param keyring            the node's keyring (null: no cluster key, or a node of an older version)
 */
public record StatusReply(String name, String address, String state, Long term, String votedFor, String leader,
                          Long heartbeatAgeMs, Long lastLogIndex, Long lastLogTerm, Long logLength, Long commitIndex,
                          Long appliedIndex, Long durableIndex, Long logFirstIndex, Long snapshotIndex,
                          Long snapshotTerm, Long snapshotSize, Map<String, Long> followerMatchIndex,
                          Map<String, Long> followerHeardMs, Long uptimeMs, String version,
                          Map<String, Long> counters, Long sessions, Long sessionsBytes, Disk disk,
                          List<Alarm> alarms, Keyring keyring) {

    /** A node's disk, as its space monitor last read it. */
    public record Disk(Long usedBytes, Long freeBytes, Long quotaBytes, Long minFreeBytes) {}

    /** One member's alarm: {@code alarm} is its kind (NO_SPACE), {@code reason} says why. */
    public record Alarm(String node, String alarm, String reason) {}

    /**
     * A node's keyring (docs/security.md): fingerprints only, never a secret.
     *
     * @param primary      the fingerprint of the node key it seals with
     * @param keys         the fingerprints of every node key it accepts, in its keys file's order
     * @param operators    how many operator credentials it accepts
     * @param openedByKey  datagrams it opened under each node key since it started, by
     *                     fingerprint: a key no longer opening anything is unused (operators'
     *                     keys are counted in the metrics, so that STATUS does not grow with them)
     * @param reloads      keyring reloads that took effect (SIGHUP)
     * @param reloadFailures reloads refused (a bad file: the keyring in force stayed)
     */
    public record Keyring(String primary, List<String> keys, Long operators, Map<String, Long> openedByKey,
                          Long reloads, Long reloadFailures) {}

    /** With everything but the keyring (null: not said). */
    public StatusReply(String name, String address, String state, Long term, String votedFor, String leader,
                       Long heartbeatAgeMs, Long lastLogIndex, Long lastLogTerm, Long logLength, Long commitIndex,
                       Long appliedIndex, Long durableIndex, Long logFirstIndex, Long snapshotIndex,
                       Long snapshotTerm, Long snapshotSize, Map<String, Long> followerMatchIndex,
                       Map<String, Long> followerHeardMs, Long uptimeMs, String version,
                       Map<String, Long> counters, Long sessions, Long sessionsBytes, Disk disk, List<Alarm> alarms) {
        this(name, address, state, term, votedFor, leader, heartbeatAgeMs, lastLogIndex, lastLogTerm, logLength,
                commitIndex, appliedIndex, durableIndex, logFirstIndex, snapshotIndex, snapshotTerm, snapshotSize,
                followerMatchIndex, followerHeardMs, uptimeMs, version, counters, sessions, sessionsBytes, disk, alarms,
                null);
    }

    /** Without the disk and the alarms (null: not said). */
    public StatusReply(String name, String address, String state, Long term, String votedFor, String leader,
                       Long heartbeatAgeMs, Long lastLogIndex, Long lastLogTerm, Long logLength, Long commitIndex,
                       Long appliedIndex, Long durableIndex, Long logFirstIndex, Long snapshotIndex,
                       Long snapshotTerm, Long snapshotSize, Map<String, Long> followerMatchIndex,
                       Map<String, Long> followerHeardMs, Long uptimeMs, String version,
                       Map<String, Long> counters, Long sessions, Long sessionsBytes) {
        this(name, address, state, term, votedFor, leader, heartbeatAgeMs, lastLogIndex, lastLogTerm, logLength,
                commitIndex, appliedIndex, durableIndex, logFirstIndex, snapshotIndex, snapshotTerm, snapshotSize,
                followerMatchIndex, followerHeardMs, uptimeMs, version, counters, sessions, sessionsBytes, null, null, null);
    }

    /** Without the sessions, the disk and the alarms (null: not said). */
    public StatusReply(String name, String address, String state, Long term, String votedFor, String leader,
                       Long heartbeatAgeMs, Long lastLogIndex, Long lastLogTerm, Long logLength, Long commitIndex,
                       Long appliedIndex, Long durableIndex, Long logFirstIndex, Long snapshotIndex,
                       Long snapshotTerm, Long snapshotSize, Map<String, Long> followerMatchIndex,
                       Map<String, Long> followerHeardMs, Long uptimeMs, String version,
                       Map<String, Long> counters) {
        this(name, address, state, term, votedFor, leader, heartbeatAgeMs, lastLogIndex, lastLogTerm, logLength,
                commitIndex, appliedIndex, durableIndex, logFirstIndex, snapshotIndex, snapshotTerm, snapshotSize,
                followerMatchIndex, followerHeardMs, uptimeMs, version, counters, null, null, null, null, null);
    }

    /** This reply with the node's disk and the alarms it knows of. */
    public StatusReply withDisk(Disk disk, List<Alarm> alarms) {
        return new StatusReply(name, address, state, term, votedFor, leader, heartbeatAgeMs, lastLogIndex, lastLogTerm,
                logLength, commitIndex, appliedIndex, durableIndex, logFirstIndex, snapshotIndex, snapshotTerm,
                snapshotSize, followerMatchIndex, followerHeardMs, uptimeMs, version, counters, sessions, sessionsBytes,
                disk, alarms, keyring);
    }

    /** This reply with the node's keyring. */
    public StatusReply withKeyring(Keyring keyring) {
        return new StatusReply(name, address, state, term, votedFor, leader, heartbeatAgeMs, lastLogIndex, lastLogTerm,
                logLength, commitIndex, appliedIndex, durableIndex, logFirstIndex, snapshotIndex, snapshotTerm,
                snapshotSize, followerMatchIndex, followerHeardMs, uptimeMs, version, counters, sessions, sessionsBytes,
                disk, alarms, keyring);
    }

    /** The STATUS object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode o = Codec.objectNode();
        o.put("name", name);
        o.put("address", address);
        o.put("state", state);
        o.put("term", term);
        o.put("voted_for", votedFor);
        o.put("leader", leader);
        o.put("heartbeat_age_ms", heartbeatAgeMs);
        o.put("last_log_index", lastLogIndex);
        o.put("last_log_term", lastLogTerm);
        o.put("log_length", logLength);
        o.put("commit_index", commitIndex);
        o.put("applied_index", appliedIndex);
        o.put("durable_index", durableIndex);
        o.put("log_first_index", logFirstIndex);
        o.put("snapshot_index", snapshotIndex);
        o.put("snapshot_term", snapshotTerm);
        o.put("snapshot_size", snapshotSize);
        putMap(o, "follower_match_index", followerMatchIndex);
        putMap(o, "follower_heard_ms", followerHeardMs);
        o.put("uptime_ms", uptimeMs);
        o.put("version", version);
        if (sessions != null) {
            o.put("sessions", sessions);
            o.put("sessions_bytes", sessionsBytes);
        }
        ObjectNode n = o.putObject("counters");
        if (counters != null) {
            counters.forEach(n::put);
        }
        if (disk != null) {
            ObjectNode d = o.putObject("disk");
            d.put("used_bytes", disk.usedBytes());
            d.put("free_bytes", disk.freeBytes());
            d.put("quota_bytes", disk.quotaBytes());
            d.put("min_free_bytes", disk.minFreeBytes());
        }
        if (alarms != null) {
            ArrayNode a = o.putArray("alarms");
            for (Alarm alarm : alarms) {
                a.addObject().put("node", alarm.node()).put("alarm", alarm.alarm()).put("reason", alarm.reason());
            }
        }
        if (keyring != null) {
            ObjectNode k = o.putObject("keyring");
            k.put("primary", keyring.primary());
            ArrayNode keys = k.putArray("keys");
            if (keyring.keys() != null) {
                keyring.keys().forEach(keys::add);
            }
            k.put("operators", keyring.operators());
            ObjectNode opened = k.putObject("opened_by_key");
            if (keyring.openedByKey() != null) {
                keyring.openedByKey().forEach(opened::put);
            }
            k.put("reloads", keyring.reloads());
            k.put("reload_failures", keyring.reloadFailures());
        }
        return o;
    }

    /** The STATUS object {@code v} as far as it is one; see the class comment for leniency. */
    public static StatusReply fromJson(JsonNode v) {
        return new StatusReply(text(v, "name"), text(v, "address"), text(v, "state"), number(v, "term"),
                text(v, "voted_for"), text(v, "leader"), number(v, "heartbeat_age_ms"), number(v, "last_log_index"),
                number(v, "last_log_term"), number(v, "log_length"), number(v, "commit_index"),
                number(v, "applied_index"), number(v, "durable_index"), number(v, "log_first_index"),
                number(v, "snapshot_index"), number(v, "snapshot_term"), number(v, "snapshot_size"),
                map(v, "follower_match_index"), map(v, "follower_heard_ms"), number(v, "uptime_ms"),
                text(v, "version"), map(v, "counters"), number(v, "sessions"), number(v, "sessions_bytes"), disk(v),
                alarms(v), keyring(v));
    }

    private static Keyring keyring(JsonNode v) {
        JsonNode k = v == null ? null : v.get("keyring");
        if (k == null || !k.isObject()) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        JsonNode a = k.get("keys");
        if (a != null && a.isArray()) {
            for (JsonNode n : a) {
                if (n.isTextual()) {
                    keys.add(n.asText());
                }
            }
        }
        return new Keyring(text(k, "primary"), keys, number(k, "operators"), map(k, "opened_by_key"),
                number(k, "reloads"), number(k, "reload_failures"));
    }

    private static Disk disk(JsonNode v) {
        JsonNode d = v == null ? null : v.get("disk");
        if (d == null || !d.isObject()) {
            return null;
        }
        return new Disk(number(d, "used_bytes"), number(d, "free_bytes"), number(d, "quota_bytes"),
                number(d, "min_free_bytes"));
    }

    /** The alarms (an entry that is not an object is skipped); null if absent or not a list. */
    private static List<Alarm> alarms(JsonNode v) {
        JsonNode a = v == null ? null : v.get("alarms");
        if (a == null || !a.isArray()) {
            return null;
        }
        List<Alarm> out = new ArrayList<>();
        for (JsonNode n : a) {
            if (n.isObject()) {
                out.add(new Alarm(text(n, "node"), text(n, "alarm"), text(n, "reason")));
            }
        }
        return out;
    }

    private static void putMap(ObjectNode o, String field, Map<String, Long> values) {
        if (values != null && !values.isEmpty()) {
            ObjectNode m = o.putObject(field);
            values.forEach(m::put);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Long number(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
    }

    /** An object of numbers (a null or non-number value: a null entry); null if absent or not an object. */
    private static Map<String, Long> map(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        if (n == null || !n.isObject()) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode x = e.getValue();
            out.put(e.getKey(), x.isIntegralNumber() && x.canConvertToLong() ? x.asLong() : null);
        }
        return out;
    }
}
