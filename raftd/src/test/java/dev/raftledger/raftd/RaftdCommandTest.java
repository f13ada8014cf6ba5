package dev.raftledger.raftd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's contract: usage errors say what is wrong and exit 2, with no stack trace. */
class RaftdCommandTest {

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RaftdCommand.commandLine(); // as raftd's main runs it
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertUsageError(Run r, String expected) {
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        // one line for the journal, not the whole --help
        assertEquals(1, r.err().lines().count(), "one line:\n" + r.err());
        assertTrue(r.err().startsWith("raftd: ") && r.err().strip().endsWith("; see raftd --help"), r.err());
        assertFalse(r.err().contains("Usage:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void subcommandsAreBuiltOnlyWhenTheArgumentsMayNameOne() {
        // a starting node: no reflection over restore's and recover's annotations
        assertTrue(RaftdCommand.commandLine("--name", "Node1", "--cluster", "Node1=127.0.0.1").getSubcommands().isEmpty());
        assertTrue(RaftdCommand.commandLine("--version").getSubcommands().isEmpty());
        for (String[] args : new String[][] {{}, {"restore", "--from", "f"}, {"recover"}, {"restor"}, {"--help"}, {"-h"},
                {"--name", "Node1", "restore"}}) {
            assertEquals(java.util.Set.of("restore", "recover"), RaftdCommand.commandLine(args).getSubcommands().keySet(),
                    String.join(" ", args));
        }
        // and they run as before
        Run r = run("restore", "--name", "Node1");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("see raftd restore --help"), r.err());
    }

    @Test
    void theLoggingProviderIsNamedAndExists() throws Exception {
        String provider = System.clearProperty("slf4j.provider");
        String verbosity = System.clearProperty("slf4j.internal.verbosity");
        try {
            Main.nameTheLoggingProvider();
            assertEquals(Main.LOGGING_PROVIDER, System.getProperty("slf4j.provider"));
            assertEquals("WARN", System.getProperty("slf4j.internal.verbosity"));
            // slf4j-simple still ships it under that name (else slf4j would fall back to a scan)
            assertTrue(org.slf4j.spi.SLF4JServiceProvider.class.isAssignableFrom(Class.forName(Main.LOGGING_PROVIDER)));
            System.setProperty("slf4j.provider", "some.Other");
            Main.nameTheLoggingProvider(); // a provider named by the JVM's flags wins
            assertEquals("some.Other", System.getProperty("slf4j.provider"));
        } finally {
            restore("slf4j.provider", provider);
            restore("slf4j.internal.verbosity", verbosity);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aUsageErrorIsOneLineNamingTheSettingAndItsVariable() {
        assertEquals("raftd: --cluster (env RAFT_CLUSTER): cluster member 'Node1' is not of the form Name=host; see raftd --help",
                run("--name", "Node1", "--cluster", "Node1").err().strip());
        assertEquals("raftd: --name (env RAFTD_NAME): node 'Node9' is not in the cluster: "
                + "[Node1, Node2, Node3, Node4, Node5]; see raftd --help", run("--name", "Node9").err().strip());
        String badPort = run("--name", "Node1", "--controller-port", "many").err();
        assertTrue(badPort.startsWith("raftd: --controller-port (env RAFTD_CONTROLLER_PORT): "), badPort);
        assertTrue(run("--name", "Node1", "--cluster-key-file", "/nonexistent/cluster.key").err()
                .startsWith("raftd: --cluster-key-file (env RAFT_CLUSTER_KEY_FILE): "));
    }

    /** A file only its owner may read, as key files must be. */
    private static java.nio.file.Path secretFile(java.nio.file.Path dir, String name, String text) throws Exception {
        java.nio.file.Path f = dir.resolve(name);
        java.nio.file.Files.writeString(f, text);
        java.nio.file.Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void anOperatorsFileNeedsAClusterKeyFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path operators = secretFile(dir, "operators", "alice clerk " + "a".repeat(64) + "\n");
        assertUsageError(run("--check-config", "--name", "Node1", "--operators-file", operators.toString()),
                "--operators-file (env RAFT_OPERATORS_FILE): an operators file needs --cluster-key-file");
    }

    @Test
    void theOperatorsFileIsReadWithTheKeysAndCheckedAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path keys = secretFile(dir, "keys", "b".repeat(64) + " primary\n" + "c".repeat(64) + "\n");
        java.nio.file.Path operators = secretFile(dir, "operators",
                "alice clerk " + "a".repeat(64) + "\nci viewer " + "d".repeat(64) + "\n");
        Run r = run("--check-config", "--name", "Node1", "--cluster-key-file", keys.toString(),
                "--operators-file", operators.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("cluster key: read; every datagram is encrypted and authenticated"), r.out());
        assertTrue(r.out().contains("2 operators"), r.out());
        java.nio.file.Path bad = secretFile(dir, "bad-operators", "alice superuser " + "a".repeat(64) + "\n");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster-key-file", keys.toString(),
                "--operators-file", bad.toString()), "--operators-file (env RAFT_OPERATORS_FILE): ");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster-key-file", keys.toString(),
                "--operators-file", bad.toString()), "unknown role 'superuser'");
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--election-timeout-min-ms"));
        assertTrue(help.out().contains("RAFTD_NAME"), "help names the environment variables");
        Run version = run("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("raftd "), version.out());
    }

    @Test
    void checkConfigPrintsAValidConfigurationAndExitsZero() {
        Run r = run("--check-config", "--name", "Node3", "--cluster",
                "Node1=10.0.0.11,Node2=10.0.0.12,Node3=10.0.0.13", "--data-dir", "/var/lib/raftd");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("configuration of Node3 is valid"), r.out());
        assertTrue(r.out().contains("10.0.0.13, ports 9000 9001 9002 5555"), r.out());
        assertTrue(r.out().contains("/var/lib/raftd"), r.out());
        assertTrue(r.out().contains("cluster key: none"), r.out());
    }

    @Test
    void joinStartsTheNodeAsALearnerAndNeedsTheMembers() {
        Run r = run("--check-config", "--join", "--name", "Node6", "--cluster",
                "Node1=10.0.0.11,Node2=10.0.0.12,Node6=10.0.0.16");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("joining: a learner until the leader promotes it"), r.out());
        assertFalse(run("--check-config", "--name", "Node6", "--cluster", "Node1=10.0.0.11,Node6=10.0.0.16").out()
                .contains("joining"));
        assertUsageError(run("--check-config", "--join", "--name", "Node6", "--cluster", "Node6=10.0.0.16"),
                "needs --cluster to name its members too");
    }

    @Test
    void theDatagramSizeDefaultsTo1400AndIsCheckedForRange() {
        String cluster = "Node1=10.0.0.11,Node2=10.0.0.12,Node3=10.0.0.13";
        Run standard = run("--check-config", "--name", "Node1", "--cluster", cluster);
        assertTrue(standard.out().contains("datagrams:   at most 1400 bytes"), standard.out());
        Run jumbo = run("--check-config", "--name", "Node1", "--cluster", cluster, "--max-datagram-bytes", "8900");
        assertEquals(0, jumbo.status(), jumbo.err());
        assertTrue(jumbo.out().contains("at most 8900 bytes"), jumbo.out());
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--max-datagram-bytes", "576"),
                "--max-datagram-bytes must be 1200-64000, not 576");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--max-datagram-bytes", "65507"),
                "--max-datagram-bytes must be 1200-64000");
        assertTrue(run("--help").out().contains("RAFTD_MAX_DATAGRAM_BYTES"));
    }

    @Test
    void theDiskQuotaDefaultsTo2GiBAndMustBePositive() {
        String cluster = "Node1=10.0.0.11,Node2=10.0.0.12,Node3=10.0.0.13";
        Run standard = run("--check-config", "--name", "Node1", "--cluster", cluster);
        assertTrue(standard.out().contains("NO_SPACE alarm past 2147483648 bytes (--quota-bytes) or under 67108864 "
                + "bytes free (--min-free-bytes)"), standard.out());
        Run small = run("--check-config", "--name", "Node1", "--cluster", cluster, "--quota-bytes", "1048576",
                "--min-free-bytes", "0");
        assertEquals(0, small.status(), small.err());
        assertTrue(small.out().contains("past 1048576 bytes (--quota-bytes) or under 0 bytes free"), small.out());
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--quota-bytes", "0"),
                "--quota-bytes (env RAFTD_QUOTA_BYTES): --quota-bytes must be positive, not 0");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--min-free-bytes", "-5"),
                "--min-free-bytes (env RAFTD_MIN_FREE_BYTES): --min-free-bytes must be 0 (not watched) or more, not -5");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--quota-bytes", "2GiB"),
                "--quota-bytes");
        assertTrue(run("--help").out().contains("RAFTD_QUOTA_BYTES"));
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--log-segment-bytes", "0"),
                "--log-segment-bytes (env RAFTD_LOG_SEGMENT_BYTES): --log-segment-bytes must be 1-1073741824, not 0");
    }

    @Test
    void theSessionTtlDefaultsToADayTakesDurationsAndIsCheckedForRange() {
        String cluster = "Node1=10.0.0.11,Node2=10.0.0.12,Node3=10.0.0.13";
        Run standard = run("--check-config", "--name", "Node1", "--cluster", cluster);
        assertTrue(standard.out().contains("sessions:    expire 86400 s after a client's last write"), standard.out());
        Run hours = run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl", "90m");
        assertEquals(0, hours.status(), hours.err());
        assertTrue(hours.out().contains("expire 5400 s"), hours.out());
        Run never = run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl", "0");
        assertTrue(never.out().contains("sessions:    kept for ever (no time stamped into the log)"), never.out());
        assertEquals(2 * 86_400_000L, RaftdCommand.durationMs("2d"));
        assertEquals(1500, RaftdCommand.durationMs("1500ms"));
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl", "30s"),
                "--session-ttl must be 0 (sessions never expire) or at least 1m, not 30000 ms");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl", "86400"),
                "--session-ttl (env RAFTD_SESSION_TTL): '86400' is not a duration such as 24h, 90m, 3600s or 0");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl", "-1h"),
                "is not a duration");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster", cluster, "--session-ttl",
                "999999999999999d"), "--session-ttl");
        assertTrue(run("--help").out().contains("RAFTD_SESSION_TTL"));
    }

    @Test
    void checkConfigRefusesAnInvalidConfiguration() {
        assertUsageError(run("--check-config", "--name", "Node9"), "not in the cluster");
        assertUsageError(run("--check-config", "--name", "Node1", "--cluster-key-file", "/nonexistent/cluster.key"),
                "cannot read cluster key file");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertUsageError(run("--name", "Node1", "--frobnicate"), "--frobnicate");
    }

    @Test
    void nameMustBeAClusterMember() {
        assertUsageError(run("--name", "Node9"), "not in the cluster");
    }

    @Test
    void malformedClusterIsAUsageError() {
        assertUsageError(run("--name", "Node1", "--cluster", "Node1"), "not of the form Name=host");
        assertUsageError(run("--name", "Node1", "--cluster", "Node1=127.0.0.1,Node1=127.0.0.2"), "named twice");
    }

    @Test
    void nonNumericPortIsAUsageError() {
        assertUsageError(run("--name", "Node1", "--controller-port", "many"), "--controller-port");
    }

    @Test
    void clashingPortsAreAUsageError() {
        assertUsageError(run("--name", "Node1", "--controller-port", "9000"), "9000 is given twice");
    }

    @Test
    void badMetricsAddressIsAUsageError() {
        assertUsageError(run("--name", "Node1", "--metrics-address", "99999"), "out of range 1-65535");
        assertUsageError(run("--name", "Node1", "--metrics-address", "localhost:http"), "not a port number");
        assertUsageError(run("--name", "Node1", "--metrics-address", "::1:9100"), "IPv6 address in brackets");
        assertTrue(run("--help").out().contains("RAFTD_METRICS_ADDRESS"), "help names the variable");
    }

    @Test
    void electionTimeoutMustExceedTheHeartbeat() {
        assertUsageError(run("--name", "Node1", "--heartbeat-ms", "300"), "longer than the heartbeat");
        assertUsageError(run("--name", "Node1", "--election-timeout-min-ms", "400",
                "--election-timeout-max-ms", "300"), "range is empty");
    }
}
