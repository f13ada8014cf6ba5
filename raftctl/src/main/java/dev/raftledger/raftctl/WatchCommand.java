package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl watch}: status again and again. On a terminal each redraw replaces the last;
 * otherwise (a pipe, a log file) the tables follow one another, so nothing is lost.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Redraw the status table every --interval ms.",
                "Runs until Ctrl-C (in the shell: back to the prompt) or --count",
                "redraws. With --json, one status document per line, with \"time\"",
                "and \"redraw\" added. Exit status 1 if no node answered the last round."})
final class WatchCommand implements Callable<Integer> {

    static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Time between redraws. Default: ${DEFAULT-VALUE}")
    long intervalMs;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N redraws. Default: until Ctrl-C")
    Integer count;

    @Override
    public Integer call() {
        if (intervalMs < 1 || intervalMs > TimeUnit.DAYS.toMillis(1)) {
            throw new ParameterException(spec.commandLine(), "--interval must be 1 ms to one day, not " + intervalMs);
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        Session session = root.session();
        ClusterStatus last = null;
        // a fixed rate, so that slow rounds (nodes down) do not stretch the interval
        long next = System.nanoTime();
        for (int redraw = 1; count == null || redraw <= count; redraw++) {
            if (redraw > 1 && !sleepUntil(next)) {
                break;
            }
            next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
            ClusterStatus status = ClusterStatus.fetch(session);
            if (Thread.currentThread().isInterrupted()) {
                break; // Ctrl-C in the shell during the round: its answers may be cut short
            }
            draw(session, status, redraw);
            last = status;
        }
        return last == null || last.anyReachable() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private void draw(Session session, ClusterStatus status, int redraw) {
        PrintWriter out = session.out();
        if (session.json()) {
            ObjectNode doc = JsonOutput.status(status);
            doc.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            doc.put("redraw", redraw);
            JsonOutput.print(out, doc);
            return;
        }
        if (session.ansi()) {
            out.print(CLEAR_SCREEN);
        } else if (redraw > 1) {
            out.println();
        }
        out.println("watch: every " + intervalMs + " ms, " + CLOCK.format(LocalTime.now())
                + (count == null ? " (Ctrl-C to stop)" : " (" + redraw + " of " + count + ")"));
        StatusTable.print(status, out);
        out.flush();
    }

    /** Sleeps until the deadline; false if interrupted (Ctrl-C in the shell), flag kept set. */
    private static boolean sleepUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return !Thread.currentThread().isInterrupted();
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
