package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.core.CoreStatus;
import java.util.concurrent.CompletableFuture;

/**
 * How a scrape reads a running node. The core belongs to the event loop thread, so its status
 * is asked for and answered by that thread; the transport counters are atomics read at once.
 */
public interface NodeProbe {

    /** The core's status, completed by the event loop (or never, if the loop is stuck or gone). */
    CompletableFuture<CoreStatus> coreStatus();

    TransportCounters transport();

    /** The disk, read at once (a volatile read), or null before the first reading or without a monitor. */
    default SpaceMetrics space() {
        return null;
    }

    /**
     * The ledger's sessions as of the last {@link #coreStatus()} the event loop answered; null
     * if it has not answered one yet (or the probe has no ledger).
     */
    default SessionGauge sessions() {
        return null;
    }

    /** The keyring's reloads and use, read at once; null without a cluster key. */
    default KeyringMetrics keyring() {
        return null;
    }
}
