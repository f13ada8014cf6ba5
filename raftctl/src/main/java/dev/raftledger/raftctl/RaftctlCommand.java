package dev.raftledger.raftctl;

import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.Validation;
import dev.raftledger.raftctl.backup.BackupCommand;
import dev.raftledger.raftctl.cluster.ConvertFollowerCommand;
import dev.raftledger.raftctl.cluster.HealthCommand;
import dev.raftledger.raftctl.cluster.LeaderCommand;
import dev.raftledger.raftctl.cluster.ShutdownCommand;
import dev.raftledger.raftctl.cluster.SnapshotCommand;
import dev.raftledger.raftctl.cluster.StatusCommand;
import dev.raftledger.raftctl.cluster.TimeoutCommand;
import dev.raftledger.raftctl.cluster.TransferLeaderCommand;
import dev.raftledger.raftctl.cluster.WaitLeaderCommand;
import dev.raftledger.raftctl.cluster.WatchCommand;
import dev.raftledger.raftctl.expense.ExpenseCommand;
import dev.raftledger.raftctl.expense.ExportCommand;
import dev.raftledger.raftctl.expense.ImportCommand;
import dev.raftledger.raftctl.keys.CredentialCommand;
import dev.raftledger.raftctl.keys.KeyringCommand;
import dev.raftledger.raftctl.keys.WhoamiCommand;
import dev.raftledger.raftctl.member.MemberCommand;
import dev.raftledger.raftctl.store.LogCommand;
import dev.raftledger.raftctl.store.RetrieveCommand;
import dev.raftledger.raftctl.store.StoreCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level command: global options, the subcommands, and the shell when no subcommand is
 * given. Global options are {@code scope = INHERIT}, so they are accepted before or after the
 * subcommand and always land in this object.
 */
// scope INHERIT: every subcommand has --help and --version, this version provider, options in
// declaration order and usage help as wide as the terminal, without repeating it (issue 12).
@Command(name = "raftctl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Operates a raftledger cluster through the nodes' controller ports.",
                "Without a command, opens an interactive shell (history, Tab completion, the",
                "current leader in the prompt; exit, quit or Ctrl-D to leave)."},
        subcommands = {StatusCommand.class, LeaderCommand.class, TimeoutCommand.class,
                ConvertFollowerCommand.class, ShutdownCommand.class, TransferLeaderCommand.class, SnapshotCommand.class,
                WatchCommand.class,
                HealthCommand.class, WaitLeaderCommand.class,
                StoreCommand.class, RetrieveCommand.class, ExpenseCommand.class, LogCommand.class,
                ImportCommand.class, ExportCommand.class, MemberCommand.class, BackupCommand.class,
                WhoamiCommand.class, KeyringCommand.class, CredentialCommand.class, HelpCommand.class},
        footerHeading = "%nCluster:%n",
        footer = {"  The first given of --cluster, --config, $RAFT_CLUSTER, $RAFTCTL_CONFIG,",
                "  ~/.config/raftctl/cluster; else Node1-Node5 on 127.0.0.1-127.0.0.5.",
                "  Shell history: $RAFTCTL_HISTORY, else ~/.raftctl_history."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success",
                "1:a node did not answer (status: any member; watch: no member in the last round), no agreed leader (leader); unhealthy, degraded with --strict, or --node not answering (health); no majority leader in time (wait-leader); refused, or no new leader in time (transfer-leader); no leader or no answer in time, a write refused or of unknown outcome, an import row not imported (store, retrieve, expense, log, import, export); no leader, a change refused or of unknown outcome (member); no member answered (member survivors); no leader, a refusal, silence or a copy that does not check out (backup save); a damaged, truncated or foreign file (backup inspect); no node answered (whoami); a node did not answer or report its keyring (keyring status); FILE cannot be written (credential new). A refusal FORBIDDEN (the credential's role does not allow the request) is a refusal like any other",
                "2:usage error: unknown command, option or node name, or a bad value (nothing sent); a backup FILE that exists (backup save) or cannot be read (backup inspect); --credential-file and --cluster-key-file (or their variables) both given, or a key file refused; a credential FILE that exists (credential new)",
                "3:the nodes' keyrings are not consistent (keyring status)"})
public final class RaftctlCommand implements Callable<Integer> {

    static final String CONTROLLER_PORT_ENV = "RAFT_CONTROLLER_PORT";
    static final int DEFAULT_CONTROLLER_PORT = 5555;
    static final int DEFAULT_TIMEOUT_MS = 500;
    static final int DEFAULT_WRITE_TIMEOUT_MS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON document per result instead of text.")
    boolean json;

    @Option(names = "--cluster", paramLabel = "Name=host,...", scope = ScopeType.INHERIT,
            description = "The members, e.g. Node1=10.0.0.1,Node2=10.0.0.2")
    String cluster;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A file of members: Name=host per line, # comments")
    Path config;

    // No defaultValue on inherited options: the defaults are applied in session(), where the
    // environment variable can take part (and tests can pass a fake environment).
    @Option(names = "--controller-port", paramLabel = "PORT", scope = ScopeType.INHERIT,
            description = "The nodes' controller port (env RAFT_CONTROLLER_PORT). Default: 5555")
    Integer controllerPort;

    @Option(names = "--credential-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "An operator's credential, if the cluster has a key (env RAFT_CREDENTIAL_FILE): "
                    + "one line 'name secret' (raftctl credential new); raftctl acts as that operator, within "
                    + "the role the nodes give it (raftctl whoami). See docs/security.md")
    Path credentialFile;

    @Option(names = "--cluster-key-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A node keys file, if the cluster has a key (env RAFT_CLUSTER_KEY_FILE): raftctl acts as a "
                    + "node, an admin. Not together with --credential-file (or RAFT_CREDENTIAL_FILE)")
    Path clusterKeyFile;

    @Option(names = "--timeout-ms", paramLabel = "MS", scope = ScopeType.INHERIT,
            description = "How long to wait for each node's reply. Default: 500")
    Integer timeoutMs;

    @Option(names = "--write-timeout-ms", paramLabel = "MS", scope = ScopeType.INHERIT,
            description = "How long one write may take, retries included. Default: 10000")
    Integer writeTimeoutMs;

    @Option(names = "--client-id", paramLabel = "ID", scope = ScopeType.INHERIT,
            description = "The client id of ledger writes. Default: raftctl-<12 random hex digits> per process")
    String clientId;

    @Option(names = "--seq", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "The sequence number of the first ledger write (then +1 per write); above 1 for a client "
                    + "id the cluster does not know (or has forgotten) may be refused SESSION_EXPIRED. Default: 1")
    Long firstSeq;

    private final Environment environment;
    private final boolean inShell;
    private final ClientState shellClient;
    private Session session;

    /**
     * @param inShell true for one line typed in the shell, where a line without a command is an
     *                error rather than a request to open another shell
     */
    RaftctlCommand(Environment environment, boolean inShell) {
        this(environment, inShell, null);
    }

    /**
     * @param shellClient the shell's client state, which its lines share (one client id, one
     *                    sequence of numbers, the last known leader); null outside the shell
     */
    RaftctlCommand(Environment environment, boolean inShell, ClientState shellClient) {
        this.environment = environment;
        this.inShell = inShell;
        this.shellClient = shellClient;
    }

    @Override
    public Integer call() {
        if (inShell) {
            throw new ParameterException(spec.commandLine(), "missing command; type 'help' for the list");
        }
        Session s = session();
        // The shell repeats the options it was started with on every line it runs, so that
        // "raftctl --cluster X" followed by "status" asks cluster X.
        List<String> globalArgs = spec.commandLine().getParseResult().originalArgs();
        try {
            return Shell.run(environment, s, globalArgs, s.clientState());
        } catch (IOException e) {
            s.error("cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** What this invocation takes from the process around it (watch asks it for the terminal). */
    public Environment environment() {
        return environment;
    }

    /** Whether --json was given (commands that talk to no node and open no session ask here). */
    public boolean json() {
        return json;
    }

    /** The session of this invocation; invalid global options are usage errors (exit status 2). */
    public Session session() {
        if (session == null) {
            session = openSession();
        }
        return session;
    }

    private Session openSession() {
        int port = controllerPort != null ? controllerPort : envPort();
        if (port < 1 || port > 65535) {
            throw usage("--controller-port must be 1-65535, not " + port);
        }
        int timeout = timeoutMs != null ? timeoutMs : DEFAULT_TIMEOUT_MS;
        if (timeout < 1 || timeout > 60_000) {
            throw usage("--timeout-ms must be 1-60000, not " + timeout);
        }
        int writeTimeout = writeTimeoutMs != null ? writeTimeoutMs : DEFAULT_WRITE_TIMEOUT_MS;
        if (writeTimeout < 1 || writeTimeout > 600_000) {
            throw usage("--write-timeout-ms must be 1-600000, not " + writeTimeout);
        }
        if (clientId != null) {
            try {
                Validation.clientId(clientId);
            } catch (LedgerException e) {
                throw usage("--client-id: " + e.getMessage().replaceFirst("^client_id: ", ""));
            }
        }
        if (firstSeq != null && (firstSeq < 1 || firstSeq > Validation.MAX_COUNTER)) {
            throw usage("--seq must be 1-" + Validation.MAX_COUNTER + ", not " + firstSeq);
        }
        ClusterResolver.Resolved resolved;
        try {
            resolved = ClusterResolver.resolve(cluster, config, environment, portsFor(port));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // A shell line that does not override --client-id/--seq goes on with the shell's client.
        ClientState client = shellClient != null && shellClient.madeFrom(clientId, firstSeq)
                ? shellClient : ClientState.of(clientId, firstSeq);
        Credential credential;
        try {
            credential = Credential.resolve(clusterKeyFile, credentialFile, environment);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return new Session(resolved, Duration.ofMillis(timeout), Duration.ofMillis(writeTimeout), client, json,
                environment.ansiOutput(), environment.stderrTerminal(),
                spec.commandLine().getOut(), spec.commandLine().getErr(), credential, environment.home(),
                environment.lookups());
    }

    private int envPort() {
        String value = environment.variable(CONTROLLER_PORT_ENV);
        if (value == null) {
            return DEFAULT_CONTROLLER_PORT;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw usage(CONTROLLER_PORT_ENV + " is not a port number: '" + value + "'");
        }
    }

    /**
     * raftctl only ever talks to the controller port; the peer ports merely have to be valid and
     * differ from it (Ports insists), so they are the seed's unless the controller port is one of them.
     */
    public static Ports portsFor(int controllerPort) {
        int[] peers = IntStream.of(9000, 9001, 9002, 9003).filter(p -> p != controllerPort).limit(3).toArray();
        return new Ports(peers[0], peers[1], peers[2], controllerPort);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
