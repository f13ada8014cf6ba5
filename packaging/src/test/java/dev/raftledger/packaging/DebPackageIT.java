package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb (built where dpkg-deb exists): its control data, its files, and that they run once installed. */
class DebPackageIT {

    @BeforeAll
    static void needsDpkgDeb() {
        Assumptions.assumeTrue(Dist.installed("/usr/bin/dpkg-deb"), "no dpkg-deb, so no .deb was built");
    }

    private static String field(String name) throws Exception {
        Dist.Result r = Dist.run(List.of("dpkg-deb", "--field", Dist.deb().toString(), name), Map.of());
        assertEquals(0, r.status(), r.output());
        return r.output().strip();
    }

    @Test
    void controlFields() throws Exception {
        assertEquals("raftledger", field("Package"));
        assertEquals("all", field("Architecture"));
        String version = Dist.name().substring("raftledger-".length());
        assertEquals(version.replace('-', '~'), field("Version"), "Maven's -SNAPSHOT sorts before the release");
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless", field("Depends"));
    }

    @Test
    void contents() throws Exception {
        Dist.Result r = Dist.run(List.of("dpkg-deb", "--contents", Dist.deb().toString()), Map.of());
        assertEquals(0, r.status(), r.output());
        String listing = r.output();
        for (String path : List.of("./usr/bin/raftd -> ../lib/raftledger/bin/raftd",
                "./usr/bin/raftctl -> ../lib/raftledger/bin/raftctl", "./usr/lib/raftledger/lib/raftd/raftd.jar",
                "./lib/systemd/system/raftd.service", "./lib/systemd/system/raftd@.service", "./usr/lib/sysusers.d/raftd.conf", "./etc/raftd/raftd.env",
                "./usr/share/man/man1/raftd.1.gz", "./usr/share/man/man1/raftctl-expense-add.1.gz",
                "./usr/share/bash-completion/completions/raftctl", "./usr/share/bash-completion/completions/raftd",
                "./usr/share/doc/raftledger/examples/vm5.env")) {
            assertTrue(listing.contains(path), "missing " + path + " in:\n" + listing);
        }
        assertTrue(listing.lines().allMatch(l -> l.contains(" root/root ")), "every file root:root");
    }

    @Test
    void maintainerScriptsAndConffiles(@TempDir Path control) throws Exception {
        Dist.Result r = Dist.run(List.of("dpkg-deb", "--control", Dist.deb().toString(), control.toString()), Map.of());
        assertEquals(0, r.status(), r.output());
        assertEquals("/etc/raftd/raftd.env", Files.readString(control.resolve("conffiles")).strip());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(control.resolve(script)), script);
            Dist.Result syntax = Dist.run(List.of("sh", "-n", control.resolve(script).toString()), Map.of());
            assertEquals(0, syntax.status(), script + ": " + syntax.output());
        }
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("systemd-sysusers /usr/lib/sysusers.d/raftd.conf"), postinst);
    }

    @Test
    void theInstalledProgramsRunThroughTheirUsrBinLinks(@TempDir Path root) throws Exception {
        Dist.Result x = Dist.run(List.of("dpkg-deb", "-x", Dist.deb().toString(), root.toString()), Map.of());
        assertEquals(0, x.status(), x.output());
        for (String program : List.of("raftd", "raftctl")) {
            Dist.Result r = Dist.run(List.of(root.resolve("usr/bin").resolve(program).toString(), "--version"), Map.of());
            assertEquals(0, r.status(), r.output());
            assertTrue(r.output().startsWith(program + " "), r.output());
        }
        String unit = Files.readString(root.resolve("lib/systemd/system/raftd.service"), StandardCharsets.UTF_8);
        assertTrue(unit.contains("\nExecStart=/usr/bin/raftd\n"), unit);
    }

    @Test
    void theManPagesRender(@TempDir Path root) throws Exception {
        Assumptions.assumeTrue(Dist.installed("/usr/bin/man"), "man is not installed");
        Dist.Result x = Dist.run(List.of("dpkg-deb", "-x", Dist.deb().toString(), root.toString()), Map.of());
        assertEquals(0, x.status(), x.output());
        Dist.Result r = Dist.run(List.of("man", "-l", root.resolve("usr/share/man/man1/raftd.1.gz").toString()),
                Map.of("MANPAGER", "cat", "MANWIDTH", "80"));
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("--check-config"), r.output());
        assertTrue(r.output().contains("RAFTD_NAME"), r.output());
    }
}
