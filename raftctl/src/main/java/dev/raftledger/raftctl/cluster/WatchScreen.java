package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.Lag;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.NodeStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The full-screen view of {@code watch}, as lines: a header (cluster, time, leader, term, quorum,
 * the commit rate over the last minute with its sparkline), one row per node, the degraded members with why (when a majority leader exists but not every
 * member is with it, as {@link ClusterHealth} judges), then the most recent events that fit.
 * Pure: the terminal loop hands it a frame and the screen size and puts the lines on the screen.
 */
final class WatchScreen {

    /**
     * What one screen shows. {@code events} oldest first; the newest that fit are shown.
     * {@code rate}: the commit rate line under the header; none when null.
     */
    record Frame(String cluster, long intervalMs, Instant time, ClusterStatus status, List<WatchEvent> events,
                 CommitRate.Reading rate) {
        Frame {
            events = List.copyOf(events);
        }

        /** A frame without a commit rate line. */
        Frame(String cluster, long intervalMs, Instant time, ClusterStatus status, List<WatchEvent> events) {
            this(cluster, intervalMs, time, status, events, null);
        }
    }

    static final List<String> HEADINGS = List.of("NAME", "STATE", "TERM", "LEADER", "COMMIT", "APPLIED", "HB AGE", "LAG");
    static final int STATE_COLUMN = 1;

    static final AttributedStyle GREEN = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle YELLOW = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle RED = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    static final AttributedStyle BOLD = AttributedStyle.BOLD;

    private static final String NONE = "-";
    private static final String GAP = "  ";

    private final DateTimeFormatter clock;
    private final ClusterHealth.Limits limits;
    private final boolean unicode;

    /** @param zone the time zone of the clock and the events' time stamps (the user's) */
    WatchScreen(ZoneId zone) {
        this(zone, ClusterHealth.Limits.DEFAULT);
    }

    /** @param limits how far a member may trail the leader before it is shown degraded */
    WatchScreen(ZoneId zone, ClusterHealth.Limits limits) {
        this(zone, limits, true);
    }

    /** @param unicode whether the commit rate's sparkline may use block elements (else ASCII) */
    WatchScreen(ZoneId zone, ClusterHealth.Limits limits, boolean unicode) {
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
        this.limits = limits;
        this.unicode = unicode;
    }

    /**
     * At most {@code height} lines, none wider than {@code width} columns (longer ones are cut).
     * When the screen is short the commit rate goes first, then the events, then the degraded
     * members, then the last node rows.
     */
    List<AttributedString> render(Frame frame, int width, int height) {
        ClusterHealth health = ClusterHealth.judge(frame.status(), limits);
        List<AttributedString> lines = new ArrayList<>();
        lines.add(new AttributedString("raftctl watch  " + frame.cluster() + "  every " + frame.intervalMs() + " ms  "
                + clock.format(frame.time()) + "  (q or Ctrl-C to quit)", BOLD));
        lines.add(summary(frame.status(), health));
        lines.add(AttributedString.EMPTY);
        lines.addAll(table(frame.status()));
        if (health.verdict() == ClusterHealth.Verdict.DEGRADED) {
            lines.add(AttributedString.EMPTY);
            lines.add(new AttributedString("DEGRADED", YELLOW.bold()));
            for (ClusterHealth.Member d : health.degraded()) {
                lines.add(new AttributedString(d.text(), YELLOW));
            }
        }
        // the commit rate goes first when the screen is short: shown only if an event still fits below
        if (frame.rate() != null && height - lines.size() - 1 - 2 >= (frame.events().isEmpty() ? 0 : 1)) {
            lines.add(2, new AttributedString(CommitRate.line(frame.rate(), unicode, width)));
        }
        int room = height - lines.size() - 2; // a blank line and the EVENTS heading
        if (room > 0) {
            lines.add(AttributedString.EMPTY);
            lines.add(new AttributedString("EVENTS", BOLD));
            List<WatchEvent> events = frame.events();
            for (WatchEvent e : events.subList(Math.max(0, events.size() - room), events.size())) {
                lines.add(new AttributedString(clock.format(e.time()) + "  " + e.text(), style(e.kind())));
            }
        }
        List<AttributedString> fitted = new ArrayList<>();
        for (AttributedString line : lines.subList(0, Math.min(lines.size(), Math.max(0, height)))) {
            fitted.add(line.columnLength() > width ? line.columnSubSequence(0, Math.max(0, width)) : line);
        }
        return fitted;
    }

    /** "leader: Node3  term: 5  quorum: healthy (5 of 5 answering, 3 needed)". */
    private static AttributedString summary(ClusterStatus status, ClusterHealth health) {
        LeaderView view = status.leader();
        Long term = view.leader() != null ? view.term() : WatchEvents.highestTerm(status);
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append("leader: ");
        if (view.leader() != null) {
            b.append(view.leader(), GREEN);
        } else {
            b.append(view.disputed() ? "disputed" : "none", RED);
        }
        b.append("  term: ").append(term == null ? NONE : Long.toString(term));
        b.append("  quorum: ");
        b.append(health.healthy() ? "healthy" : "unhealthy", health.healthy() ? GREEN : RED.bold());
        b.append(" (" + health.answering() + " of " + health.majority().total() + " answering, "
                + health.majority().quorum() + " needed)");
        return b.toAttributedString();
    }

    private static List<AttributedString> table(ClusterStatus status) {
        List<List<String>> rows = new ArrayList<>();
        List<AttributedStyle> stateStyles = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            rows.add(row(status, n));
            stateStyles.add(stateStyle(n));
        }
        int[] widths = new int[HEADINGS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADINGS.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<AttributedString> lines = new ArrayList<>();
        lines.add(line(HEADINGS, widths, BOLD, BOLD));
        for (int r = 0; r < rows.size(); r++) {
            lines.add(line(rows.get(r), widths, AttributedStyle.DEFAULT, stateStyles.get(r)));
        }
        return lines;
    }

    private static AttributedString line(List<String> cells, int[] widths, AttributedStyle style, AttributedStyle state) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            b.append(cell, i == STATE_COLUMN ? state : style);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(widths[i] - cell.length()) + GAP);
            }
        }
        return b.toAttributedString();
    }

    private static List<String> row(ClusterStatus status, NodeStatus n) {
        return List.of(n.name(), state(n), number(n.term()), orNone(n.leader()), number(n.commitIndex()),
                number(n.appliedIndex()), heartbeat(n), number(Lag.of(status, n)));
    }

    /** The node's state, or "down" (no reply) or "error" (an ERROR reply): its state is unknown. */
    static String state(NodeStatus n) {
        if (!n.reachable()) {
            return "down";
        }
        if (n.error() != null) {
            return "error";
        }
        return orNone(n.state());
    }

    static AttributedStyle stateStyle(NodeStatus n) {
        if (!WatchEvents.up(n)) {
            return RED.bold();
        }
        String state = n.state() == null ? "" : n.state();
        switch (state) {
            case "leader":
                return GREEN.bold();
            case "candidate":
            case "pre-candidate":
                return YELLOW;
            default:
                return AttributedStyle.DEFAULT;
        }
    }

    static AttributedStyle style(WatchEvent.Kind kind) {
        switch (kind) {
            case NODE_LOST:
            case LEADER_LOST:
                return RED;
            case NODE_BACK:
            case LEADER_ELECTED:
            case LEADER_CHANGED:
                return GREEN;
            case ELECTION_STARTED:
                return YELLOW;
            default:
                return AttributedStyle.DEFAULT;
        }
    }

    private static String heartbeat(NodeStatus n) {
        if (n.heartbeatAgeMs() != null) {
            return n.heartbeatAgeMs() + " ms";
        }
        return n.report() != null ? "never" : NONE;
    }

    private static String number(Long n) {
        return n == null ? NONE : Long.toString(n);
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }
}
