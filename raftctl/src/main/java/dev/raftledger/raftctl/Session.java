package dev.raftledger.raftctl;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.client.HostLookups;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * What every command of one invocation shares: the cluster, the clients to reach it, where to
 * write, and how. Built once from the global options; writers come from picocli's
 * {@code CommandLine} so tests and the shell can redirect them.
 */
public final class Session {

    /** Queries change nothing, so a lost datagram is worth one more try. */
    static final int QUERY_ATTEMPTS = 2;
    /** A repeated TIMEOUT would start a second election: mutating requests go out once. */
    static final int MUTATION_ATTEMPTS = 1;
    /** The shell asks for the leader before every prompt; it must not make typing sluggish. */
    static final Duration PROMPT_TIMEOUT = Duration.ofMillis(200);

    private final ClusterResolver.Resolved resolved;
    private final Duration timeout;
    private final Duration writeTimeout;
    private final ClientState clientState;
    private final boolean json;
    private final boolean ansi;
    private final boolean stderrTerminal;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ClusterAuth auth;
    private final Credential credential;
    private final java.nio.file.Path home;
    private final HostLookups lookups;

    Session(ClusterResolver.Resolved resolved, Duration timeout, Duration writeTimeout, ClientState clientState,
            boolean json, boolean ansi, boolean stderrTerminal, PrintWriter out, PrintWriter err, Credential credential,
            java.nio.file.Path home, HostLookups lookups) {
        this.credential = credential;
        this.auth = credential.auth();
        this.home = home;
        this.lookups = lookups;
        this.resolved = resolved;
        this.timeout = timeout;
        this.writeTimeout = writeTimeout;
        this.clientState = clientState;
        this.json = json;
        this.ansi = ansi;
        this.stderrTerminal = stderrTerminal;
        this.out = out;
        this.err = err;
    }

    public ClusterSpec cluster() {
        return resolved.cluster();
    }

    /** Where the cluster came from, e.g. "--cluster" or "default local cluster". */
    public String clusterSource() {
        return resolved.source();
    }

    public Duration timeout() {
        return timeout;
    }

    /** How long one write may take, retries included (--write-timeout-ms). */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /**
     * How long one read (one page) may take, retries included: a pass over every node plus the
     * election wait, in reply timeouts.
     */
    public Duration readBudget() {
        return timeout.multipliedBy(cluster().size() + LeaderRouter.ELECTION_WAIT_FACTOR);
    }

    /** The client id, sequence numbers and last known leader (shared by all lines of a shell). */
    public ClientState clientState() {
        return clientState;
    }

    public LeaderRouter router() {
        return new LeaderRouter(cluster(), timeout, clientState, auth, lookups);
    }

    /**
     * A router whose attempts each wait {@code replyTimeout}, or --timeout-ms if that is longer:
     * for a reply that takes the node a pass over its ledger (an export's first page).
     */
    public LeaderRouter router(Duration replyTimeout) {
        return new LeaderRouter(cluster(), replyTimeout.compareTo(timeout) > 0 ? replyTimeout : timeout, clientState,
                auth, lookups);
    }

    public LedgerClient ledger() {
        return new LedgerClient(this);
    }

    /** The member called {@code name}; a usage error (exit status 2) naming the members if there is none. */
    public NodeAddress node(String name, CommandLine commandLine) {
        return cluster().node(name).orElseThrow(() -> new ParameterException(commandLine,
                "unknown node '" + name + "'; known: " + String.join(", ", cluster().names())));
    }

    /** A client that waits {@code replyTimeout} for one reply to each request sent once. */
    public ControllerClient once(java.time.Duration replyTimeout) {
        return new ControllerClient(replyTimeout, 1, auth, lookups);
    }

    public ControllerClient queries() {
        return new ControllerClient(timeout, QUERY_ATTEMPTS, auth, lookups);
    }

    public ControllerClient mutations() {
        return new ControllerClient(timeout, MUTATION_ATTEMPTS, auth, lookups);
    }

    /** One try per node with the given reply timeout: wait-leader polls again anyway. */
    public ControllerClient pollQueries(Duration replyTimeout) {
        return new ControllerClient(replyTimeout, 1, auth, lookups);
    }

    ControllerClient promptQueries() {
        Duration shortest = timeout.compareTo(PROMPT_TIMEOUT) < 0 ? timeout : PROMPT_TIMEOUT;
        return new ControllerClient(shortest, 1, auth, lookups);
    }

    /** The cluster key's sealing (none without a key), for calls that keep their own socket (backup). */
    public ClusterAuth auth() {
        return auth;
    }

    /** The key this invocation acts with, and where it came from. */
    public Credential credential() {
        return credential;
    }

    /** {@link Credential#describe} with this invocation's home directory: "credential from ~/alice.cred (...)". */
    public String credentialText() {
        return credential.describe(home);
    }

    public boolean json() {
        return json;
    }

    /** Whether output goes to a terminal that understands ANSI escapes. */
    public boolean ansi() {
        return ansi;
    }

    /** Whether stderr is a terminal (import shows its progress there only then). */
    public boolean stderrTerminal() {
        return stderrTerminal;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Reports a failure on stderr in the one format every command uses. */
    public void error(String message) {
        err.println("raftctl: " + message);
        err.flush();
    }
}
