package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void theTarGzUnitVerifies(@TempDir Path tmp) throws Exception {
        Path dist = Dist.unpack(tmp);
        // Unpacked here rather than in /opt/raftledger: the one change is ExecStart's folder.
        String unit = Files.readString(dist.resolve("systemd/raftd.service"), StandardCharsets.UTF_8);
        String execStart = "ExecStart=" + Dist.prefix() + "/bin/raftd";
        assertTrue(unit.contains(execStart + "\n"), unit);
        Path staged = Files.writeString(tmp.resolve("raftd.service"),
                unit.replace(execStart, "ExecStart=" + dist.resolve("bin/raftd")), StandardCharsets.UTF_8);

        Dist.Result r = Dist.run(List.of(ANALYZE, "verify", staged.toString()),
                Map.of("MANPATH", dist.resolve("man").toString()));
        assertEquals(0, r.status(), r.output());
        assertEquals("", r.output(), "systemd-analyze verify warns");
    }

    @Test
    void theDebUnitVerifiesInTheInstalledTree(@TempDir Path root) throws Exception {
        Assumptions.assumeTrue(Dist.installed("/usr/bin/dpkg-deb"), "no dpkg-deb, so no .deb was built");
        // The package's files as dpkg would install them, plus this machine's own units, which
        // raftd.service's dependencies (network-online.target, sysinit.target, ...) resolve to.
        Dist.Result x = Dist.run(List.of("dpkg-deb", "-x", Dist.deb().toString(), root.toString()), Map.of());
        assertEquals(0, x.status(), x.output());
        Path hostUnits = Path.of("/usr/lib/systemd/system");
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        copyUnits(hostUnits, units);
        assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/raftd.service")));

        Dist.Result r = Dist.run(List.of(ANALYZE, "verify", "--root=" + root, "raftd.service"),
                Map.of("MANPATH", root.resolve("usr/share/man").toString()));
        assertEquals(0, r.status(), r.output());
        assertEquals("", r.output(), "systemd-analyze verify warns");
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
