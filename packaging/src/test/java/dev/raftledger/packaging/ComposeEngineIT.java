package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The compose files under a real Docker engine, as an operator meets them: Debian's docker.io
 * and docker-compose 1.29.2, a private dockerd in a network namespace of the test's, base images
 * imported from a debootstrap root file system (no registry), the image built from the checkout
 * with the project's Dockerfile, five nodes up, a leader through the raftctl service, the nodes'
 * health checks passing, the leader's container killed and the failover timed,
 * {@code raftctl kill} of a node that must stay down, {@code down -v}. The work is done by {@code src/test/docker/compose-engine-test},
 * which this test runs with a deadline and judges; an operator can run the script by hand.
 *
 * <p>The engine has no network, so the build stage cannot reach Maven Central: the script builds
 * with {@code --build-arg DIST=prebuilt}, which takes the launchers and jars this checkout's
 * {@code mvn package} made (raftd/target, raftctl/target). The image is otherwise the one the
 * Dockerfile makes by default (docs/native-and-compose.md).
 *
 * <p>Runs only with {@code -Ddocker.it=true}, which {@code packaging/local/run-tests} (the
 * README's test command, CI) gives together with {@code -Ddocker.required=true}; otherwise (a
 * plain {@code mvn verify}, maybe without root) it says loudly that it did not run and is
 * reported skipped, as it is where it cannot run (not root, no docker.io, docker-compose or
 * debootstrap), unless {@code -Ddocker.required=true}, which fails instead.
 * Time: a cold run (debootstrap of the base root file system, cached afterwards under
 * /var/cache/raftledger-test/docker-base-KEY, 47 s of it) took 124 s here, a warm one about a
 * minute; the deadline is 6 minutes, then the script gets SIGTERM and 90 s for its cleanup.
 * Whatever a run killed outright (SIGKILL) left behind, the next run removes first. Needs
 * network only for the first debootstrap on a machine.
 */
class ComposeEngineIT {

    /** The script's whole run, cold debootstrap included. */
    private static final Duration DEADLINE = Duration.ofMinutes(6);
    /** After the deadline's SIGTERM: time for the script's cleanup (down -v, dockerd stopped). */
    private static final Duration CLEANUP_GRACE = Duration.ofSeconds(90);
    /** The exit status by which the script says this machine cannot run it. */
    private static final int CANNOT_RUN = 77;

    /** Each step the script must report passed ("ok: ..." lines, in this order). */
    private static final List<String> STEPS = List.of("ok: base root file system ", "ok: dockerd ",
            "ok: docker import ", "ok: docker build raftledger:local ", "ok: docker-compose up -d ",
            "ok: raftctl leader: ", "ok: raftctl status exit 0", "ok: healthy: Node1-Node5 ", "ok: docker kill ", "ok: raftctl kill ",
            "ok: docker-compose down -v ");

    @Test
    void theComposeFilesUnderADockerEngine() throws Exception {
        if (!Boolean.getBoolean("docker.it")) {
            skip("it is opt-in (-Ddocker.it=true)", Boolean.getBoolean("docker.required"));
        }
        Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path script = Path.of(System.getProperty("docker.script", "src/test/docker/compose-engine-test"));
        Path out = Files.createTempFile("compose-engine-test", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), repo.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("RAFT") || k.startsWith("DOCKER") || k.startsWith("COMPOSE"));
            long start = System.nanoTime();
            Process p = pb.start();
            boolean timedOut = !p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                stopWithinGrace(p);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            String output = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("--- compose-engine-test (" + seconds + " s, exit "
                    + (timedOut ? "timeout" : p.exitValue()) + "):\n" + output);
            assertTrue(!timedOut, "compose-engine-test did not finish within " + DEADLINE + ":\n" + output);
            if (p.exitValue() == CANNOT_RUN) {
                skip(output.lines().filter(l -> l.startsWith("CANNOT RUN: ")).findFirst()
                        .orElse("exit " + CANNOT_RUN), Boolean.getBoolean("docker.required"));
            }
            assertEquals(0, p.exitValue(), "compose-engine-test failed:\n" + output);
            int from = 0;
            for (String step : STEPS) {
                int at = lineStarting(output, step, from);
                assertTrue(at >= 0, "step not reported passed (in order): " + step + "\n" + output);
                from = at + step.length();
            }
            Matcher failover = Pattern.compile("(?m)^measured: failover .* (\\d+) ms$").matcher(output);
            assertTrue(failover.find(), "no failover time:\n" + output);
            assertTrue(output.contains("\ncleanup: done"), "cleanup did not report:\n" + output);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Where the first line at or after {@code from} that starts with {@code prefix} begins, or -1. */
    private static int lineStarting(String text, String prefix, int from) {
        for (int i = text.indexOf(prefix, from); i >= 0; i = text.indexOf(prefix, i + 1)) {
            if (i == 0 || text.charAt(i - 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * After the deadline: SIGTERM to the script's foreground commands (docker, docker-compose,
     * sleep; not dockerd and what it started, which the cleanup needs) and to the script, whose
     * EXIT trap then takes everything down. Anything left after the grace period is killed.
     */
    private static void stopWithinGrace(Process script) throws InterruptedException {
        script.toHandle().descendants().filter(h -> !underEngine(h)).forEach(ProcessHandle::destroy);
        script.destroy();
        if (!script.waitFor(CLEANUP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            script.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    /** Whether a process is dockerd, or one it started (containerd, shims, containers). */
    private static boolean underEngine(ProcessHandle h) {
        for (Optional<ProcessHandle> p = Optional.of(h); p.isPresent(); p = p.get().parent()) {
            if (p.get().info().command().map(c -> c.endsWith("/dockerd")).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips the test (a JUnit assumption, reported as skipped, with a loud line on stderr) or,
     * with {@code -Ddocker.required=true}, fails it, so it never counts as passed without having run.
     */
    private static void skip(String why, boolean required) {
        String message = "the Docker engine test (ComposeEngineIT) did not run: " + why;
        if (required) {
            Assertions.fail(message + " (and docker.required=true)");
        }
        System.err.println("*** SKIPPED: " + message + "; it did NOT run (set -Ddocker.it=true to run it,"
                + " -Ddocker.required=true to fail instead of skipping) ***");
        Assumptions.assumeTrue(false, message);
    }
}
