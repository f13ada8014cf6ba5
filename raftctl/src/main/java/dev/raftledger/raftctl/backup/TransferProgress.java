package dev.raftledger.raftctl.backup;

import dev.raftledger.raftctl.Session;
import java.io.PrintWriter;
import java.util.Locale;

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

    /** "backup: 12.0 MiB of 230.6 MiB (5%), 41.2 MiB/s, 5 s left". */
    static String line(String what, long bytes, long total, long elapsedMs) {
        StringBuilder b = new StringBuilder(what).append(": ").append(bytes(bytes)).append(" of ").append(bytes(total));
        if (total > 0) {
            b.append(" (").append(bytes * 100 / total).append("%)");
        }
        if (elapsedMs > 0 && bytes > 0) {
            double rate = bytes * 1000.0 / elapsedMs;
            b.append(", ").append(bytes((long) rate)).append("/s");
            if (bytes < total) {
                long left = (long) Math.ceil((total - bytes) / rate);
                b.append(", ").append(duration(left)).append(" left");
            }
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
