package dev.raftledger.raftd.driver;

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

    void warn(String message) {
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
