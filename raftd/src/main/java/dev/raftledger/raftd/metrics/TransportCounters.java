package dev.raftledger.raftd.metrics;

/**
 * The driver's counters (listeners, sender, event loop queue), read directly from their atomics
 * at scrape time: they are not the core's, so reading them needs no trip through the event loop.
 */
public record TransportCounters(long malformedDatagrams, long unknownSenders, long authFailures,
                                long controllerRequests, long sendFailures, long droppedOverload,
                                long unexpectedSources, long oversizedDatagrams, long forbidden,
                                long portChecksSent, long portChecksClosed, long portChecksReceived,
                                long readsRefusedBusy, long maxHeartbeatGapMs) {

    /** Without the port checks, the reader's refusals and the heartbeat gaps (0 each). */
    public TransportCounters(long malformedDatagrams, long unknownSenders, long authFailures, long controllerRequests,
                             long sendFailures, long droppedOverload, long unexpectedSources, long oversizedDatagrams,
                             long forbidden) {
        this(malformedDatagrams, unknownSenders, authFailures, controllerRequests, sendFailures, droppedOverload,
                unexpectedSources, oversizedDatagrams, forbidden, 0, 0, 0, 0, 0);
    }
}
