package dev.raftledger.raftd;

import dev.raftledger.raftd.driver.net.PeerResolver;

/** Entry point of the raftd daemon; see {@link RaftdCommand} for the command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PeerResolver.resolveAfreshEveryTime(); // before any lookup: the JDK reads its cache policy once
        System.exit(RaftdCommand.commandLine().execute(args));
    }
}
