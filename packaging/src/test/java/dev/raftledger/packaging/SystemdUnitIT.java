package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd-analyze verify} over the unit as each package installs it: it must pass with
 * no output at all, since an unknown or misspelt directive is only a warning (exit status 0).
 * verify needs no running systemd, but it does check that ExecStart names an executable and that
 * the Documentation= man pages exist; so each check runs against that package's real files.
 */
class SystemdUnitIT {

    private static final String ANALYZE = "/usr/bin/systemd-analyze";

    @BeforeAll
    static void needsSystemdAnalyze() {
        if (!Dist.installed(ANALYZE)) {
            if (Dist.onCi()) {
                fail(ANALYZE + " is missing: .ci/run installs systemd for this check");
            }
            Assumptions.abort(ANALYZE + " is not installed (apt-get install systemd); skipping the unit checks");
        }
    }

    @Test
    void theTarGzUnitsVerify(@TempDir Path tmp) throws Exception {
        Path dist = Dist.unpack(tmp);
        // Unpacked here rather than in /opt/raftledger: the one change is ExecStart's folder. The
        // template is staged as an instance (raftd@Node2.service), so verify expands %i.
        for (String[] unitAndStaged : new String[][] {{"raftd.service", "raftd.service"},
                {"raftd@.service", "raftd@Node2.service"}}) {
            String unit = Files.readString(dist.resolve("systemd").resolve(unitAndStaged[0]), StandardCharsets.UTF_8);
            String execStart = "ExecStart=" + Dist.prefix() + "/bin/raftd";
            assertTrue(unit.contains(execStart + "\n"), unit);
            Path staged = Files.writeString(tmp.resolve(unitAndStaged[1]),
                    unit.replace(execStart, "ExecStart=" + dist.resolve("bin/raftd")), StandardCharsets.UTF_8);

            Dist.Result r = Dist.run(List.of(ANALYZE, "verify", staged.toString()),
                    Map.of("MANPATH", dist.resolve("man").toString()));
            assertEquals(0, r.status(), unitAndStaged[1] + ": " + r.output());
            assertEquals("", r.output(), unitAndStaged[1] + ": systemd-analyze verify warns");
        }
    }

    @Test
    void bothPackagesFillInEveryWordOfTheTemplateTheSameWay(@TempDir Path tmp) throws Exception {
        Path dist = Dist.unpack(Files.createDirectories(tmp.resolve("tar")));
        Map<String, String> tar = Map.of(
                "raftd.service", Files.readString(dist.resolve("systemd/raftd.service"), StandardCharsets.UTF_8),
                "raftd@.service", Files.readString(dist.resolve("systemd/raftd@.service"), StandardCharsets.UTF_8));
        assertUnitsFilledIn(tar, "ExecStart=" + Dist.prefix() + "/bin/raftd");
        if (Dist.installed("/usr/bin/dpkg-deb")) {
            Path root = tmp.resolve("deb");
            Dist.Result x = Dist.run(List.of("dpkg-deb", "-x", Dist.deb().toString(), root.toString()), Map.of());
            assertEquals(0, x.status(), x.output());
            Map<String, String> deb = Map.of(
                    "raftd.service", Files.readString(root.resolve("lib/systemd/system/raftd.service"), StandardCharsets.UTF_8),
                    "raftd@.service", Files.readString(root.resolve("lib/systemd/system/raftd@.service"), StandardCharsets.UTF_8));
            assertUnitsFilledIn(deb, "ExecStart=/usr/bin/raftd");
            // the two builds (Maven's filterset, build-deb's sed) differ in the launcher's path only
            for (String name : tar.keySet()) {
                assertEquals(tar.get(name).replace("ExecStart=" + Dist.prefix() + "/bin/raftd", "ExecStart=/usr/bin/raftd"),
                        deb.get(name), name + " differs between the tar.gz and the .deb");
            }
        }
    }

    private static void assertUnitsFilledIn(Map<String, String> units, String execStart) {
        for (Map.Entry<String, String> u : units.entrySet()) {
            java.util.regex.Matcher left = java.util.regex.Pattern.compile("@[A-Z_]+@").matcher(u.getValue());
            assertFalse(left.find(), () -> u.getKey() + " still has " + left.group());
            assertTrue(u.getValue().contains("\n" + execStart + "\n"), u.getKey());
        }
        String single = units.get("raftd.service");
        for (String line : List.of("Description=raftledger node (raftd)", "EnvironmentFile=/etc/raftd/raftd.env",
                "Environment=RAFTD_DATA_DIR=%S/raftd", "StateDirectory=raftd", "WorkingDirectory=%S/raftd")) {
            assertTrue(single.contains("\n" + line + "\n"), "raftd.service lacks " + line);
        }
        String template = units.get("raftd@.service");
        for (String line : List.of("Description=raftledger node %i (raftd)", "EnvironmentFile=/etc/raftd/%i.env",
                "Environment=RAFTD_DATA_DIR=%S/raftd-%i", "StateDirectory=raftd-%i", "WorkingDirectory=%S/raftd-%i")) {
            assertTrue(template.contains("\n" + line + "\n"), "raftd@.service lacks " + line);
        }
    }

    @Test
    void theDebUnitVerifiesInTheInstalledTree(@TempDir Path root) throws Exception {
        Assumptions.assumeTrue(Dist.installed("/usr/bin/dpkg-deb"), "no dpkg-deb, so no .deb was built");
        // The package's files as dpkg would install them, plus this machine's own units, which
        // raftd.service's dependencies (network-online.target, sysinit.target, ...) resolve to,
        Dist.Result x = Dist.run(List.of("dpkg-deb", "-x", Dist.deb().toString(), root.toString()), Map.of());
        assertEquals(0, x.status(), x.output());
        Path hostUnits = Path.of("/usr/lib/systemd/system");
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        copyUnits(hostUnits, units);
        // and the shell ExecReload runs, which every Debian system has (dash is Essential)
        Path sh = Files.createDirectories(root.resolve("bin")).resolve("sh");
        if (!Files.exists(sh, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(Path.of("/bin/sh"), sh);
        }
        assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/raftd.service")));
        assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/raftd@.service")));

        for (String unit : List.of("raftd.service", "raftd@Node2.service")) {
            Dist.Result r = Dist.run(List.of(ANALYZE, "verify", "--root=" + root, unit),
                    Map.of("MANPATH", root.resolve("usr/share/man").toString()));
            assertEquals(0, r.status(), unit + ": " + r.output());
            assertEquals("", r.output(), unit + ": systemd-analyze verify warns");
        }
    }

    /** Regular unit files only; the host's symlinked aliases and drop-in folders are not needed. */
    private static void copyUnits(Path from, Path to) throws IOException {
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }

    @Test
    void verifyCatchesAMistake(@TempDir Path tmp) throws Exception {
        // The check above is only worth something if verify reports what it should: a
        // misspelt directive (a warning, exit 0) and a missing program (an error).
        Path dist = Dist.unpack(tmp);
        String unit = Files.readString(dist.resolve("systemd/raftd.service"), StandardCharsets.UTF_8);
        Path misspelt = Files.writeString(tmp.resolve("misspelt.service"), unit
                .replace("ExecStart=" + Dist.prefix() + "/bin/raftd", "ExecStart=" + dist.resolve("bin/raftd"))
                .replace("ProtectHome=yes", "ProtectHom=yes"), StandardCharsets.UTF_8);
        Dist.Result warned = Dist.run(List.of(ANALYZE, "verify", misspelt.toString()),
                Map.of("MANPATH", dist.resolve("man").toString()));
        assertTrue(warned.output().contains("Unknown key 'ProtectHom'"), warned.output());

        Assumptions.assumeFalse(Files.exists(Path.of(Dist.prefix(), "bin/raftd")), "installed here after all");
        Path missing = Files.writeString(tmp.resolve("missing.service"), unit, StandardCharsets.UTF_8);
        Dist.Result failed = Dist.run(List.of(ANALYZE, "verify", missing.toString()),
                Map.of("MANPATH", dist.resolve("man").toString()));
        assertTrue(failed.status() != 0, "ExecStart=" + Dist.prefix() + "/bin/raftd does not exist here: "
                + failed.output());
    }
}
