package dev.raftledger.raftctl;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The durations raftctl's options take ({@code --timeout}, {@code --wait}, {@code --max-silence}): 500ms, 10s, 2m, 1h. */
public final class Durations {

    /** The longest any option takes. */
    static final Duration MAX = Duration.ofHours(24);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /** 500ms, 10s, 2m, 1h; null if not such a duration or outside 1 ms to 24 h. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        Duration d;
        switch (m.group(2)) {
            case "ms":
                d = Duration.ofMillis(n);
                break;
            case "s":
                d = Duration.ofSeconds(n);
                break;
            case "m":
                d = Duration.ofMinutes(n);
                break;
            default:
                d = Duration.ofHours(n);
                break;
        }
        return d.isZero() || d.compareTo(MAX) > 0 ? null : d;
    }
}
