package dev.raftledger.raftctl;

import dev.raftledger.common.backup.ProgressLine;
import dev.raftledger.common.backup.RedrawnLine;
import java.io.PrintWriter;

/**
 * A long operation's progress (backup save, import, export) on one line of stderr, redrawn in
 * place: how much is done, the share, the rate and the time left ({@link ProgressLine}). Shown
 * only on a terminal and never with {@code --json} ({@link #forSession} returns null then), so
 * pipes and scripts see nothing of it. Not thread-safe: the command's own thread.
 */
public final class ProgressDisplay {

    private final RedrawnLine line;
    private final String what;
    private final long startedNanos = System.nanoTime();

    ProgressDisplay(PrintWriter err, String what) {
        this.line = new RedrawnLine(err);
        this.what = what;
    }

    /** A progress line for {@code session}'s stderr, or null if it must stay quiet (not a terminal, or --json). */
    public static ProgressDisplay forSession(Session session, String what) {
        return session.json() || !session.stderrTerminal() ? null : new ProgressDisplay(session.err(), what);
    }

    /** {@code bytes} of {@code total} done {@code elapsedMs} after the start. */
    public void update(long bytes, long total, long elapsedMs) {
        line.draw(ProgressLine.line(what, bytes, total, elapsedMs));
    }

    /** {@code done} of {@code total} {@code unit} (rows, expenses) done so far, timed from this display's creation. */
    public void count(long done, long total, String unit) {
        line.draw(ProgressLine.count(what, done, total, unit, (System.nanoTime() - startedNanos) / 1_000_000));
    }

    /** Ends the line, so that what follows starts on its own. */
    public void finish() {
        line.finish();
    }
}
