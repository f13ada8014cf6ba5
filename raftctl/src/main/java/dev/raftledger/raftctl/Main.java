package dev.raftledger.raftctl;

/** Entry point of raftctl; see {@link RaftctlCommand} for the command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.commandLine(Environment.system()).execute(args));
    }
}
