package dev.raftledger.raftd;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.RaftNode;
import dev.raftledger.raftd.driver.snapshot.SnapshotSettings;
import dev.raftledger.raftd.driver.space.SpaceQuota;
import dev.raftledger.raftd.driver.start.NodeConfig;
import dev.raftledger.raftd.metrics.MetricsAddress;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.LogOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * The raftd command line. Every option can also come from an environment variable (for compose
 * files and systemd environment files); a flag wins over the variable. A running node stops on
 * SIGTERM and SIGINT and reads its key files again on SIGHUP.
 */
@Command(name = "raftd", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs one node of a Raft cluster on four UDP ports: AppendEntry, RequestVote,",
                "VoteAck and the controller port. Stops cleanly on SIGTERM, SIGINT or the",
                "controller's SHUTDOWN request, with exit status 0. Reads its cluster key file",
                "and operators file again on SIGHUP (systemctl reload raftd)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped on request", "1:could not start, or stopped on a fatal error (details on stderr)",
                "2:invalid command line"})
public final class RaftdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", defaultValue = "${env:RAFTD_NAME}", paramLabel = "NAME",
            description = "This node's name, one of the cluster's (env RAFTD_NAME). Required.")
    String name;

    @Option(names = "--cluster", defaultValue = "${env:RAFT_CLUSTER:-" + ClusterSpec.LOCAL_FIVE + "}",
            paramLabel = "Name=host,...",
            description = "Every member, this node included (env RAFT_CLUSTER). Default: ${DEFAULT-VALUE}")
    String cluster;

    @Option(names = "--join", defaultValue = "${env:RAFTD_JOIN:-false}", fallbackValue = "true", arity = "0..1",
            description = "Join a running cluster as a learner (env RAFTD_JOIN): --cluster names its current members "
                    + "and this node; the node never campaigns until the leader adds it (raftctl member add) and "
                    + "promotes it. Default: ${DEFAULT-VALUE}")
    boolean join;

    @Option(names = "--data-dir", defaultValue = "${env:RAFTD_DATA_DIR}", paramLabel = "DIR",
            description = "Where the term and vote are kept (env RAFTD_DATA_DIR). Default: ./NAME.raftd")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "${env:RAFTD_BIND}", paramLabel = "ADDRESS",
            description = "Address the listeners bind to (env RAFTD_BIND). Default: this node's host in --cluster")
    String bind;

    @Option(names = "--append-entry-port", defaultValue = "${env:RAFTD_APPEND_ENTRY_PORT:-9000}",
            description = "AppendEntry port of every node (env RAFTD_APPEND_ENTRY_PORT). Default: ${DEFAULT-VALUE}")
    int appendEntryPort;

    @Option(names = "--request-vote-port", defaultValue = "${env:RAFTD_REQUEST_VOTE_PORT:-9001}",
            description = "RequestVote port of every node (env RAFTD_REQUEST_VOTE_PORT). Default: ${DEFAULT-VALUE}")
    int requestVotePort;

    @Option(names = "--vote-ack-port", defaultValue = "${env:RAFTD_VOTE_ACK_PORT:-9002}",
            description = "VoteAck port of every node (env RAFTD_VOTE_ACK_PORT). Default: ${DEFAULT-VALUE}")
    int voteAckPort;

    @Option(names = "--controller-port", defaultValue = "${env:RAFTD_CONTROLLER_PORT:-5555}",
            description = "Controller port of every node (env RAFTD_CONTROLLER_PORT). Default: ${DEFAULT-VALUE}")
    int controllerPort;

    @Option(names = "--heartbeat-ms", defaultValue = "${env:RAFTD_HEARTBEAT_MS:-100}",
            description = "Leader heartbeat interval (env RAFTD_HEARTBEAT_MS). Default: ${DEFAULT-VALUE}")
    long heartbeatMs;

    @Option(names = "--election-timeout-min-ms", defaultValue = "${env:RAFTD_ELECTION_TIMEOUT_MIN_MS:-200}",
            description = "Shortest election timeout (env RAFTD_ELECTION_TIMEOUT_MIN_MS). Default: ${DEFAULT-VALUE}")
    long electionMinMs;

    @Option(names = "--election-timeout-max-ms", defaultValue = "${env:RAFTD_ELECTION_TIMEOUT_MAX_MS:-300}",
            description = "Longest election timeout (env RAFTD_ELECTION_TIMEOUT_MAX_MS). Default: ${DEFAULT-VALUE}")
    long electionMaxMs;

    @Option(names = "--max-datagram-bytes", defaultValue = "${env:RAFTD_MAX_DATAGRAM_BYTES:-1400}", paramLabel = "BYTES",
            description = "The largest datagram this node sends, sealed: AppendEntry batches, snapshot chunks and "
                    + "replies are cut to fit, and a write whose entry cannot fit is refused (TOO_LARGE). 1400 fits a "
                    + "1500-byte Ethernet link without fragmentation; raise it for jumbo frames, lower it for tunnels; "
                    + "every node must use the same value; " + NodeConfig.MIN_DATAGRAM_BYTES + "-"
                    + NodeConfig.MAX_DATAGRAM_BYTES + " (env RAFTD_MAX_DATAGRAM_BYTES). Default: ${DEFAULT-VALUE}")
    int maxDatagramBytes;

    @Option(names = "--cluster-key-file", defaultValue = "${env:RAFT_CLUSTER_KEY_FILE}", paramLabel = "FILE",
            description = "The cluster's node keys (a file only its owner can read; one secret per line, the one "
                    + "that seals marked primary): every datagram is encrypted and authenticated, others are dropped; "
                    + "read again on SIGHUP (env RAFT_CLUSTER_KEY_FILE). Default: none (see docs/security.md)")
    Path clusterKeyFile;

    @Option(names = "--operators-file", defaultValue = "${env:RAFT_OPERATORS_FILE}", paramLabel = "FILE",
            description = "Operators' credentials (a file only its owner can read; lines: name, role viewer, clerk "
                    + "or admin, secret): each acts on the controller port within its role; needs "
                    + "--cluster-key-file; read again on SIGHUP (env RAFT_OPERATORS_FILE). Default: none")
    Path operatorsFile;

    @Option(names = "--metrics-address", defaultValue = "${env:RAFTD_METRICS_ADDRESS}", paramLabel = "[HOST:]PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics; HOST defaults to the bind address "
                    + "(env RAFTD_METRICS_ADDRESS). Default: off (see docs/metrics.md)")
    String metricsAddress;

    @Option(names = "--snapshot-threshold-bytes", defaultValue = "${env:RAFTD_SNAPSHOT_THRESHOLD_BYTES:-67108864}",
            paramLabel = "BYTES", description = "Snapshot once this much has been applied since the last snapshot; the "
                    + "log before it is then deleted (env RAFTD_SNAPSHOT_THRESHOLD_BYTES). Default: ${DEFAULT-VALUE} (64 MiB)")
    long snapshotThresholdBytes;

    @Option(names = "--snapshot-catchup-entries", defaultValue = "${env:RAFTD_SNAPSHOT_CATCHUP_ENTRIES:-5000}",
            paramLabel = "N", description = "Entries kept in the log before a snapshot, so a follower a little behind "
                    + "catches up from the log (env RAFTD_SNAPSHOT_CATCHUP_ENTRIES). Default: ${DEFAULT-VALUE}")
    long snapshotCatchUpEntries;

    @Option(names = "--quota-bytes", defaultValue = "${env:RAFTD_QUOTA_BYTES:-2147483648}", paramLabel = "BYTES",
            description = "The most the data dir may hold; past it the node raises its NO_SPACE alarm and the cluster "
                    + "takes no new writes until it clears (env RAFTD_QUOTA_BYTES). Default: ${DEFAULT-VALUE} (2 GiB)")
    long quotaBytes;

    @Option(names = "--min-free-bytes", defaultValue = "${env:RAFTD_MIN_FREE_BYTES:-67108864}", paramLabel = "BYTES",
            description = "The least free space the data dir's file system must keep, or the NO_SPACE alarm is raised; "
                    + "0: not watched (env RAFTD_MIN_FREE_BYTES). Default: ${DEFAULT-VALUE} (64 MiB)")
    long minFreeBytes;

    @Option(names = "--log-segment-bytes", defaultValue = "${env:RAFTD_LOG_SEGMENT_BYTES:-67108864}",
            paramLabel = "BYTES", description = "Start a new log segment file once the current one holds this much; "
                    + "compaction after a snapshot deletes whole segments, so a small disk wants small segments "
                    + "(env RAFTD_LOG_SEGMENT_BYTES). Default: ${DEFAULT-VALUE} (64 MiB)")
    long logSegmentBytes;

    @Option(names = "--session-ttl", defaultValue = "${env:RAFTD_SESSION_TTL:-24h}", paramLabel = "DURATION",
            description = "How long the ledger keeps a client's session (its last write and result, which makes "
                    + "retries exactly-once) after the client's last write, e.g. 24h, 90m, 3600s; at least 1m. "
                    + "The leader stamps it and its clock into the log, so the leader's value is the cluster's. "
                    + "It stamps only once every member runs a release that reads stamps (a rolling upgrade "
                    + "needs no setting). 0: stamp nothing, sessions never expire (env RAFTD_SESSION_TTL). "
                    + "Default: ${DEFAULT-VALUE}")
    String sessionTtl;

    @Option(names = "--random-seed", defaultValue = "${env:RAFTD_RANDOM_SEED}", paramLabel = "N",
            description = "Seed for election timeouts, to replay a run (env RAFTD_RANDOM_SEED). Default: random")
    Long randomSeed;

    @Option(names = "--check-config",
            description = "Check the options and environment (and read the cluster key, if any), print the node's "
                    + "configuration and exit: 0 if it is valid, 2 if not. Binds nothing, touches no data.")
    boolean checkConfig;

    @Option(names = "--cds-training", hidden = true,
            description = "Run a short one-node session and exit; the build archives the classes it loads (CDS).")
    boolean cdsTraining;

    @Override
    public Integer call() throws Exception {
        if (cdsTraining) {
            return CdsTraining.run();
        }
        NodeConfig config = config();
        if (checkConfig) {
            return ConfigCheck.print(config, spec.commandLine().getOut());
        }
        SystemdNotify systemd = SystemdNotify.fromEnvironment();
        // SIGHUP reads the key files again (without a key the node only says there is nothing to
        // reload). Installed before the node starts: the JVM's own SIGHUP handler ends the process.
        AtomicReference<RaftNode> started = new AtomicReference<>();
        try {
            Signal.handle(new Signal("HUP"), s -> {
                RaftNode n = started.get();
                if (n == null) {
                    System.err.println("raftd: " + config.name() + ": SIGHUP while starting: ignored (send it again "
                            + "once the node listens)");
                } else {
                    n.reloadKeyring();
                }
            });
        } catch (IllegalArgumentException e) { // -Xrs, or a JVM that keeps SIGHUP to itself
            System.err.println("raftd: " + config.name() + ": cannot handle SIGHUP (" + e.getMessage()
                    + "): the keyring can be changed only by a restart");
        }
        RaftNode node;
        try {
            node = RaftNode.start(config);
        } catch (StoreException | IOException e) {
            System.err.println("raftd: " + config.name() + " cannot start: " + e.getMessage());
            return 1;
        }
        started.set(node);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                systemd.stopping(config.name() + " stopping on SIG" + signal);
                node.stop("SIG" + signal);
            });
        }
        systemd.ready(config.name() + " listening on " + ConfigCheck.listening(config));
        try {
            return node.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The command line as raftd's main runs it: a usage error prints one line naming the setting
     * and where help is, not the whole help (which a journal would otherwise hold, 80 lines per
     * failed start), and exits 2.
     */
    public static CommandLine commandLine(String... arguments) {
        CommandLine cl = new CommandLine(new RaftdCommand());
        if (mayNameASubcommand(arguments)) {
            cl.addSubcommand(new RestoreCommand());
            cl.addSubcommand(new RecoverCommand());
        }
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(oneLine(e));
            e.getCommandLine().getErr().flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /**
     * Whether {@code args} may run or ask about a subcommand ({@code restore}, {@code recover}):
     * none given, one named, a first argument that is no option (a misspelt subcommand gets
     * picocli's "did you mean"), or help asked for (which lists them). Otherwise a node is
     * starting, and the subcommands are not built: picocli builds each from its annotations by
     * reflection, about a twentieth of a starting node's CPU (docs/benchmarks.md, "Start-up").
     */
    static boolean mayNameASubcommand(String... args) {
        if (args.length == 0 || !args[0].startsWith("-")) {
            return true;
        }
        for (String a : args) {
            if (a.equals("restore") || a.equals("recover") || a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /** "raftd: --cluster (env RAFT_CLUSTER): what is wrong; see raftd --help". */
    static String oneLine(ParameterException e) {
        String setting = "";
        if (e.getArgSpec() instanceof OptionSpec option) {
            Matcher env = ENV.matcher(String.join(" ", option.description()));
            setting = option.longestName() + (env.find() ? " (env " + env.group(1) + ")" : "") + ": ";
        }
        String message = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
        return "raftd: " + setting + message + "; see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
    }

    private static final Pattern ENV = Pattern.compile("\\(env ([A-Z0-9_]+)\\)");

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,15})(ms|s|m|h|d)?");

    /** "24h", "90m", "3600s", "500ms", "2d" or "0" as ms; a bare number other than 0 needs a unit. */
    static long durationMs(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches() || m.group(2) == null && Long.parseLong(m.group(1)) != 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 24h, 90m, 3600s or 0");
        }
        long n = Long.parseLong(m.group(1));
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return n * unit;
    }

    /** Checks the options together; anything wrong is a usage error (exit status 2). */
    NodeConfig config() {
        if (name == null || name.isBlank()) {
            throw usage(null, "missing --name (or RAFTD_NAME): which node of the cluster this is");
        }
        // The option an error is about, where one is (the other messages name their settings).
        String setting = null;
        try {
            Ports ports = new Ports(appendEntryPort, requestVotePort, voteAckPort, controllerPort);
            setting = "--cluster";
            ClusterSpec members = ClusterSpec.parse(cluster, ports);
            if (!members.contains(name)) {
                throw usage("--name", "node '" + name + "' is not in the cluster: " + members.names());
            }
            setting = null;
            Timings timings = new Timings(heartbeatMs, electionMinMs, electionMaxMs);
            Path dir = dataDir != null ? dataDir : Path.of(name + ".raftd");
            String host = bind != null ? bind : members.node(name).orElseThrow().host();
            // Seeds only need to differ between nodes and runs; ThreadLocalRandom's time-based
            // seed does that without SecureRandom's start-up cost. The node logs the seed.
            long seed = randomSeed != null ? randomSeed : ThreadLocalRandom.current().nextLong();
            setting = "--metrics-address";
            MetricsAddress metrics = metricsAddress == null || metricsAddress.isBlank()
                    ? null : MetricsAddress.parse(metricsAddress, host);
            setting = "--cluster-key-file";
            Keyring keys = clusterKeyFile == null ? null : Keyring.forNode(clusterKeyFile, null);
            if (operatorsFile != null) {
                setting = "--operators-file";
                if (clusterKeyFile == null) {
                    throw usage(setting, "an operators file needs --cluster-key-file (or RAFT_CLUSTER_KEY_FILE): "
                            + "operators' credentials are taken only by a cluster whose datagrams are sealed");
                }
                keys = Keyring.forNode(clusterKeyFile, operatorsFile);
            }
            ClusterAuth auth = keys == null ? ClusterAuth.none() : ClusterAuth.forNode(keys, name);
            setting = null;
            SnapshotSettings snapshots = new SnapshotSettings(snapshotThresholdBytes, snapshotCatchUpEntries);
            setting = "--session-ttl";
            long ttl = durationMs(sessionTtl);
            setting = minFreeBytes < 0 ? "--min-free-bytes" : "--quota-bytes";
            SpaceQuota space = new SpaceQuota(quotaBytes, minFreeBytes);
            setting = "--log-segment-bytes";
            LogOptions log = new LogOptions(logSegmentBytes);
            setting = null;
            return new NodeConfig(name, members, dir, host, timings, seed, auth, metrics, snapshots, join,
                    maxDatagramBytes, ttl, space, log, clusterKeyFile, operatorsFile);
        } catch (IllegalArgumentException e) {
            throw usage(setting, e.getMessage());
        } catch (AuthException e) {
            throw usage(setting, e.getMessage());
        }
    }

    /** A usage error about {@code option} (null: about no one option). */
    private ParameterException usage(String option, String message) {
        OptionSpec about = option == null ? null : spec.findOption(option);
        return about == null ? new ParameterException(spec.commandLine(), message)
                : new ParameterException(spec.commandLine(), message, about, String.valueOf((Object) about.getValue()));
    }
}
