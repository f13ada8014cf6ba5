package dev.raftledger.raftd.restore;

import dev.raftledger.common.backup.ProgressLine;
import dev.raftledger.common.backup.RedrawnLine;
import java.io.PrintWriter;

/**
 * raftd restore's and recover's progress on stderr: one line redrawn in place at most every
 * 200 ms ({@link ProgressLine}), only when stderr is a terminal ({@link #forStderr} returns
 * one that prints nothing otherwise, so logs and pipes see nothing of it). One thread.
 */
public final class Progress {

    private static final long EVERY_MS = 200;

    private final RedrawnLine line;
    private final boolean shown;
    private String what;
    private long total;
    private long startedAt;
    private long lastAt;

    Progress(PrintWriter err, boolean shown) {
        this.line = new RedrawnLine(err);
        this.shown = shown;
    }

    /** Progress on {@code err}, shown only if the process's stderr is a terminal. */
    public static Progress forStderr(PrintWriter err) {
        return new Progress(err, RedrawnLine.stderrIsTerminal(System.console() != null));
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
        line.draw(ProgressLine.line(what, bytes, total, now - startedAt));
    }

    /** Ends the line, if one was drawn. */
    public void finish() {
        line.finish();
    }
}
