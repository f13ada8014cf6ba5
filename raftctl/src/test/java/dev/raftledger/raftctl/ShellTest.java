package dev.raftledger.raftctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellTest {

    @TempDir
    Path home;

    private FakeCluster cluster;
    private Path history;

    @BeforeEach
    void start() throws Exception {
        cluster = FakeCluster.start(5);
        cluster.electLeader("Node3", 5);
        history = home.resolve("state/history");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Runs raftctl without a command, typing {@code input}; returns the shell's status and what it wrote. */
    private Run shell(String input, String... globalArgs) {
        ByteArrayInputStream in = new ByteArrayInputStream(input.getBytes(UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Environment env = new Environment(Map.of(Shell.HISTORY_ENV, history.toString()), home,
                // built directly: TerminalBuilder wraps non-system streams in a pseudo-terminal
                // that echoes the input and closes at its end before the reader sees it
                () -> new DumbTerminal("raftctl-test", Terminal.TYPE_DUMB, in, out, UTF_8), false);
        Run run = Run.of(env, globalArgs.length == 0 ? cluster.args() : globalArgs);
        return new Run(run.code(), out.toString(UTF_8), run.err());
    }

    @Test
    void runsCommandsUntilExitAndSavesHistory() throws Exception {
        Run run = shell("status\nleader\nexit\n");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("raftctl[Node3 t5]> "), "the prompt shows the leader: " + run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.endsWith("NODE   ADDRESS     REACHABLE  STATE     TERM  LEADER  HEARTBEAT")),
                run.out());
        assertTrue(run.out().contains("leader: Node3 (term 5), named by 5 of 5 answering nodes"), run.out());
        assertTrue(run.out().contains("> Node3 (term 5), named by 5 of 5 answering nodes"), run.out());
        List<String> saved = Files.readAllLines(history);
        assertEquals(List.of("status", "leader", "exit"), saved.stream().map(l -> l.substring(l.indexOf(':') + 1)).toList());
    }

    @Test
    void failingCommandsReturnToThePrompt() {
        cluster.node("Node2").silent();

        Run run = shell("frob\ntimeout Node9\ntimeout Node2\nwatch --count 0\n--json\nquit\n");

        assertEquals(0, run.code());
        assertTrue(run.out().contains("raftctl: unknown command 'frob'"), run.out());
        assertTrue(run.out().contains("Try 'help'."), run.out());
        assertTrue(run.out().contains("unknown node 'Node9'; known: Node1, Node2, Node3, Node4, Node5"), run.out());
        assertTrue(run.out().contains("Try 'help timeout'."), run.out());
        assertTrue(run.out().contains("Node2 at 127.0.0.22:" + cluster.port() + " did not answer TIMEOUT"), run.out());
        assertTrue(run.out().contains("--count must be at least 1"), run.out());
        assertTrue(run.out().contains("missing command"), run.out());
        assertEquals(7, run.out().split("raftctl\\[Node3 t5]> ", -1).length, "six prompts: " + run.out());
        assertTrue(run.noStackTrace(), run.out());
    }

    @Test
    void endOfInputLeavesLikeCtrlD() {
        Run run = shell("leader\n");

        assertEquals(0, run.code());
        assertTrue(run.out().contains("Node3 (term 5)"), run.out());
    }

    @Test
    void startupOptionsApplyToEveryLineAndLinesMayOverrideThem() throws Exception {
        cluster.node("Node2").silent();

        Run run = shell("leader\nstatus --timeout-ms 300\nexit\n", cluster.args("--json"));

        List<String> docs = run.out().lines().filter(l -> l.contains("{")).map(l -> l.substring(l.indexOf('{'))).toList();
        assertEquals(2, docs.size(), run.out());
        assertEquals("Node3", Codec.readTree(docs.get(0)).get("leader").asText());
        JsonNode node2 = Codec.readTree(docs.get(1)).get("nodes").get(1);
        assertEquals("no reply within 300 ms", node2.get("error").asText(), "the line's --timeout-ms wins");
    }

    @Test
    void lineStateDoesNotLeak() {
        Run run = shell("leader --json\nleader\nexit\n");

        assertTrue(run.out().contains("{\"leader\":\"Node3\""), run.out());
        assertTrue(run.out().contains("> Node3 (term 5), named by"), "--json of one line is gone on the next: " + run.out());
    }
}
