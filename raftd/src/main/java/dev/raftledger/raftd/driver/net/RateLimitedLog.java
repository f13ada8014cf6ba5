package dev.raftledger.raftd.driver.net;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs at most one warning a second and says how many it held back, so that a flood of bad
 * datagrams costs a line a second, not a line a datagram. Thread-safe.
 */
final class RateLimitedLog {

    private final Logger log;
    private final RateLimiter limiter = new RateLimiter(1, 1);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log) {
        this.log = log;
    }

    /**
     * Bad input's text (names, requests) goes into log lines: control characters are escaped so
     * a datagram cannot start a forged line of its own.
     */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    void warn(String text) {
        String message = printable(text);
        if (!limiter.tryAcquire()) {
            suppressed.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        if (held > 0) {
            log.warn("{} (and {} more like it since the last such line)", message, held);
        } else {
            log.warn(message);
        }
    }
}
