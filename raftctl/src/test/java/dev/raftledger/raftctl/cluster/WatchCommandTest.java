package dev.raftledger.raftctl.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Environment;
import dev.raftledger.raftctl.FakeCluster;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import dev.raftledger.raftctl.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchCommandTest extends FakeClusterTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private PipedOutputStream keys;

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node1", 3);
    }

    @AfterEach
    void stopRunner() throws IOException {
        runner.shutdownNow();
        if (keys != null) {
            keys.close();
        }
    }

    /** A terminal of type xterm-256color over pipes: keys typed with {@link #type}, output in {@link #screen}. */
    private Terminal xterm() throws IOException {
        keys = new PipedOutputStream();
        Terminal t = new DumbTerminal("watch-test", "xterm-256color", new PipedInputStream(keys), screen, UTF_8);
        t.setSize(new Size(100, 30));
        return t;
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(UTF_8));
        keys.flush();
    }

    private String screen() {
        return screen.toString(UTF_8);
    }

    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WITHIN + ": " + what + "; the terminal got: "
                        + screen().replace("\033", "ESC"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Stdout is a terminal, and opening it is an error: for modes that must not open it. */
    private Environment terminalNotToBeOpened() {
        return new Environment(Map.of(), home, () -> {
            throw new AssertionError("watch must not open the terminal in this mode");
        }, true);
    }

    @Test
    void countTwoPrintsTwoTablesSeparatedByABlankLine() {
        Run run = Run.of(home, cluster.args("watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("NODE ")).count(), run.out());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("leader: Node1 (term 3)")).count(), run.out());
        assertTrue(lines.get(0).startsWith("watch: every 10 ms, ") && lines.get(0).endsWith("(1 of 2)"), lines.get(0));
        int second = lines.indexOf(lines.stream().filter(l -> l.endsWith("(2 of 2)")).findFirst().orElseThrow());
        assertEquals("", lines.get(second - 1), "a blank line between redraws");
        assertTrue(lines.get(second - 2).matches("event \\d\\d:\\d\\d:\\d\\d leader is Node1 \\(term 3\\)"),
                "the first round's events follow its table: " + run.out());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("event ")).count(), "nothing changed after: " + run.out());
        assertFalse(run.out().contains("\033["), "no escape codes when the output is not a terminal");
        assertEquals(2, cluster.node("Node3").received().size(), "one STATUS round per redraw");
    }

    @Test
    void thePlainModeShowsTheCommitRateFromTheSecondRound() {
        Run run = Run.of(home, cluster.args("watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        int second = lines.indexOf(lines.stream().filter(l -> l.endsWith("(2 of 2)")).findFirst().orElseThrow());
        assertTrue(lines.get(1).startsWith("NODE "), "no rate after one round: " + run.out());
        // the fake nodes commit nothing meanwhile; 10 ms apart, no whole second of sparkline yet
        assertEquals("commits: 0.0/s over 0 s", lines.get(second + 1), run.out());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("commits:")).count(), run.out());
    }

    @Test
    void theJsonHasTheCommitRateFromTheSecondRound() throws Exception {
        Run run = Run.of(terminalNotToBeOpened(), cluster.args("--json", "watch", "--count", "2", "--interval", "10"));

        List<String> lines = run.out().lines().toList();
        assertTrue(Codec.readTree(lines.get(0)).get("commit_rate").isNull(), lines.get(0));
        JsonNode rate = Codec.readTree(lines.get(1)).get("commit_rate");
        assertTrue(rate.isNumber(), lines.get(1));
        assertEquals(0.0, rate.asDouble());
    }

    @Test
    void noFullscreenClearsTheScreenOnATerminal() {
        Run run = Run.of(terminalNotToBeOpened(), cluster.args("watch", "--no-fullscreen", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.out().split(WatchCommand.CLEAR_SCREEN.replace("[", "\\["), -1).length - 1, run.out());
    }

    @Test
    void jsonIsOneStatusDocumentPerLineWithTheEventsOfTheRound() throws Exception {
        // Node2 misses the first round (both tries), then answers
        cluster.node("Node2").once("STATUS", r -> null).once("STATUS", r -> null);

        Run run = Run.of(terminalNotToBeOpened(), cluster.args("--json", "watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode doc = Codec.readTree(lines.get(i));
            assertEquals(i + 1, doc.get("redraw").asInt());
            assertEquals("Node1", doc.get("leader").asText());
            assertEquals(5, doc.get("nodes").size());
            assertTrue(doc.get("time").asText().endsWith("Z"));
        }
        JsonNode first = Codec.readTree(lines.get(0)).get("events");
        assertEquals(2, first.size(), first.toString());
        assertEquals("leader_elected", first.get(0).get("kind").asText());
        assertEquals("Node1", first.get(0).get("node").asText());
        assertEquals(3, first.get(0).get("term").asLong());
        assertEquals("leader is Node1 (term 3)", first.get(0).get("text").asText());
        assertEquals("node_lost", first.get(1).get("kind").asText());
        assertEquals("Node2 not answering: no reply within " + FakeCluster.TIMEOUT_MS + " ms", first.get(1).get("text").asText());
        JsonNode second = Codec.readTree(lines.get(1)).get("events");
        assertEquals(1, second.size(), second.toString());
        assertEquals("node_back", second.get(0).get("kind").asText());
        assertEquals(Codec.readTree(lines.get(1)).get("time"), second.get(0).get("time"), "stamped with the round's time");
    }

    @Test
    void degradedMembersFollowTheTableAndAreInTheJson() throws Exception {
        // Node4 answers but hears nobody; the leader has not heard from Node5 for 3 s
        cluster.node("Node4").state("pre-candidate").leader(null).heartbeatAgeMs(null);
        cluster.node("Node1").heard("Node5", 3_000);

        Run text = Run.of(home, cluster.args("watch", "--count", "1"));
        Run json = Run.of(terminalNotToBeOpened(), cluster.args("--json", "watch", "--count", "1"));
        Run loose = Run.of(home, cluster.args("watch", "--count", "1", "--max-silence", "5s"));

        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        int leader = lines.indexOf(lines.stream().filter(l -> l.startsWith("leader: ")).findFirst().orElseThrow());
        assertEquals(List.of("degraded: Node4: cut off (pre-candidate in term 3: it does not hear the leader; has never "
                        + "heard a heartbeat)", "degraded: Node5: cut off (the leader last heard from it 3000 ms ago)"),
                lines.subList(leader + 1, leader + 3), text.out());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("degraded", doc.get("verdict").asText());
        assertEquals(2, doc.get("degraded").size(), doc.toString());
        assertEquals("Node5", doc.get("degraded").get(1).get("node").asText());
        assertEquals("cut_off", doc.get("degraded").get(1).get("reasons").get(0).get("kind").asText());
        assertFalse(loose.out().contains("Node5: cut off"), "--max-silence 5s allows 3 s: " + loose.out());
        assertTrue(loose.out().contains("degraded: Node4: cut off"), loose.out());
    }

    @Test
    void aHealthyRoundHasNoDegradedLines() throws Exception {
        Run text = Run.of(home, cluster.args("watch", "--count", "1"));
        Run json = Run.of(terminalNotToBeOpened(), cluster.args("--json", "watch", "--count", "1"));

        assertFalse(text.out().contains("degraded"), text.out());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("healthy", doc.get("verdict").asText());
        assertEquals(0, doc.get("degraded").size());
    }

    @Test
    void noAnswerInTheLastRoundIsExitStatusOne() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("watch", "--count", "1"));

        assertEquals(1, run.code());
        assertTrue(run.out().contains("none of the 5 nodes answered"), run.out());
    }

    @Test
    void fullScreenOnATerminalUntilQ() throws Exception {
        Terminal terminal = xterm();
        AtomicInteger opened = new AtomicInteger();
        Environment env = new Environment(Map.of(), home, () -> {
            opened.incrementAndGet();
            return terminal;
        }, true);

        Future<Run> run = runner.submit(() -> Run.of(env, cluster.args("watch", "--interval", "20")));
        await(() -> screen().contains("leader is Node1 (term 3)"), "the full screen with its events");
        type("q");
        Run done = run.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertEquals(0, done.code(), done.err());
        assertEquals("", done.out(), "everything went to the terminal");
        assertEquals(1, opened.get());
        assertTrue(screen().startsWith(FullScreenWatchTest.ENTER_ALTERNATE_SCREEN), screen());
        assertTrue(screen().endsWith(FullScreenWatchTest.SHOW_CURSOR + FullScreenWatchTest.EXIT_ALTERNATE_SCREEN));
        assertTrue(screen().contains("(--cluster)  every 20 ms"), screen());
    }

    @Test
    void aDumbTerminalGetsThePlainMode() {
        Environment env = new Environment(Map.of(), home,
                () -> new DumbTerminal("dumb", Terminal.TYPE_DUMB, new PipedInputStream(), screen, UTF_8), true);

        Run run = Run.of(env, cluster.args("watch", "--count", "1"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith(WatchCommand.CLEAR_SCREEN + "watch: every 1000 ms"), run.out());
        assertEquals("", screen(), "nothing drawn on the dumb terminal");
    }

    @Test
    void inTheShellCtrlCReturnsToThePrompt() throws Exception {
        Terminal terminal = xterm();
        Environment env = new Environment(Map.of(Shell.HISTORY_ENV, home.resolve("history").toString()), home,
                () -> terminal, false);

        Future<Run> shell = runner.submit(() -> Run.of(env, cluster.args()));
        type("watch --interval 20\n");
        await(() -> screen().contains("leader is Node1 (term 3)"), "the full screen in the shell");
        type("\u0003");
        await(() -> screen().contains(FullScreenWatchTest.EXIT_ALTERNATE_SCREEN) && screen().lastIndexOf("raftctl[Node1 t3]> ")
                > screen().lastIndexOf(FullScreenWatchTest.EXIT_ALTERNATE_SCREEN), "the prompt after the full screen");
        type("leader\n");
        await(() -> screen().contains("Node1 (term 3), named by 5 of 5 answering nodes"), "the next command's answer");
        type("exit\n");
        Run done = shell.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertEquals(0, done.code(), done.err());
        int leaves = screen().indexOf(FullScreenWatchTest.EXIT_ALTERNATE_SCREEN);
        assertTrue(leaves > 0 && screen().indexOf("named by 5 of 5", leaves) > leaves, "leader ran after watch ended");
    }
}
