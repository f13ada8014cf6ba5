package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution, for the integration tests that run after {@code package}: where the
 * tar.gz and the .deb are (system properties set by failsafe), unpacking them, and running
 * their programs with a deadline.
 */
final class Dist {

    private Dist() {}

    record Result(int status, String output) {}

    static Path archive() {
        return Path.of(property("dist.archive"));
    }

    static String name() {
        return property("dist.name");
    }

    /** Where the tar.gz is meant to be unpacked, as its unit assumes (/opt/raftledger). */
    static String prefix() {
        return property("dist.prefix");
    }

    /** target/raftledger_VERSION_all.deb. */
    static Path deb() throws IOException {
        try (var files = Files.list(Path.of(property("deb.dir")))) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().endsWith("_all.deb")).toList();
            assertEquals(1, debs.size(), "one .deb in target/: " + debs);
            return debs.get(0);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run through Maven (failsafe)");
        }
        return value;
    }

    /** Unpacks the tar.gz with tar, as a user would (file modes kept); returns its top folder. */
    static Path unpack(Path into) throws IOException, InterruptedException {
        Result r = run(List.of("tar", "-xzf", archive().toString(), "-C", into.toString()), Map.of());
        assertEquals(0, r.status(), r.output());
        Path top = into.resolve(name());
        assertTrue(Files.isDirectory(top), "the archive has one top folder, " + name());
        return top;
    }

    /** A systemd environment file as systemd reads ours: NAME=value lines, # comments. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            assertTrue(eq > 0, file + ": not NAME=value: " + line);
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return env;
    }

    static Result run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        return run(command, extraEnv, Duration.ofSeconds(60));
    }

    /**
     * Runs a command to its end (stdin empty, stderr with stdout). The environment is this one's
     * without any RAFT* variable, so a developer's exported settings cannot leak in, plus extraEnv.
     */
    static Result run(List<String> command, Map<String, String> extraEnv, Duration timeout)
            throws IOException, InterruptedException {
        // Output goes to a file, so a process that hangs cannot block the test past its deadline.
        Path out = Files.createTempFile("dist-run", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("RAFT") || k.equals("NOTIFY_SOCKET"));
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether an executable is on this machine (checked where Debian installs it). */
    static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }

    /** On CI a missing tool is a failure (.ci/run installs it); on a developer's machine, a skip. */
    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equals("false");
    }
}
