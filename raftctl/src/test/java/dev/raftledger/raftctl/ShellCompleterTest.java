package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

class ShellCompleterTest {

    private static final List<String> NODES = List.of("Node1", "Node2", "Node3");

    private final ShellCompleter completer = new ShellCompleter(
            Cli.shellLine(Run.environment(Map.of(), Path.of(".")), new PrintWriter(new StringWriter())).getCommandSpec(),
            NODES);

    /** The candidates JLine would be offered with the cursor at the end of {@code line}. */
    private List<String> candidates(String line) {
        List<Candidate> found = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), ParseContext.COMPLETE), found);
        return found.stream().map(Candidate::value).toList();
    }

    @Test
    void nodeNamesAfterCommandsThatTakeANode() {
        assertTrue(candidates("timeout N").containsAll(NODES), candidates("timeout N").toString());
        assertEquals(NODES, candidates("convert-follower "));
        assertEquals(NODES, candidates("kill "));
        assertEquals(NODES, candidates("--json shutdown N"));
    }

    @Test
    void commandNamesFirst() {
        List<String> first = candidates("");
        assertTrue(first.containsAll(List.of("status", "leader", "timeout", "convert-follower", "shutdown", "kill",
                "watch", "help", "exit", "quit")), first.toString());
        assertTrue(candidates("st").contains("status"));
        assertTrue(candidates("help ").contains("watch"));
    }

    @Test
    void optionNamesAfterADash() {
        assertTrue(candidates("watch --").containsAll(List.of("--interval", "--count", "--json", "--help")));
        assertTrue(candidates("--").contains("--cluster"));
    }

    @Test
    void healthAndWaitLeader() {
        assertTrue(candidates("").containsAll(List.of("health", "wait-leader")), candidates("").toString());
        assertEquals(NODES, candidates("health --node "));
        assertTrue(candidates("health --").contains("--node"));
        assertTrue(candidates("wait-leader --").contains("--timeout"));
    }

    @Test
    void newCommandsAndExpenseSubcommands() {
        assertTrue(candidates("").containsAll(List.of("store", "retrieve", "expense", "log", "import", "export")),
                candidates("").toString());
        assertTrue(candidates("expense ").containsAll(List.of("add", "edit", "rm", "list", "report")),
                candidates("expense ").toString());
        assertTrue(candidates("--json expense l").contains("list"));
        assertTrue(candidates("expense add --").containsAll(List.of("--amount", "--currency", "--category",
                "--description", "--payer", "--date", "--json", "--client-id")), candidates("expense add --").toString());
        assertTrue(candidates("expense list --").containsAll(List.of("--category", "--payer", "--from", "--to", "--text",
                "--limit", "--stale")));
    }

    @Test
    void optionValuesWhereThereAreFixedOnes() {
        assertEquals(NODES, candidates("log --node "));
        assertEquals(NODES, candidates("log --from 3 --node N"));
        assertEquals(List.of("category", "month", "payer"), candidates("expense report --by "));
        assertEquals(List.of("csv", "json"), candidates("export --format "));
        assertEquals(List.of("viewer", "clerk", "admin"), candidates("credential new ci --role "));
        assertEquals(List.of("status", "new"), candidates("keyring "));
        assertEquals(List.of(), candidates("expense add --amount "));
        assertEquals(List.of(), candidates("expense list "), "no positional parameters");
    }

    @Test
    void nothingWhereNothingFits() {
        assertEquals(List.of(), candidates("timeout Node1 "), "NODE is already given");
        assertEquals(List.of(), candidates("--cluster "), "an option's value");
        assertEquals(List.of(), candidates("watch --interval "));
        assertEquals(List.of(), candidates("status "));
    }
}
