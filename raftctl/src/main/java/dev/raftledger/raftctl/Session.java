package dev.raftledger.raftctl;

import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * What every command of one invocation shares: the cluster, the clients to reach it, where to
 * write, and how. Built once from the global options; writers come from picocli's
 * {@code CommandLine} so tests and the shell can redirect them.
 */
final class Session {

    /** Queries change nothing, so a lost datagram is worth one more try. */
    static final int QUERY_ATTEMPTS = 2;
    /** A repeated TIMEOUT would start a second election: mutating requests go out once. */
    static final int MUTATION_ATTEMPTS = 1;
    /** The shell asks for the leader before every prompt; it must not make typing sluggish. */
    static final Duration PROMPT_TIMEOUT = Duration.ofMillis(200);

    private final ClusterResolver.Resolved resolved;
    private final Duration timeout;
    private final boolean json;
    private final boolean ansi;
    private final PrintWriter out;
    private final PrintWriter err;

    Session(ClusterResolver.Resolved resolved, Duration timeout, boolean json, boolean ansi,
            PrintWriter out, PrintWriter err) {
        this.resolved = resolved;
        this.timeout = timeout;
        this.json = json;
        this.ansi = ansi;
        this.out = out;
        this.err = err;
    }

    ClusterSpec cluster() {
        return resolved.cluster();
    }

    /** Where the cluster came from, e.g. "--cluster" or "default local cluster". */
    String clusterSource() {
        return resolved.source();
    }

    Duration timeout() {
        return timeout;
    }

    ControllerClient queries() {
        return new ControllerClient(timeout, QUERY_ATTEMPTS);
    }

    ControllerClient mutations() {
        return new ControllerClient(timeout, MUTATION_ATTEMPTS);
    }

    ControllerClient promptQueries() {
        Duration shortest = timeout.compareTo(PROMPT_TIMEOUT) < 0 ? timeout : PROMPT_TIMEOUT;
        return new ControllerClient(shortest, 1);
    }

    boolean json() {
        return json;
    }

    /** Whether output goes to a terminal that understands ANSI escapes. */
    boolean ansi() {
        return ansi;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** Reports a failure on stderr in the one format every command uses. */
    void error(String message) {
        err.println("raftctl: " + message);
        err.flush();
    }
}
