package dev.raftledger.raftd.driver.space;

import java.util.Locale;

/** Byte counts as people read them in a log line or an error. */
final class Bytes {

    private Bytes() {}

    /** 1536 -> "1.5 KiB"; below 1 KiB, "N bytes". */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
