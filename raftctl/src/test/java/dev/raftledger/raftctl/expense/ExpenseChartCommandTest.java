package dev.raftledger.raftctl.expense;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftctl.Environment;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import dev.raftledger.raftctl.Shell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code expense report --chart} end to end against the fake nodes, on JLine terminals of a given
 * type on in-memory streams: an ANSI terminal (xterm-256color) gets block elements at its own width, a
 * dumb one and a pipe get '#' at COLUMNS or 80 columns; with --json it is a usage error.
 */
class ExpenseChartCommandTest extends FakeClusterTest {

    private static final String B = "█";
    private static final String FOOTER = "all: 65.50 EUR, 1000 JPY, 3.00 USD; from leader Node3 at applied index 4";

    private final List<Terminal> opened = new ArrayList<>();
    private final ByteArrayOutputStream tty = new ByteArrayOutputStream();

    @BeforeEach
    void seed() {
        cluster.electLeader("Node3", 4);
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        cluster.seed("2026-11-02", "3.00", "USD", "coffee", "bo", "flat white, large");
        cluster.seed("2026-12-01", "40", "EUR", "travel", "ana", "train");
        cluster.seed("2026-11-25", "13.00", "EUR", "food", "bo", "");
        cluster.seed("2026-10-30", "1000", "JPY", "food", "bo", "onigiri");
    }

    @AfterEach
    void closeTerminals() throws IOException {
        for (Terminal t : opened) {
            t.close();
        }
    }

    /** Stdout is a terminal: JLine's terminal of {@code type} on in-memory streams, {@code columns} wide. */
    private Environment onTerminal(String type, int columns, Map<String, String> variables, AtomicInteger opens) {
        return new Environment(variables, home, () -> {
            opens.incrementAndGet();
            // built directly, as in ShellTest: TerminalBuilder would put a real pseudo-terminal
            // between these streams and the test, with pump threads that outlive it
            Terminal t = new DumbTerminal("chart-test", type, new ByteArrayInputStream(new byte[0]), tty, UTF_8);
            if (columns > 0) {
                t.setSize(new Size(columns, 24));
            }
            opened.add(t);
            return t;
        }, true);
    }

    private String[] report(String... more) {
        List<String> args = new ArrayList<>(List.of("expense", "report", "--by", "category"));
        args.addAll(List.of(more));
        return cluster.args(args.toArray(new String[0]));
    }

    @Test
    void anAnsiTerminalGetsBlocksAtItsWidth() {
        AtomicInteger opens = new AtomicInteger();

        Run run = Run.of(onTerminal("xterm-256color", 40, Map.of("COLUMNS", "100"), opens), report("--chart"));

        assertEquals(0, run.code(), run.err());
        // the terminal's 40 columns win over COLUMNS: 2 + 6 + 2 + 23 + 2 + 5
        assertEquals(List.of(
                "EUR",
                "  food    " + B.repeat(14) + "▋" + " ".repeat(8) + "  25.50",
                "  travel  " + B.repeat(23) + "  40.00",
                "JPY",
                "  food    " + B.repeat(23) + "   1000",
                "USD",
                "  coffee  " + B.repeat(23) + "   3.00",
                FOOTER), run.out().lines().toList());
        assertEquals(1, opens.get(), "opened once, to ask it");
        assertEquals("", tty.toString(UTF_8), "the chart goes to stdout, nothing straight to the terminal");
    }

    @Test
    void aDumbTerminalGetsHashesAtColumnsOr80() {
        AtomicInteger opens = new AtomicInteger();

        Run columns = Run.of(onTerminal("dumb", 0, Map.of("COLUMNS", "40"), opens), report("--chart"));
        Run fallback = Run.of(onTerminal("dumb", 0, Map.of(), opens), report("--chart"));

        assertEquals(0, columns.code(), columns.err());
        assertEquals(List.of(
                "EUR",
                "  food    " + "#".repeat(15) + " ".repeat(8) + "  25.50",
                "  travel  " + "#".repeat(23) + "  40.00",
                "JPY",
                "  food    " + "#".repeat(23) + "   1000",
                "USD",
                "  coffee  " + "#".repeat(23) + "   3.00",
                FOOTER), columns.out().lines().toList());
        // 80 columns: a bar column of 63
        assertEquals("  travel  " + "#".repeat(63) + "  40.00", fallback.out().lines().toList().get(2));
        assertEquals(2, opens.get());
    }

    @Test
    void aPipeGetsHashesWithoutOpeningATerminal() {
        Environment pipe = new Environment(Map.of("COLUMNS", "40"), home, () -> {
            throw new AssertionError("stdout is not a terminal: nothing to open");
        }, false);

        Run run = Run.of(pipe, report("--chart"));

        assertEquals(0, run.code(), run.err());
        assertEquals("  food    " + "#".repeat(15) + " ".repeat(8) + "  25.50", run.out().lines().toList().get(1));
        assertTrue(run.out().chars().allMatch(c -> c < 128), "ASCII only: " + run.out());
    }

    @Test
    void aTerminalThatCannotBeOpenedGetsHashes() {
        Environment broken = new Environment(Map.of(), home, () -> {
            throw new IOException("no tty");
        }, true);

        Run run = Run.of(broken, report("--chart"));

        assertEquals(0, run.code(), run.err());
        assertEquals("  travel  " + "#".repeat(63) + "  40.00", run.out().lines().toList().get(2));
    }

    @Test
    void inTheShellTheChartIsDrawnForTheShellsTerminal() {
        ByteArrayInputStream typed = new ByteArrayInputStream(
                "expense report --by category --chart\nexit\n".getBytes(UTF_8));
        Environment shell = new Environment(Map.of(Shell.HISTORY_ENV, home.resolve("history").toString()), home, () -> {
            Terminal t = new DumbTerminal("chart-test", "xterm-256color", typed, tty, UTF_8);
            t.setSize(new Size(40, 24));
            opened.add(t);
            return t;
        }, false);

        Run run = Run.of(shell, cluster.args());

        assertEquals(0, run.code(), run.err());
        String screen = tty.toString(UTF_8);
        assertTrue(screen.contains("  food    " + B.repeat(14) + "▋" + " ".repeat(8) + "  25.50"), screen);
        assertTrue(screen.contains("  travel  " + B.repeat(23) + "  40.00"), screen);
        assertEquals(1, opened.size(), "the shell's own terminal, not another");
    }

    @Test
    void withoutChartTheTableIsUnchanged() {
        AtomicInteger opens = new AtomicInteger();

        Run run = Run.of(onTerminal("xterm-256color", 40, Map.of(), opens), report());

        assertEquals("CATEGORY  CURRENCY  TOTAL", run.out().lines().findFirst().orElseThrow());
        assertEquals(0, opens.get(), "the table never looks at the terminal");
    }

    @Test
    void noExpensesIsTheSameLineAsWithoutChart() {
        Run chart = Run.of(home, report("--chart", "--payer", "nobody"));
        Run table = Run.of(home, report("--payer", "nobody"));

        assertEquals(0, chart.code(), chart.err());
        assertEquals(table.out(), chart.out());
        assertTrue(chart.out().startsWith("no expenses; "), chart.out());
    }

    @Test
    void chartWithJsonIsAUsageError() {
        AtomicInteger opens = new AtomicInteger();

        Run before = Run.of(onTerminal("xterm-256color", 40, Map.of(), opens), cluster.args("--json", "expense", "report",
                "--by", "category", "--chart"));
        Run after = Run.of(home, report("--chart", "--json"));

        for (Run run : List.of(before, after)) {
            assertEquals(2, run.code(), run.err());
            assertTrue(run.err().startsWith("raftctl: --chart draws for people and --json writes for programs: give one"
                    + " of them"), run.err());
            assertTrue(run.err().contains("Try 'raftctl expense report --help'"), run.err());
            assertEquals("", run.out());
        }
        assertTrue(cluster.nothingReceived(), "refused before asking");
        assertEquals(0, opens.get());
    }
}
