package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's class-data-sharing archive (raftd/target/raftd.jsa, written by {@code package})
 * is the one the launcher maps, and it holds picocli's classes: JDK 17 archives those Java 5
 * class files only in a static archive, which is why the build dumps one (docs/design.md).
 * {@code -Xshare:on} makes the JVM refuse to start rather than silently run without it.
 */
class CdsArchiveIT {

    @Test
    void theLauncherMapsTheArchiveAndItHoldsPicocli(@TempDir Path dir) throws Exception {
        Path launcher = LocalCluster.findLauncher();
        assertTrue(Files.isRegularFile(launcher.resolveSibling("raftd.jsa")), "no archive beside " + launcher);
        Path classLog = dir.resolve("classes.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true);
        pb.environment().put("RAFT_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classLog);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "raftd --version did not end");
        assertEquals(0, p.exitValue(), out);

        List<String> picocli = Files.readAllLines(classLog).stream().filter(l -> l.contains(" picocli.")).toList();
        long shared = picocli.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(picocli.size() > 50, "picocli classes loaded: " + picocli.size());
        // a few may be left out by the dump (linked while it ran); nearly all must come from the archive
        assertTrue(shared >= picocli.size() * 9 / 10, shared + " of " + picocli.size() + " picocli classes from the archive");
    }
}
