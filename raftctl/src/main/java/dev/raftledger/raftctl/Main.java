package dev.raftledger.raftctl;

import picocli.CommandLine;

/** Entry point of raftctl; see {@link RaftctlCommand} for the command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** raftctl's command line, also for the build's man pages and shell completion. */
    public static CommandLine commandLine() {
        return Cli.commandLine(Environment.system());
    }
}
