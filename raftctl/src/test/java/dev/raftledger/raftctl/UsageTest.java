package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.BuildInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad command lines: exit status 2, one clear message, no stack trace, nothing sent. */
class UsageTest {

    @TempDir
    Path home;

    @Test
    void unknownCommand() {
        Run run = Run.of(home, "frob");

        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("raftctl: unknown command 'frob'; commands: status, leader, timeout,"), run.err());
        assertTrue(run.noStackTrace());
    }

    @Test
    void misspeltCommandGetsASuggestion() {
        Run run = Run.of(home, "stauts");

        assertEquals(2, run.code());
        assertTrue(run.err().contains("Did you mean: raftctl status"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--timeout-ms=abc", "--timeout-ms=0", "--controller-port=0",
        "--controller-port=70000", "--cluster=Node1", "--cluster=Node1=a,Node1=b", "--config=/nonexistent/raftctl"})
    void badGlobalOption(String option) {
        Run run = Run.of(home, option, "status");

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: "), run.err());
        assertTrue(run.err().contains("Try 'raftctl"), run.err());
        assertTrue(run.noStackTrace(), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--interval=0", "--count=0", "--count=x", "--frequency=2"})
    void badWatchOption(String option) {
        Run run = Run.of(home, "watch", option);

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("Try 'raftctl watch --help'"), run.err());
    }

    @Test
    void extraArgument() {
        Run run = Run.of(home, "timeout", "Node1", "Node2");

        assertEquals(2, run.code());
        assertTrue(run.noStackTrace());
    }

    @Test
    void helpOnEveryCommand() {
        Run top = Run.of(home, "--help");
        assertEquals(0, top.code());
        for (String command : new String[] {"status", "leader", "timeout", "convert-follower", "shutdown", "kill", "watch",
            "store", "retrieve", "expense", "log", "import", "export", "health", "wait-leader"}) {
            assertTrue(top.out().contains(command), command + " in " + top.out());
            Run sub = Run.of(home, command, "--help");
            assertEquals(0, sub.code(), command);
            assertTrue(sub.out().startsWith("Usage: raftctl "), sub.out());
            assertTrue(sub.out().contains("--json"), "global options are listed for " + command);
        }
        assertTrue(Run.of(home, "help", "watch").out().contains("--interval"));
        for (String sub : new String[] {"add", "edit", "rm", "list", "report"}) {
            Run help = Run.of(home, "expense", sub, "--help");
            assertEquals(0, help.code(), sub);
            assertTrue(help.out().startsWith("Usage: raftctl expense " + sub), help.out());
            assertTrue(help.out().contains("--write-timeout-ms"), "global options are listed for expense " + sub);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"store k", "store", "import", "import a b", "expense rm", "expense edit", "log --limit=x",
        "expense list --limit=x", "export --frob"})
    void badArgumentsOfNewCommands(String line) {
        Run run = Run.of(home, line.split(" "));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: "), run.err());
        assertTrue(run.noStackTrace(), run.err());
    }

    @Test
    void version() {
        Run run = Run.of(home, "--version");

        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("raftctl " + BuildInfo.version()), run.out());
    }
}
