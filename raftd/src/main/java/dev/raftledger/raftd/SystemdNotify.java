package dev.raftledger.raftd;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd (a {@code Type=notify} unit) that the node is ready, or stopping, by running
 * {@code systemd-notify}. Java 17 cannot send a datagram to the AF_UNIX socket named by
 * {@code $NOTIFY_SOCKET} itself (its Unix-domain channels are stream-only), and a native
 * library would be a dependency with a platform binary for one message. The unit therefore sets
 * {@code NotifyAccess=all}, so that a child of raftd may speak for it; systemd-notify (systemd
 * 246 and later) waits until the manager has taken the message, so the short-lived child is
 * still there to be attributed to the unit.
 *
 * <p>Without {@code $NOTIFY_SOCKET} (not started by systemd) nothing is run at all. A failure
 * to notify is logged and otherwise ignored: the node works the same either way.
 */
final class SystemdNotify {

    /** Runs one command to the end; returns its exit status and what it wrote. */
    @FunctionalInterface
    interface CommandRunner {
        Result run(List<String> command) throws IOException, InterruptedException;
    }

    record Result(int status, String output) {}

    private static final Logger LOG = LoggerFactory.getLogger("raftd");

    /** systemd-notify's own barrier wait is 5 s; give it that and a little more. */
    private static final long TIMEOUT_SECONDS = 7;

    private final boolean enabled;
    private final CommandRunner runner;

    SystemdNotify(Map<String, String> environment, CommandRunner runner) {
        String socket = environment.get("NOTIFY_SOCKET");
        this.enabled = socket != null && !socket.isBlank();
        this.runner = runner;
    }

    /** For the real process: its environment, and systemd-notify from the PATH. */
    static SystemdNotify fromEnvironment() {
        return new SystemdNotify(System.getenv(), SystemdNotify::runProcess);
    }

    boolean enabled() {
        return enabled;
    }

    /** READY=1: the ports are bound and the node is running. */
    void ready(String status) {
        send(List.of("READY=1", "STATUS=" + status));
    }

    /** STOPPING=1: a clean stop has begun. */
    void stopping(String status) {
        send(List.of("STOPPING=1", "STATUS=" + status));
    }

    private void send(List<String> assignments) {
        if (!enabled) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add("systemd-notify");
        command.addAll(assignments);
        try {
            Result result = runner.run(command);
            if (result.status() != 0) {
                LOG.warn("could not notify systemd ({}): systemd-notify exited with status {}: {}",
                        assignments.get(0), result.status(), result.output().strip());
            }
        } catch (IOException e) {
            LOG.warn("could not notify systemd ({}): {}", assignments.get(0), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("could not notify systemd ({}): interrupted", assignments.get(0));
        }
    }

    private static Result runProcess(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("systemd-notify did not finish within " + TIMEOUT_SECONDS + " s");
        }
        // It writes at most a line or two, so reading after it ended cannot block on a full pipe.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }
}
