package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.NodeStatus;
import dev.raftledger.raftctl.client.Versions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The text form of {@code status} and {@code watch}: an aligned table, the leader, then any errors. */
final class StatusTable {

    static final List<String> HEADINGS = List.of("NODE", "ADDRESS", "REACHABLE", "STATE", "TERM", "LEADER",
            "LAST", "COMMIT", "APPLIED", "HEARTBEAT", "SNAPSHOT", "VERSION");
    private static final String NONE = "-";

    private StatusTable() {}

    static void print(ClusterStatus status, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            rows.add(row(n));
        }
        Table.print(out, HEADINGS, rows);
        out.println("leader: " + status.leader().summary());
        for (var a : status.alarms()) {
            out.println("alarm: " + a.alarm() + " on " + a.node() + " (" + a.reason()
                    + "): the cluster takes no new writes until it clears");
        }
        String mixed = Versions.mixedLine(status.versions());
        if (mixed != null) {
            out.println(mixed);
        }
        String sessions = sessions(status);
        if (sessions != null) {
            out.println(sessions);
        }
        for (NodeStatus n : status.nodes()) {
            if (n.error() != null) {
                out.println(n.name() + ": " + n.error());
            }
        }
    }

    /**
     * "sessions: 1234 (about 241 KiB of heap), on Node3 (leader)": the leader's count, or the
     * first reporting node's without one; null if no node reported its sessions (an older raftd).
     */
    static String sessions(ClusterStatus status) {
        NodeStatus from = null;
        for (NodeStatus n : status.nodes()) {
            if (n.sessions() != null && (from == null || n.name().equals(status.leader().leader()))) {
                from = n;
            }
        }
        if (from == null) {
            return null;
        }
        boolean leader = from.name().equals(status.leader().leader());
        return "sessions: " + from.sessions() + (from.sessionsBytes() == null ? ""
                : " (about " + Table.bytes(from.sessionsBytes()) + " of heap)") + ", on " + from.name()
                + (leader ? " (leader)" : "");
    }

    private static List<String> row(NodeStatus n) {
        return List.of(n.name(), n.address(), n.reachable() ? "yes" : "no", orNone(n.state()),
                number(n.term()), orNone(n.leader()), number(n.lastLogIndex()), number(n.commitIndex()),
                number(n.appliedIndex()), heartbeat(n), snapshot(n), orNone(n.version()));
    }

    /** The newest snapshot's last index and size, "none" before the first, "-" without a report. */
    private static String snapshot(NodeStatus n) {
        Long index = n.snapshotIndex();
        if (index == null) {
            return n.report() != null ? "none" : NONE;
        }
        Long size = n.snapshotSize();
        return index + (size == null ? "" : " (" + Table.bytes(size) + ")");
    }

    private static String number(Long n) {
        return n == null ? NONE : Long.toString(n);
    }

    private static String heartbeat(NodeStatus n) {
        if (n.heartbeatAgeMs() != null) {
            return n.heartbeatAgeMs() + " ms";
        }
        // a node that reported its status but has never seen a heartbeat, versus no report at all
        return n.report() != null ? "never" : NONE;
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }
}
