package dev.raftledger.raftctl;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Builds the picocli command line, one-shot or for a line typed in the shell. A fresh instance
 * per run keeps one shell line's options from leaking into the next.
 */
final class Cli {

    private Cli() {}

    /** The command line of one raftctl process. */
    static CommandLine commandLine(Environment environment) {
        return configure(new CommandLine(new RaftctlCommand(environment, false)), false);
    }

    /** The command line for one shell line, writing to the shell's terminal. */
    static CommandLine shellLine(Environment environment, PrintWriter terminal) {
        return shellLine(environment, terminal, null);
    }

    /** As above, going on with the shell's client (client id, sequence numbers, last leader). */
    static CommandLine shellLine(Environment environment, PrintWriter terminal, ClientState client) {
        CommandLine cl = configure(new CommandLine(new RaftctlCommand(environment, true, client)), true);
        cl.setOut(terminal);
        cl.setErr(terminal);
        // the shell prefixes each line with its start-up options; a line may override them
        cl.setOverwrittenOptionsAllowed(true);
        return cl;
    }

    private static CommandLine configure(CommandLine cl, boolean inShell) {
        cl.setParameterExceptionHandler(usageErrors(inShell));
        cl.setExecutionExceptionHandler(failures());
        return cl;
    }

    /**
     * A short message and a hint instead of picocli's default of the whole usage text, which buries
     * the one line that matters ("unknown node 'Node9'; known: ...").
     */
    private static IParameterExceptionHandler usageErrors(boolean inShell) {
        return (ParameterException ex, String[] args) -> {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("raftctl: " + message(ex));
            UnmatchedArgumentException.printSuggestions(ex, err);
            String name = cl.getCommandSpec().qualifiedName(" ");
            if (inShell) {
                String sub = name.startsWith("raftctl ") ? name.substring("raftctl ".length()) : "";
                err.println("Try 'help" + (sub.isEmpty() ? "" : " " + sub) + "'.");
            } else {
                err.println("Try '" + name + " --help'.");
            }
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        };
    }

    /** picocli says "Unmatched argument at index 0: 'frob'" for an unknown command; say what it means. */
    private static String message(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof UnmatchedArgumentException unmatched && !spec.subcommands().isEmpty()) {
            List<String> args = unmatched.getUnmatched();
            if (!args.isEmpty() && !args.get(0).startsWith("-")) {
                return "unknown command '" + args.get(0) + "'; commands: "
                        + String.join(", ", spec.subcommands().keySet());
            }
        }
        return ex.getMessage();
    }

    /** Anything unexpected: one line on stderr and status 1, never a stack trace. */
    private static IExecutionExceptionHandler failures() {
        return (Exception ex, CommandLine cl, ParseResult parsed) -> {
            PrintWriter err = cl.getErr();
            String message = ex.getMessage();
            err.println("raftctl: " + (message == null || message.isBlank() ? ex.getClass().getSimpleName() : message));
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        };
    }
}
