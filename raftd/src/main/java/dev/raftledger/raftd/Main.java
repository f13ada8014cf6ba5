package dev.raftledger.raftd;

import dev.raftledger.raftd.driver.net.PeerResolver;

/** Entry point of the raftd daemon; see {@link RaftdCommand} for the command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        nameTheLoggingProvider(); // before the first logger
        PeerResolver.resolveAfreshEveryTime(); // before any lookup: the JDK reads its cache policy once
        System.exit(RaftdCommand.commandLine(args).execute(args));
    }

    /** slf4j's binding for raftd; the native image's reflect-config names it too. */
    static final String LOGGING_PROVIDER = "org.slf4j.simple.SimpleServiceProvider";

    /**
     * Tells slf4j which provider to use, unless the JVM's flags already did: otherwise it looks
     * for one with a ServiceLoader, opening every jar on the class path, at every start (about
     * a twentieth of a starting node's CPU; docs/benchmarks.md, "Start-up"). slf4j would say
     * so on stderr at each start; its own messages are kept to warnings and errors.
     */
    static void nameTheLoggingProvider() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", LOGGING_PROVIDER);
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
    }
}
