package dev.raftledger.raftd;

import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.driver.KeyringReload;
import dev.raftledger.raftd.driver.start.NodeConfig;
import java.io.PrintWriter;

/**
 * What {@code raftd --check-config} prints about a configuration that passed every check, and
 * the one-line status a running node reports to systemd. An operator runs the check with a VM's
 * environment file before enabling the unit; the packaging tests run it over the example files.
 */
final class ConfigCheck {

    private ConfigCheck() {}

    static int print(NodeConfig config, PrintWriter out) {
        out.println("raftd: the configuration of " + config.name() + " is valid");
        out.println("  cluster:     " + config.cluster() + (config.join()
                ? " (joining: a learner until the leader promotes it)" : ""));
        out.println("  listens on:  " + listening(config));
        out.println("  data dir:    " + config.dataDir().toAbsolutePath() + "; NO_SPACE alarm past "
                + config.space().quotaBytes() + " bytes (--quota-bytes) or under " + config.space().minFreeBytes()
                + " bytes free (--min-free-bytes)");
        out.println("  timings:     heartbeat " + config.timings().heartbeatMs() + " ms, election timeout "
                + config.timings().electionMinMs() + "-" + config.timings().electionMaxMs() + " ms");
        out.println("  datagrams:   at most " + config.maxDatagramBytes() + " bytes (every node must use the same)");
        out.println("  sessions:    " + (config.sessionTtlMs() == 0 ? "kept for ever (no time stamped into the log)"
                : "expire " + config.sessionTtlMs() / 1000 + " s after a client's last write (the leader's setting"
                + " applies)"));
        out.println("  cluster key: " + (config.auth().enabled() ? "read; every datagram is encrypted and "
                + "authenticated (" + KeyringReload.describe(config.auth().keyring()) + ")"
                : "none; anyone who can reach the ports is trusted"));
        out.flush();
        return 0;
    }

    /** E.g. "10.0.0.11, ports 9000 9001 9002 5555". */
    static String listening(NodeConfig config) {
        Ports p = config.cluster().ports();
        return config.bindHost() + ", ports " + p.appendEntry() + " " + p.requestVote() + " " + p.voteAck() + " "
                + p.controller();
    }
}
