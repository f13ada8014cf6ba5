package dev.raftledger.raftctl;

import java.util.concurrent.TimeUnit;

/** How raftctl waits between rounds of questions to the nodes (wait-leader, transfer-leader, member changes). */
public final class Polling {

    /** Between two rounds of LEADER_INFO while waiting for a leader. */
    public static final long POLL_MS = 50;

    private Polling() {}

    /** Sleeps until the deadline; false if interrupted (Ctrl-C in the shell), flag kept set. */
    public static boolean sleepUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return !Thread.currentThread().isInterrupted();
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
