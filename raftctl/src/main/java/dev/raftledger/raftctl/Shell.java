package dev.raftledger.raftctl;

import dev.raftledger.common.BuildInfo;
import dev.raftledger.raftctl.client.LeaderQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal;

/**
 * The interactive shell: reads a line, runs it as a fresh raftctl command line, repeats. A
 * command's failure is printed by the command line's handlers and the shell carries on; only
 * exit, quit and Ctrl-D leave it. Ctrl-C at the prompt discards the line; during a command
 * (watch) it interrupts the command and returns to the prompt.
 */
public final class Shell {

    public static final String HISTORY_ENV = "RAFTCTL_HISTORY";
    static final String HISTORY_FILE = ".raftctl_history";

    /** Runs one shell line, given as words; returns its exit status. */
    @FunctionalInterface
    interface LineRunner {
        int run(List<String> words);
    }

    private final Terminal terminal;
    private final Path history;
    private final Session session;
    private final ShellCompleter completer;
    private final LineRunner runner;

    Shell(Terminal terminal, Path history, Session session, ShellCompleter completer, LineRunner runner) {
        this.terminal = terminal;
        this.history = history;
        this.session = session;
        this.completer = completer;
        this.runner = runner;
    }

    /**
     * Opens the terminal and runs the shell until exit. Every line runs with {@code globalArgs}
     * (the options the shell was started with) in front of it, and with the same {@code client}:
     * one client id and one increasing sequence of write numbers for the whole shell.
     */
    static int run(Environment environment, Session session, List<String> globalArgs, ClientState client)
            throws IOException {
        try (Terminal terminal = environment.terminal().open()) {
            Environment lines = environment.insideShell(terminal, !isDumb(terminal));
            PrintWriter writer = terminal.writer();
            ShellCompleter completer = new ShellCompleter(
                    Cli.shellLine(lines, writer, client).getCommandSpec(), session.cluster().names());
            LineRunner runner = words -> {
                List<String> args = new ArrayList<>(globalArgs);
                args.addAll(words);
                return Cli.shellLine(lines, writer, client).execute(args.toArray(new String[0]));
            };
            return new Shell(terminal, historyFile(environment), session, completer, runner).loop();
        }
    }

    static Path historyFile(Environment environment) {
        String configured = environment.variable(HISTORY_ENV);
        return configured != null ? Path.of(configured) : environment.home().resolve(HISTORY_FILE);
    }

    int loop() {
        DefaultParser parser = new DefaultParser();
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("raftctl")
                .parser(parser)
                .completer(completer)
                .variable(LineReader.HISTORY_FILE, history)
                .build();
        PrintWriter out = terminal.writer();
        out.println("raftctl " + BuildInfo.version() + ": " + session.cluster().size() + " nodes ("
                + session.clusterSource() + "). Type 'help' for commands; exit, quit or Ctrl-D to leave.");
        out.flush();
        prepareHistoryDirectory();
        Thread shellThread = Thread.currentThread();
        // LineReader installs its own handler while reading and puts this one back afterwards,
        // so this one only acts while a command runs.
        Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> shellThread.interrupt());
        try {
            while (true) {
                try {
                    reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
                if (words.isEmpty()) {
                    continue;
                }
                if (ShellCompleter.SHELL_WORDS.contains(words.get(0))) {
                    break;
                }
                runLine(words, out);
            }
        } finally {
            terminal.handle(Signal.INT, previous);
            saveHistory(reader, out);
        }
        return 0;
    }

    private void runLine(List<String> words, PrintWriter out) {
        try {
            runner.run(words);
        } catch (RuntimeException e) {
            // the command line's handlers catch everything a command throws; this is the last guard
            out.println("raftctl: " + e.getMessage());
        } finally {
            Thread.interrupted(); // a Ctrl-C that arrived as the command ended must not hit the next one
            out.flush();
        }
    }

    /** The current leader, asked of every node with a short timeout so the prompt stays quick. */
    private String prompt() {
        return "raftctl[" + LeaderQuery.ask(session, session.promptQueries()).label() + "]> ";
    }

    private void prepareHistoryDirectory() {
        Path dir = history.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            session.error("history will not be saved: cannot create " + dir + ": " + e.getMessage());
        }
    }

    private void saveHistory(LineReader reader, PrintWriter out) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("raftctl: cannot save history to " + history + ": " + e.getMessage());
        }
        out.flush();
    }

    private static boolean isDumb(Terminal terminal) {
        String type = terminal.getType();
        return type == null || type.startsWith(Terminal.TYPE_DUMB);
    }
}
