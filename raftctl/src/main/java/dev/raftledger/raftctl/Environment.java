package dev.raftledger.raftctl;

import dev.raftledger.common.backup.RedrawnLine;
import dev.raftledger.common.client.HostLookups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * What raftctl takes from the process around it. Commands never read {@code System.getenv()},
 * the real terminal or the system's resolver directly, so tests can hand in their own variables,
 * home directory, terminal streams and name lookups.
 *
 * @param variables  environment variables (RAFT_CLUSTER, RAFTCTL_CONFIG, RAFTCTL_HISTORY, ...)
 * @param home       where ~/.raftctl_history and ~/.config/raftctl/cluster live
 * @param terminal   opens the interactive shell's terminal
 * @param ansiOutput whether standard output is a terminal that understands ANSI escapes
 *                   (watch clears the screen between redraws only then)
 * @param stderrTerminal whether standard error is a terminal (import reports progress there only then)
 * @param shellTerminal  inside the shell, the shell's open terminal, which a line may use (watch
 *                       draws its full screen there) but must not close; null outside the shell
 * @param lookups    how the nodes' host names are looked up (the JDK's resolver, bounded per request)
 */
public record Environment(Map<String, String> variables, Path home, TerminalOpener terminal, boolean ansiOutput,
                   boolean stderrTerminal, Terminal shellTerminal, HostLookups lookups) {

    /** Opens the shell's terminal; a function so that one-shot commands never touch the tty. */
    @FunctionalInterface
    public interface TerminalOpener {
        Terminal open() throws IOException;
    }

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** An environment with the system's name lookups. */
    public Environment(Map<String, String> variables, Path home, TerminalOpener terminal, boolean ansiOutput,
                boolean stderrTerminal, Terminal shellTerminal) {
        this(variables, home, terminal, ansiOutput, stderrTerminal, shellTerminal, HostLookups.SYSTEM);
    }

    /** An environment outside the shell. */
    public Environment(Map<String, String> variables, Path home, TerminalOpener terminal, boolean ansiOutput,
                boolean stderrTerminal) {
        this(variables, home, terminal, ansiOutput, stderrTerminal, null);
    }

    /** An environment whose stderr is not a terminal. */
    public Environment(Map<String, String> variables, Path home, TerminalOpener terminal, boolean ansiOutput) {
        this(variables, home, terminal, ansiOutput, false);
    }

    static Environment system() {
        // Java 17 has no isatty for stdout alone; a console means stdin and stdout are both
        // terminals, which is the interactive case that redrawing in place is for.
        boolean console = System.console() != null;
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")),
                Environment::systemTerminal, console, RedrawnLine.stderrIsTerminal(console));
    }

    /** The variable's value, or null when it is unset or blank (an empty export means "not set"). */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * This environment as seen by one line of the shell, which writes to the shell's terminal
     * ({@code ansi}: whether that understands escapes) and may draw on it.
     */
    Environment insideShell(Terminal shell, boolean ansi) {
        return new Environment(variables, home, terminal, ansi, stderrTerminal, shell, lookups);
    }

    /** This environment with its host names looked up through {@code other} (tests). */
    public Environment withLookups(HostLookups other) {
        return new Environment(variables, home, terminal, ansiOutput, stderrTerminal, shellTerminal, other);
    }

    private static Terminal systemTerminal() throws IOException {
        // dumb(true) allows the quiet fallback to a dumb terminal when stdin is a pipe
        // (printf 'status\n' | raftctl); without it JLine logs a warning on stderr.
        return TerminalBuilder.builder().name("raftctl").system(true).dumb(true).build();
    }
}
