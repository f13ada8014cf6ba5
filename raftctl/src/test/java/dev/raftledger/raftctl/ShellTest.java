package dev.raftledger.raftctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
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
        assertTrue(run.out().lines().anyMatch(l -> l.endsWith("NODE   ADDRESS     REACHABLE  STATE     TERM  LEADER  LAST  COMMIT  APPLIED  HEARTBEAT  SNAPSHOT  VERSION")),
                run.out());
        assertTrue(run.out().contains("leader: Node3 (term 5), named by 5 of 5 answering nodes"), run.out());
        assertTrue(run.out().contains("> Node3 (term 5), named by 5 of 5 answering nodes"), run.out());
        List<String> saved = Files.readAllLines(history);
        assertEquals(List.of("status", "leader", "exit"), saved.stream().map(l -> l.substring(l.indexOf(':') + 1)).toList());
    }

    @Test
    void theShellActsWithItsCredentialOnEveryLineAndInItsPrompt() throws Exception {
        cluster.nodes().forEach(n -> n.keyed(dev.raftledger.raftctl.keys.KeysFixtures.nodeKeys()));
        Path ci = home.resolve("ci.cred");
        Files.writeString(ci, "ci 77aa66bb55cc44dd33ee22ff1100aa99bb88cc77dd66ee55ff44003322110099\n");
        Files.setPosixFilePermissions(ci, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<String> args = new java.util.ArrayList<>(List.of(cluster.args()));
        args.addAll(List.of("--credential-file", ci.toString()));

        Run run = shell("whoami\nexpense rm E1\nexit\n", args.toArray(new String[0]));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("raftctl[Node3 t5]> "), "the prompt's LEADER_INFO is sealed too: " + run.out());
        assertTrue(run.out().contains("ci (viewer), key "), run.out());
        assertTrue(run.out().contains("refused EXPENSE: FORBIDDEN: EXPENSE needs the role clerk; ci is a viewer"),
                run.out());
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
    void expenseAddThenListInOneShellWithOneClient() throws Exception {
        Run run = shell("expense add --amount 12.50 --currency EUR --category food --payer ana --date 2026-11-25"
                + " --description lunch\n"
                + "expense add --amount 3 --currency USD --category coffee --payer bo --date 2026-11-24\n"
                + "expense list\nexit\n");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("added E0: 2026-11-25 12.50 EUR food, paid by ana: lunch (index 0, term 5)"),
                run.out());
        assertTrue(run.out().contains("added E1: 2026-11-24 3.00 USD coffee, paid by bo (index 1, term 5)"), run.out());
        List<String> table = run.out().lines().dropWhile(l -> !l.contains("ID  DATE")).toList();
        assertTrue(table.get(0).endsWith("ID  DATE        AMOUNT  CURRENCY  CATEGORY  PAYER  DESCRIPTION"), run.out());
        assertEquals("E1  2026-11-24    3.00  USD       coffee    bo", table.get(1));
        assertEquals("E0  2026-11-25   12.50  EUR       food      ana    lunch", table.get(2));
        assertEquals("2 expenses; from leader Node3 at applied index 1", table.get(3));
        List<ControllerMessage> writes = cluster.node("Node3").received("EXPENSE");
        assertEquals(2, writes.size());
        assertEquals(writes.get(0).value().get("client_id"), writes.get(1).value().get("client_id"),
                "one client id for the whole shell");
        assertEquals(List.of(1L, 2L), writes.stream().map(w -> w.value().get("seq").asLong()).toList());
        assertEquals(1, cluster.node("Node1").received("EXPENSE").size(),
                "the second write went straight to the leader the first one found");
    }

    @Test
    void aLineMayOverrideTheClientForItselfOnly() throws Exception {
        Run run = shell("expense rm E7 --client-id other --seq 9\nexpense rm E8\nexit\n", cluster.args("--seq", "5"));

        List<ControllerMessage> writes = cluster.node("Node3").received("EXPENSE");
        assertEquals(2, writes.size(), run.out());
        assertEquals("other", writes.get(0).value().get("client_id").asText());
        assertEquals(9, writes.get(0).value().get("seq").asLong());
        assertTrue(writes.get(1).value().get("client_id").asText().startsWith("raftctl-"));
        assertEquals(5, writes.get(1).value().get("seq").asLong(), "the shell's own numbering is untouched");
    }

    @Test
    void lineStateDoesNotLeak() {
        Run run = shell("leader --json\nleader\nexit\n");

        assertTrue(run.out().contains("{\"leader\":\"Node3\""), run.out());
        assertTrue(run.out().contains("> Node3 (term 5), named by"), "--json of one line is gone on the next: " + run.out());
    }
}
