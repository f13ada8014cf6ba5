package dev.raftledger.raftctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The text form of {@code status} and {@code watch}: an aligned table, the leader, then any errors. */
final class StatusTable {

    static final List<String> HEADINGS = List.of("NODE", "ADDRESS", "REACHABLE", "STATE", "TERM", "LEADER", "HEARTBEAT");
    private static final String NONE = "-";

    private StatusTable() {}

    static void print(ClusterStatus status, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (NodeStatus n : status.nodes()) {
            rows.add(row(n));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("leader: " + status.leader().summary());
        for (NodeStatus n : status.nodes()) {
            if (n.error() != null) {
                out.println(n.name() + ": " + n.error());
            }
        }
    }

    private static List<String> row(NodeStatus n) {
        return List.of(n.name(), n.address(), n.reachable() ? "yes" : "no", orNone(n.state()),
                n.term() == null ? NONE : Long.toString(n.term()), orNone(n.leader()), heartbeat(n));
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
