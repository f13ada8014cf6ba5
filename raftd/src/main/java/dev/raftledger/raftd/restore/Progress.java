package dev.raftledger.raftd.restore;

import dev.raftledger.common.backup.ProgressLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * raftd restore's and recover's progress on stderr: one line redrawn in place at most every
 * 200 ms ({@link ProgressLine}), only when stderr is a terminal ({@link #forStderr} returns
 * one that prints nothing otherwise, so logs and pipes see nothing of it). One thread.
 */
public final class Progress {

    private static final long EVERY_MS = 200;

    private final PrintWriter err;
    private final boolean shown;
    private String what;
    private long total;
    private long startedAt;
    private long lastAt;
    private int lastWidth;

    Progress(PrintWriter err, boolean shown) {
        this.err = err;
        this.shown = shown;
    }

    /** Progress on {@code err}, shown only if the process's stderr is a terminal. */
    public static Progress forStderr(PrintWriter err) {
        return new Progress(err, stderrIsTerminal());
    }

    /** On Linux, where fd 2 points (as raftctl decides); elsewhere, whether there is a console. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** A new phase: {@code what} of {@code total} bytes. */
    public void start(String what, long total) {
        finish();
        this.what = what;
        this.total = total;
        this.startedAt = System.nanoTime() / 1_000_000;
        this.lastAt = 0;
    }

    /** {@code bytes} done of the current phase; drawn if the last draw is 200 ms old, or at the end. */
    public void update(long bytes) {
        long now = System.nanoTime() / 1_000_000;
        if (!shown || (now - lastAt < EVERY_MS && bytes < total)) {
            return;
        }
        lastAt = now;
        String line = ProgressLine.line(what, bytes, total, now - startedAt);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
    }

    /** Ends the line, if one was drawn. */
    public void finish() {
        if (lastWidth > 0) {
            err.println();
            err.flush();
            lastWidth = 0;
        }
    }
}
