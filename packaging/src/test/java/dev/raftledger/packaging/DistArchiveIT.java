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
                "systemd/raftd.service", "systemd/raftd@.service", "systemd/raftd-sysusers.conf",
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

    /**
     * INSTALL.md's tar.gz steps, checked against the unpacked archive as far as they can be without
     * root: each file they name exists in it, systemd-sysusers gets an absolute path (it looks a
     * relative one up in /etc/sysusers.d and fails), and every file installed into a folder that a
     * minimal Debian lacks makes that folder (install -D). The nspawn test runs them for real.
     */
    @Test
    void theTarGzStepsNameFilesThatExistAndMakeTheirFolders() throws IOException {
        String doc = Files.readString(dist.resolve("INSTALL.md"), StandardCharsets.UTF_8);
        int from = doc.indexOf("### From the tar.gz");
        int start = doc.indexOf("```sh\n", from) + "```sh\n".length();
        String block = doc.substring(start, doc.indexOf("```", start));
        String prefix = Dist.prefix() + "/";
        // there on any Debian with systemd, or made by an earlier step
        List<String> existingFolders = new java.util.ArrayList<>(List.of("/opt", "/etc/systemd/system", "/usr/local/bin"));
        int commands = 0;
        for (String line : block.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#") || line.equals("cd " + Dist.prefix())) {
                continue;
            }
            List<String> words = List.of(line.replaceAll("\\s+#.*$", "").split("\\s+"));
            assertEquals("sudo", words.get(0), "every step runs as root: " + line);
            commands++;
            List<String> args = words.subList(2, words.size());
            for (String a : args) {
                String inDist = a.startsWith(prefix) ? a.substring(prefix.length())
                        : !a.startsWith("/") && !a.startsWith("-") && a.contains("/") ? a : null;
                if (inDist != null && words.get(1).matches("install|systemd-sysusers|ln")) {
                    assertTrue(exists(dist, inDist), line + ": " + inDist + " is not in the archive");
                }
            }
            if (words.get(1).equals("systemd-sysusers")) {
                assertTrue(args.stream().allMatch(a -> a.startsWith("/")), "absolute path only: " + line);
            }
            if (words.get(1).equals("install")) {
                boolean makesFolders = args.contains("-D") || args.contains("-d");
                String target = args.contains("-t") ? args.get(args.indexOf("-t") + 1) : args.get(args.size() - 1);
                String folder = args.contains("-t") || args.contains("-d") || target.endsWith("/")
                        ? target.replaceAll("/$", "") : target.substring(0, target.lastIndexOf('/'));
                assertTrue(makesFolders || existingFolders.contains(folder),
                        line + ": " + folder + " may not exist (install -D makes it)");
                if (args.contains("-d")) {
                    existingFolders.add(folder);
                }
                assertFalse(target.startsWith("/etc/bash_completion.d"), "not there without bash-completion: " + line);
            }
        }
        assertTrue(commands >= 8, "read the steps:\n" + block);
    }

    /** A path in the archive, or a glob of file names in one folder ({@code man/man1/*.1}) matching any. */
    private static boolean exists(Path root, String path) throws IOException {
        if (!path.contains("*")) {
            return Files.exists(root.resolve(path));
        }
        Path folder = root.resolve(path.substring(0, path.lastIndexOf('/')));
        var glob = folder.getFileSystem().getPathMatcher("glob:" + path.substring(path.lastIndexOf('/') + 1));
        try (var files = Files.list(folder)) {
            return files.anyMatch(f -> glob.matches(f.getFileName()));
        }
    }
}
