package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.raftctl.Drawing;
import dev.raftledger.raftctl.Environment;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Polling;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.HealthLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl watch}: status again and again. On a terminal, a full-screen live view
 * ({@link FullScreenWatch}); with --no-fullscreen each redraw replaces the last; otherwise (a
 * pipe, a log file) the tables follow one another, so nothing is lost; with --json one document
 * per round. Every mode reports the same events ({@link WatchEvents}) and the same degraded
 * members ({@link ClusterHealth}) and the same commit rate ({@link CommitRate}; its sparkline in
 * ASCII outside the full screen).
 */
@Command(name = "watch",
        description = {"Show the cluster live, polling STATUS every --interval ms.",
                "On a terminal: a full-screen view (node rows with state, term, leader,",
                "commit/applied index, heartbeat age and lag; the commit rate over the",
                "last minute with a sparkline; recent events) until q or Ctrl-C (in the",
                "shell: back to the prompt) or --count rounds. To a pipe, or with",
                "--no-fullscreen: status tables one after another, with the commit rate",
                "and events. With --json, one status document per line, with \"time\",",
                "\"redraw\", \"events\" and \"commit_rate\" added. Members that are down,",
                "cut off or far behind while a majority agrees on a leader are shown as",
                "degraded (as in health). Exit status 1 if no node answered the last round."})
public final class WatchCommand implements Callable<Integer> {

    static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Time between redraws. Default: ${DEFAULT-VALUE}")
    long intervalMs;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N redraws. Default: until q or Ctrl-C")
    Integer count;

    @Option(names = "--no-fullscreen",
            description = "On a terminal too, print status tables (each clearing the screen) instead of the full-screen view.")
    boolean noFullscreen;

    @Mixin
    HealthLimits limits;

    private ClusterHealth.Limits bounds = ClusterHealth.Limits.DEFAULT;

    @Override
    public Integer call() {
        if (intervalMs < 1 || intervalMs > TimeUnit.DAYS.toMillis(1)) {
            throw new ParameterException(spec.commandLine(), "--interval must be 1 ms to one day, not " + intervalMs);
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        bounds = limits.limits(spec);
        Session session = root.session();
        if (!session.json() && !noFullscreen) {
            Integer code = fullScreen(session, root.environment());
            if (code != null) {
                return code;
            }
        }
        return plain(session);
    }

    /** The full-screen view if there is a terminal that can show it; null if there is none. */
    private Integer fullScreen(Session session, Environment environment) {
        Terminal shell = environment.shellTerminal();
        if (shell != null) {
            return FullScreenWatch.usable(shell) ? fullScreen(session, shell) : null; // the shell owns it
        }
        if (!environment.ansiOutput()) {
            return null;
        }
        Terminal terminal;
        try {
            terminal = environment.terminal().open();
        } catch (IOException e) {
            return null; // the plain mode still works on stdout
        }
        try {
            return FullScreenWatch.usable(terminal) ? fullScreen(session, terminal) : null;
        } finally {
            close(terminal);
        }
    }

    private static void close(Terminal terminal) {
        try {
            terminal.close();
        } catch (IOException e) {
            // the view has ended and the terminal's modes are restored; nothing is lost
        }
    }

    private int fullScreen(Session session, Terminal terminal) {
        String cluster = session.cluster().size() + " nodes (" + session.clusterSource() + ")";
        ClusterStatus last = new FullScreenWatch(terminal, () -> ClusterStatus.fetch(session), cluster, intervalMs,
                count, ZoneId.systemDefault(), bounds).run();
        return exitCode(last);
    }

    private int plain(Session session) {
        ClusterStatus last = null;
        CommitRate rate = new CommitRate(intervalMs);
        int width = Drawing.plain(root.environment()).width();
        // a fixed rate, so that slow rounds (nodes down) do not stretch the interval
        long next = System.nanoTime();
        for (int redraw = 1; count == null || redraw <= count; redraw++) {
            if (redraw > 1 && !Polling.sleepUntil(next)) {
                break;
            }
            next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
            ClusterStatus status = ClusterStatus.fetch(session);
            if (Thread.currentThread().isInterrupted()) {
                break; // Ctrl-C in the shell during the round: its answers may be cut short
            }
            rate.add(System.nanoTime(), status);
            Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            draw(session, status, redraw, time, WatchEvents.diff(last, status, time), rate.reading(), width);
            last = status;
        }
        return exitCode(last);
    }

    private static int exitCode(ClusterStatus last) {
        return last == null || last.anyReachable() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /** @param width how wide the commit rate line may be (its sparkline is ASCII here: a pipe, a dumb terminal) */
    private void draw(Session session, ClusterStatus status, int redraw, Instant time, List<WatchEvent> events,
                      CommitRate.Reading rate, int width) {
        PrintWriter out = session.out();
        ClusterHealth health = ClusterHealth.judge(status, bounds);
        if (session.json()) {
            ObjectNode doc = ClusterJson.status(status);
            doc.put("time", time.toString());
            doc.put("redraw", redraw);
            ArrayNode list = doc.putArray("events");
            events.forEach(e -> list.add(ClusterJson.event(e)));
            doc.put("verdict", health.verdict().wireName());
            doc.set("degraded", ClusterJson.degraded(health));
            if (rate.perSecond() == null) {
                doc.putNull("commit_rate");
            } else {
                doc.put("commit_rate", Math.round(rate.perSecond() * 10) / 10.0);
            }
            JsonOutput.print(out, doc);
            return;
        }
        if (session.ansi()) {
            out.print(CLEAR_SCREEN);
        } else if (redraw > 1) {
            out.println();
        }
        ZoneId zone = ZoneId.systemDefault();
        out.println("watch: every " + intervalMs + " ms, " + CLOCK.format(time.atZone(zone))
                + (count == null ? " (Ctrl-C to stop)" : " (" + redraw + " of " + count + ")"));
        if (rate.perSecond() != null) {
            out.println(CommitRate.line(rate, false, width));
        }
        StatusTable.print(status, out);
        if (health.verdict() == ClusterHealth.Verdict.DEGRADED) {
            for (ClusterHealth.Member d : health.degraded()) {
                out.println("degraded: " + d.text());
            }
        }
        for (WatchEvent e : events) {
            out.println("event " + CLOCK.format(e.time().atZone(zone)) + " " + e.text());
        }
        out.flush();
    }
}
