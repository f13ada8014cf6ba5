package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar.gz as a user gets it: complete, its programs start, its example configs are valid. */
class DistArchiveIT {

    @TempDir
    static Path unpacked;

    static Path dist;

    @BeforeAll
    static void unpack() throws Exception {
        dist = Dist.unpack(unpacked);
    }

    @Test
    void everyPartIsThere() {
        List<String> expected = List.of("bin/raftd", "bin/raftctl", "lib/raftd/raftd.jar", "lib/raftctl/raftctl.jar",
                "systemd/raftd.service", "systemd/raftd-sysusers.conf",
                "conf/vm1.env", "conf/vm2.env", "conf/vm3.env", "conf/vm4.env", "conf/vm5.env", "conf/raftd.env",
                "conf/raftctl-cluster", "completion/raftd.bash", "completion/raftctl.bash",
                "man/man1/raftd.1", "man/man1/raftctl.1", "man/man1/raftctl-status.1", "man/man1/raftctl-expense.1",
                "man/man1/raftctl-expense-add.1", "INSTALL.md", "README.md", "SECURITY.md");
        for (String part : expected) {
            assertTrue(Files.isRegularFile(dist.resolve(part)), "missing " + part);
        }
        for (String launcher : List.of("bin/raftd", "bin/raftctl")) {
            assertTrue(Files.isExecutable(dist.resolve(launcher)), launcher + " is executable");
        }
    }

    @Test
    void theArchiveRecordsLauncherModesForEveryoneAndNoOtherExecutable() throws Exception {
        // the modes as stored in the archive (unpacking applies the user's umask on top)
        Dist.Result listing = Dist.run(List.of("tar", "-tvzf", Dist.archive().toString()), Map.of());
        assertEquals(0, listing.status(), listing.output());
        List<String> executables = listing.output().lines()
                .filter(l -> l.startsWith("-") && l.substring(1, 10).contains("x"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).sorted().toList();
        assertEquals(List.of(Dist.name() + "/bin/raftctl", Dist.name() + "/bin/raftd"), executables);
        assertTrue(listing.output().lines().anyMatch(l -> l.startsWith("-rwxr-xr-x ") && l.endsWith("/bin/raftd")),
                listing.output());
        assertTrue(listing.output().lines().anyMatch(l -> l.startsWith("-rw-r--r-- ")
                && l.endsWith("/systemd/raftd.service")), listing.output());
    }

    @Test
    void eachProgramHasExactlyItsOwnJars() throws IOException {
        List<String> raftd = jars("lib/raftd");
        List<String> raftctl = jars("lib/raftctl");
        assertTrue(raftd.stream().anyMatch(j -> j.startsWith("slf4j-simple")), "raftd logs: " + raftd);
        assertFalse(raftd.stream().anyMatch(j -> j.startsWith("jline")), "raftd has no shell: " + raftd);
        assertTrue(raftctl.stream().anyMatch(j -> j.startsWith("jline")), "raftctl's shell: " + raftctl);
        assertFalse(raftctl.stream().anyMatch(j -> j.startsWith("slf4j")), "raftctl does not log: " + raftctl);
        for (List<String> jars : List.of(raftd, raftctl)) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("picocli-")), jars.toString());
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("common-")), jars.toString());
        }
    }

    private static List<String> jars(String dir) throws IOException {
        try (var files = Files.list(dist.resolve(dir))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theLaunchersStart() throws Exception {
        Dist.Result version = Dist.run(List.of(dist.resolve("bin/raftctl").toString(), "--version"), Map.of());
        assertEquals(0, version.status(), version.output());
        assertTrue(version.output().startsWith("raftctl "), version.output());

        Dist.Result help = Dist.run(List.of(dist.resolve("bin/raftd").toString(), "--help"), Map.of());
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("--check-config"), help.output());
    }

    @Test
    void aLauncherReachedThroughASymlinkFindsItsJars(@TempDir Path elsewhere) throws Exception {
        // as /usr/bin/raftd -> /usr/lib/raftledger/bin/raftd in the .deb, or a link in ~/bin
        Path link = Files.createSymbolicLink(elsewhere.resolve("raftd"), dist.resolve("bin/raftd"));
        Dist.Result version = Dist.run(List.of(link.toString(), "--version"), Map.of());
        assertEquals(0, version.status(), version.output());
        assertTrue(version.output().startsWith("raftd "), version.output());
    }

    @Test
    void everyExampleVmConfigurationIsValid(@TempDir Path keys) throws Exception {
        // The examples name /etc/raftd/cluster.key; this machine has none, so the check reads a
        // key of the same kind from a temporary file (mode 600, as raftd insists).
        Path key = keys.resolve("cluster.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        for (int vm = 1; vm <= 5; vm++) {
            Path file = dist.resolve("conf/vm" + vm + ".env");
            Map<String, String> env = new HashMap<>(Dist.envFile(file));
            assertEquals("/etc/raftd/cluster.key", env.get("RAFT_CLUSTER_KEY_FILE"), file + " uses the key");
            env.put("RAFT_CLUSTER_KEY_FILE", key.toString());

            Dist.Result r = Dist.run(List.of(dist.resolve("bin/raftd").toString(), "--check-config"), env);
            assertEquals(0, r.status(), file + ":\n" + r.output());
            assertTrue(r.output().contains("configuration of Node" + vm + " is valid"), r.output());
            assertTrue(r.output().contains("10.0.0.1" + vm + ", ports 9000 9001 9002 5555"), r.output());
            assertTrue(r.output().contains("data dir:    /var/lib/raftd"), r.output());
            assertTrue(r.output().contains("cluster key: read"), r.output());
        }
    }

    @Test
    void theExamplesAgreeOnTheMembers() throws IOException {
        ClusterSpec raftctl = ClusterSpec.parseFile(dist.resolve("conf/raftctl-cluster"), Ports.SEED);
        assertEquals(5, raftctl.size());
        for (int vm = 1; vm <= 5; vm++) {
            String cluster = Dist.envFile(dist.resolve("conf/vm" + vm + ".env")).get("RAFT_CLUSTER");
            assertEquals(raftctl.toString(), ClusterSpec.parse(cluster, Ports.SEED).toString(), "vm" + vm + ".env");
        }
    }

    @Test
    void theUnconfiguredEnvFileRefusesToStartWithAClearMessage() throws Exception {
        // The .deb's /etc/raftd/raftd.env as installed: the unit fails with status 2, no restart loop.
        Map<String, String> env = Dist.envFile(dist.resolve("conf/raftd.env"));
        Dist.Result r = Dist.run(List.of(dist.resolve("bin/raftd").toString(), "--check-config"), env);
        assertEquals(2, r.status(), r.output());
        assertTrue(r.output().contains("missing --name (or RAFTD_NAME)"), r.output());
    }

    @Test
    void theUnitRunsTheUnpackedLauncherAndIsHardened() throws IOException {
        String unit = Files.readString(dist.resolve("systemd/raftd.service"), StandardCharsets.UTF_8);
        for (String line : List.of("ExecStart=" + Dist.prefix() + "/bin/raftd", "Type=notify", "NotifyAccess=all",
                "EnvironmentFile=/etc/raftd/raftd.env", "User=raftd", "StateDirectory=raftd", "ProtectSystem=strict",
                "NoNewPrivileges=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
                "Restart=on-failure", "RestartPreventExitStatus=2 203 216 217", "SuccessExitStatus=143",
                "StartLimitBurst=5")) {
            assertTrue(unit.lines().anyMatch(line::equals), "unit lacks " + line);
        }
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute")), "the JIT needs W+X memory");
        assertFalse(unit.contains("@RAFTD@"), "filled in");
    }
}
