package dev.raftledger.common.backup;

import java.util.Locale;

/**
 * The text of a long operation's progress line, shared by raftctl (backup save, import,
 * export) and raftd (restore): "backup: 12.0 MiB of 230.6 MiB (5%), 41.2 MiB/s, 5 s left". Pure functions; where
 * and whether the line is drawn is the caller's (only on a terminal, never with --json).
 */
public final class ProgressLine {

    private ProgressLine() {}

    /** What {@code what} has done: {@code bytes} of {@code total} in {@code elapsedMs}, rate and time left. */
    public static String line(String what, long bytes, long total, long elapsedMs) {
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

    /**
     * What {@code what} has done of a count of things: "import: 1200 of 5000 rows (24%),
     * 850 rows/s, 5 s left"; {@code total} 0 or less when it is not known (then no share, no
     * time left).
     */
    public static String count(String what, long done, long total, String unit, long elapsedMs) {
        StringBuilder b = new StringBuilder(what).append(": ").append(done);
        if (total > 0) {
            b.append(" of ").append(total).append(' ').append(unit).append(" (").append(done * 100 / total).append("%)");
        } else {
            b.append(' ').append(unit);
        }
        if (elapsedMs > 0 && done > 0) {
            double rate = done * 1000.0 / elapsedMs;
            b.append(", ").append(Math.round(rate)).append(' ').append(unit).append("/s");
            if (total > done) {
                b.append(", ").append(duration((long) Math.ceil((total - done) / rate))).append(" left");
            }
        }
        return b.toString();
    }

    /** 1023 B, 1.0 KiB, 230.6 MiB, ... */
    public static String bytes(long n) {
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

    /** 59 s, 2 min 5 s, 3 h 10 min. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
