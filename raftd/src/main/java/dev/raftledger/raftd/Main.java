package dev.raftledger.raftd;

import picocli.CommandLine;

/** Entry point of the raftd daemon; see {@link RaftdCommand} for the command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new RaftdCommand()).execute(args));
    }
}
