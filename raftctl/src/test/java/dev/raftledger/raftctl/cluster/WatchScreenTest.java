package dev.raftledger.raftctl.cluster;

import static dev.raftledger.raftctl.Rounds.down;
import static dev.raftledger.raftctl.Rounds.led;
import static dev.raftledger.raftctl.Rounds.refusing;
import static dev.raftledger.raftctl.Rounds.round;
import static dev.raftledger.raftctl.Rounds.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class WatchScreenTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:05Z");
    private final WatchScreen screen = new WatchScreen(ZoneOffset.UTC);

    /** Node1 leads; Node2 is a candidate, Node3 is down, Node4 refuses STATUS. */
    private static ClusterStatus mixed() {
        return round(up("Node1", "leader", 7, "Node1", 41), up("Node2", "candidate", 7, null, 39),
                down("Node3"), refusing("Node4", 7), up("Node5", "follower", 7, "Node1", 41));
    }

    private static WatchScreen.Frame frame(ClusterStatus status, List<WatchEvent> events) {
        return new WatchScreen.Frame("5 nodes (--cluster)", 1000, T, status, events);
    }

    private static List<String> text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).toList();
    }

    /** The style of the first character of {@code word} in {@code line}. */
    private static AttributedStyle styleOf(AttributedString line, String word) {
        int at = line.toString().indexOf(word);
        assertTrue(at >= 0, "'" + word + "' in: " + line);
        return line.styleAt(at);
    }

    @Test
    void headerTableAndEvents() {
        List<WatchEvent> events = WatchEvents.diff(null, mixed(), T);

        List<String> lines = text(screen.render(frame(mixed(), events), 120, 30));

        assertEquals(List.of(
                "raftctl watch  5 nodes (--cluster)  every 1000 ms  10:00:05  (q or Ctrl-C to quit)",
                "leader: Node1  term: 7  quorum: unhealthy (3 of 5 answering, 3 needed)",
                "",
                "NAME   STATE      TERM  LEADER  COMMIT  APPLIED  HB AGE  LAG",
                "Node1  leader     7     Node1   41      41       40 ms   0",
                "Node2  candidate  7     -       39      39       40 ms   2",
                "Node3  down       -     -       -       -        -       -",
                "Node4  error      7     -       -       -        -       -",
                "Node5  follower   7     Node1   41      41       40 ms   0",
                "",
                "EVENTS",
                "10:00:05  leader is Node1 (term 7)",
                "10:00:05  Node3 not answering: no reply within 500 ms",
                "10:00:05  Node4 not answering: refused: UNKNOWN_REQUEST: no STATUS here"), lines);
    }

    @Test
    void aHealthyClusterShowsItsLeaderTermAndLag() {
        ClusterStatus status = round(up("Node1", "leader", 7, "Node1", 50), up("Node2", "follower", 7, "Node1", 44),
                up("Node3", "follower", 7, "Node1", 50), down("Node4"), up("Node5", "follower", 7, "Node1", 49));

        List<AttributedString> lines = screen.render(frame(status, List.of()), 120, 30);

        assertEquals("leader: Node1  term: 7  quorum: healthy (4 of 5 answering, 3 needed)", lines.get(1).toString());
        assertEquals(WatchScreen.GREEN, styleOf(lines.get(1), "Node1"));
        assertEquals(WatchScreen.GREEN, styleOf(lines.get(1), "healthy"));
        // LAG: the leader's last index 50 minus each node's applied index (no match index reported)
        assertTrue(lines.get(4).toString().endsWith("  0"), lines.get(4).toString());
        assertTrue(lines.get(5).toString().endsWith("  6"), lines.get(5).toString());
        assertTrue(lines.get(7).toString().endsWith("  -"), "down, and the leader reports no match index");
        assertTrue(lines.get(8).toString().endsWith("  1"), lines.get(8).toString());
    }

    @Test
    void stateCellsAreColouredAndNothingElseInTheRowIs() {
        List<AttributedString> lines = screen.render(frame(mixed(), List.of()), 120, 30);
        AttributedString leader = lines.get(4);
        AttributedString candidate = lines.get(5);
        AttributedString down = lines.get(6);
        AttributedString error = lines.get(7);
        AttributedString follower = lines.get(8);

        assertEquals(WatchScreen.GREEN.bold(), styleOf(leader, "leader"));
        assertEquals(WatchScreen.YELLOW, styleOf(candidate, "candidate"));
        assertEquals(WatchScreen.RED.bold(), styleOf(down, "down"));
        assertEquals(WatchScreen.RED.bold(), styleOf(error, "error"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(follower, "follower"));
        // the whole STATE cell, and only it
        int state = leader.toString().indexOf("leader");
        for (int i = state; i < state + "leader".length(); i++) {
            assertEquals(WatchScreen.GREEN.bold(), leader.styleAt(i));
        }
        assertEquals(AttributedStyle.DEFAULT, leader.styleAt(0), "NAME");
        assertEquals(AttributedStyle.DEFAULT, styleOf(leader, "41"), "COMMIT");
        assertEquals(AttributedStyle.DEFAULT, styleOf(down, "Node3"));
        assertEquals(WatchScreen.BOLD, styleOf(lines.get(3), "STATE"), "headings are bold");
        assertEquals(WatchScreen.RED.bold(), styleOf(lines.get(1), "unhealthy"));
        ClusterStatus leaderless = round(up("Node1", "candidate", 8, null), up("Node2", "follower", 8, null), down("Node3"));
        AttributedString summary = screen.render(frame(leaderless, List.of()), 120, 30).get(1);
        assertEquals("leader: none  term: 8  quorum: unhealthy (2 of 3 answering, 2 needed)", summary.toString(),
                "without a leader, the highest term");
        assertEquals(WatchScreen.RED, styleOf(summary, "none"));
    }

    @Test
    void degradedMembersAreListedBetweenTheTableAndTheEvents() {
        ClusterStatus status = round(up("Node1", "leader", 7, "Node1", 50), up("Node2", "follower", 7, "Node1", 44),
                up("Node3", "pre-candidate", 7, null, 50), down("Node4"), up("Node5", "follower", 7, "Node1", 50));
        List<WatchEvent> events = List.of(new WatchEvent(T, WatchEvent.Kind.NODE_LOST, "Node4", 7L, "Node4 lost"));

        List<AttributedString> lines = screen.render(frame(status, events), 120, 30);
        List<AttributedString> strict = new WatchScreen(ZoneOffset.UTC, new ClusterHealth.Limits(5, 1000))
                .render(frame(status, List.of()), 120, 30);

        assertEquals(List.of("",
                "DEGRADED",
                "Node3: cut off (pre-candidate in term 7: it does not hear the leader)",
                "Node4: down (no reply within 500 ms)",
                "",
                "EVENTS",
                "10:00:05  Node4 lost"), text(lines).subList(9, 16));
        assertEquals("leader: Node1  term: 7  quorum: healthy (4 of 5 answering, 3 needed)", lines.get(1).toString(),
                "the quorum is healthy: the header says so");
        assertEquals(WatchScreen.YELLOW.bold(), styleOf(lines.get(10), "DEGRADED"));
        assertEquals(WatchScreen.YELLOW, styleOf(lines.get(11), "Node3"));
        assertEquals("Node2: far behind (6 entries behind: applied 44, the leader's commit 50)",
                strict.get(11).toString(), "its limits are the screen's");
        // a short screen drops the events first, then the degraded members, then the rows
        List<String> eleven = text(screen.render(frame(status, events), 120, 11));
        assertEquals(List.of("", "DEGRADED"), eleven.subList(9, 11));
        assertTrue(eleven.get(8).startsWith("Node5"), eleven.toString());
    }

    @Test
    void eventsAreColouredByKind() {
        List<WatchEvent> events = new ArrayList<>(WatchEvents.diff(led("Node1", 3), led("Node2", 4), T));
        events.addAll(WatchEvents.diff(led("Node2", 4), round(up("Node1", "follower", 4, "Node2"),
                up("Node2", "leader", 4, "Node2"), down("Node3"), up("Node4", "follower", 4, "Node2"),
                up("Node5", "candidate", 5, null)), T));

        List<AttributedString> lines = screen.render(frame(led("Node2", 4), events), 120, 30);
        List<String> text = text(lines);
        int first = text.indexOf("EVENTS") + 1;

        assertEquals(List.of("10:00:05  leader changed: Node1 -> Node2 (term 4)",
                "10:00:05  Node1: leader -> follower (term 4)",
                "10:00:05  Node5 started an election (term 5)",
                "10:00:05  Node3 lost: no reply within 500 ms"), text.subList(first, text.size()));
        assertEquals(WatchScreen.GREEN, lines.get(first).styleAt(0));
        assertEquals(AttributedStyle.DEFAULT, lines.get(first + 1).styleAt(12));
        assertEquals(WatchScreen.YELLOW, lines.get(first + 2).styleAt(12));
        assertEquals(WatchScreen.RED, lines.get(first + 3).styleAt(12));
    }

    @Test
    void theEventsPaneShowsTheNewestThatFit() {
        List<WatchEvent> events = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            events.add(new WatchEvent(T, WatchEvent.Kind.STATE_CHANGED, "Node1", 1L, "event " + i));
        }

        List<String> lines = text(screen.render(frame(led("Node1", 3), events), 120, 16));

        assertEquals(16, lines.size());
        // 9 lines of header and table, a blank, EVENTS: 5 left for events, the newest last
        assertEquals("EVENTS", lines.get(10));
        assertEquals(List.of("10:00:05  event 36", "10:00:05  event 37", "10:00:05  event 38", "10:00:05  event 39",
                "10:00:05  event 40"), lines.subList(11, 16));
    }

    @Test
    void aShortScreenDropsTheEventsThenTheLastRows() {
        List<WatchEvent> events = List.of(new WatchEvent(T, WatchEvent.Kind.NODE_LOST, "Node3", 1L, "lost"));

        List<String> eleven = text(screen.render(frame(led("Node1", 3), events), 120, 11));
        List<String> six = text(screen.render(frame(led("Node1", 3), events), 120, 6));

        assertEquals(9, eleven.size(), "no room for a heading and one event: no events pane");
        assertTrue(eleven.get(8).startsWith("Node5"));
        assertEquals(6, six.size());
        assertTrue(six.get(5).startsWith("Node2"));
        assertEquals(List.of(), screen.render(frame(led("Node1", 3), events), 120, 0));
    }

    @Test
    void narrowScreensCutEveryLineAndKeepTheColours() {
        List<AttributedString> lines = screen.render(frame(mixed(), WatchEvents.diff(null, mixed(), T)), 20, 30);

        for (AttributedString line : lines) {
            assertTrue(line.columnLength() <= 20, "'" + line + "' is wider than 20");
        }
        assertEquals("raftctl watch  5 nod", lines.get(0).toString());
        assertEquals("NAME   STATE      TE", lines.get(3).toString());
        assertEquals("Node2  candidate  7 ", lines.get(5).toString());
        assertEquals(WatchScreen.YELLOW, styleOf(lines.get(5), "candidate"));
        assertEquals("Node3  down       - ", lines.get(6).toString());
        assertEquals(WatchScreen.RED.bold(), styleOf(lines.get(6), "down"));
        assertEquals("10:00:05  leader is ", lines.get(11).toString());
        assertEquals(WatchScreen.GREEN, lines.get(11).styleAt(19));
        assertEquals(List.of(), text(screen.render(frame(mixed(), List.of()), 0, 30)).stream()
                .filter(l -> !l.isEmpty()).toList(), "width 0: empty lines");
    }

    /** Four known seconds of a rising rate, 56 unknown before them. */
    private static CommitRate.Reading rising() {
        CommitRate rate = new CommitRate(1000);
        long[] indices = {0, 1, 3, 6, 10};
        for (int i = 0; i < indices.length; i++) {
            rate.add(i * 1_000_000_000L, indices[i]);
        }
        return rate.reading();
    }

    private static WatchScreen.Frame withRate(ClusterStatus status, List<WatchEvent> events, CommitRate.Reading rate) {
        return new WatchScreen.Frame("5 nodes (--cluster)", 1000, T, status, events, rate);
    }

    @Test
    void theCommitRateIsUnderTheHeaderWithItsSparkline() {
        List<WatchEvent> events = WatchEvents.diff(null, led("Node1", 3), T);

        List<String> unicode = text(screen.render(withRate(led("Node1", 3), events, rising()), 120, 30));
        List<String> ascii = text(new WatchScreen(ZoneOffset.UTC, ClusterHealth.Limits.DEFAULT, false)
                .render(withRate(led("Node1", 3), events, rising()), 120, 30));
        List<String> first = text(screen.render(withRate(led("Node1", 3), events, new CommitRate(1000).reading()),
                120, 30));

        assertEquals("commits: 2.5/s over 4 s  ▃▅▆█", unicode.get(2));
        assertEquals("", unicode.get(3), "then the blank line and the table, as before");
        assertEquals("commits: 2.5/s over 4 s  -=+#", ascii.get(2));
        assertEquals("commits: -", first.get(2), "before two rounds");
        List<String> without = new ArrayList<>(unicode);
        without.remove(2);
        assertEquals(text(screen.render(frame(led("Node1", 3), events), 120, 30)), without,
                "the rest is as without a rate");
    }

    @Test
    void aShortScreenDropsTheCommitRateBeforeTheEvents() {
        List<WatchEvent> events = WatchEvents.diff(null, led("Node1", 3), T);

        // header, summary, blank, 6 table rows, blank, EVENTS, one event: 12 lines
        List<String> twelve = text(screen.render(withRate(led("Node1", 3), events, rising()), 120, 12));
        List<String> thirteen = text(screen.render(withRate(led("Node1", 3), events, rising()), 120, 13));
        List<String> noEvents = text(screen.render(withRate(led("Node1", 3), List.of(), rising()), 120, 12));

        assertEquals(12, twelve.size());
        assertTrue(twelve.stream().noneMatch(l -> l.startsWith("commits:")), twelve.toString());
        assertEquals("10:00:05  leader is Node1 (term 3)", twelve.get(11));
        assertEquals("commits: 2.5/s over 4 s  ▃▅▆█", thirteen.get(2));
        assertEquals("10:00:05  leader is Node1 (term 3)", thirteen.get(12));
        assertEquals("commits: 2.5/s over 4 s  ▃▅▆█", noEvents.get(2), "no event to make room for");
    }
}
