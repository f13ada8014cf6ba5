package dev.raftledger.common.auth;

/**
 * Which counters of one sending session were seen: the highest, and a bitmap of the
 * {@link #SIZE} before it (as IPsec and WireGuard keep), so datagrams reordered by up to that
 * many are taken once each, a replay never, and one older than the window is refused (it cannot
 * be told from a replay). Not thread-safe: {@link Opener} guards it.
 */
final class ReplayWindow {

    static final int SIZE = 1024;
    private final long[] bits = new long[SIZE / 64];
    private long highest;
    long lastSeenMs;

    /** Whether {@code counter} (>= 1) is new; marks it seen if so. */
    boolean accept(long counter) {
        if (counter > highest) {
            long shift = counter - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long c = highest + 1; c < counter; c++) {
                    clear(c);
                }
            }
            highest = counter;
            set(counter);
            return true;
        }
        if (highest - counter >= SIZE) {
            return false;
        }
        if (isSet(counter)) {
            return false;
        }
        set(counter);
        return true;
    }

    private int word(long c) {
        return (int) ((c / 64) % (SIZE / 64));
    }

    private void set(long c) {
        bits[word(c)] |= 1L << (c % 64);
    }

    private void clear(long c) {
        bits[word(c)] &= ~(1L << (c % 64));
    }

    private boolean isSet(long c) {
        return (bits[word(c)] & (1L << (c % 64))) != 0;
    }
}
