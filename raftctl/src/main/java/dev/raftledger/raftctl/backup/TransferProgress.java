package dev.raftledger.raftctl.backup;

import dev.raftledger.common.backup.ProgressLine;
import dev.raftledger.raftctl.Session;
import java.io.PrintWriter;

/**
 * A long transfer's progress on one line of stderr, redrawn in place: bytes, share, rate and
 * time left ({@link #line}, pure). Shown only on a terminal and never with {@code --json}
 * ({@link #forSession} returns null then), so pipes and scripts see nothing of it.
 */
final class TransferProgress {

    private final PrintWriter err;
    private final String what;
    private int lastWidth;

    TransferProgress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    /** A progress line for {@code session}'s stderr, or null if it must stay quiet (not a terminal, or --json). */
    static TransferProgress forSession(Session session, String what) {
        return session.json() || !session.stderrTerminal() ? null : new TransferProgress(session.err(), what);
    }

    void update(long bytes, long total, long elapsedMs) {
        String line = line(what, bytes, total, elapsedMs);
        // carriage return, the line, and blanks over what a longer previous line left
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
    }

    /** Ends the line, so that what follows starts on its own. */
    void finish() {
        if (lastWidth > 0) {
            err.println();
            err.flush();
        }
    }

    /** "backup: 12.0 MiB of 230.6 MiB (5%), 41.2 MiB/s, 5 s left" ({@link ProgressLine}). */
    static String line(String what, long bytes, long total, long elapsedMs) {
        return ProgressLine.line(what, bytes, total, elapsedMs);
    }

    static String bytes(long n) {
        return ProgressLine.bytes(n);
    }

    static String duration(long seconds) {
        return ProgressLine.duration(seconds);
    }
}
