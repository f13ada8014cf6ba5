package dev.raftledger.raftd.metrics;

/**
 * The driver's counters (listeners, sender, event loop queue), read directly from their atomics
 * at scrape time: they are not the core's, so reading them needs no trip through the event loop.
 */
public record TransportCounters(long malformedDatagrams, long unknownSenders, long authFailures,
                                long controllerRequests, long sendFailures, long droppedOverload,
                                long oversizedDatagrams) {

    /** Without the count of oversized datagrams (tests of the other counters). */
    public TransportCounters(long malformedDatagrams, long unknownSenders, long authFailures, long controllerRequests,
                             long sendFailures, long droppedOverload) {
        this(malformedDatagrams, unknownSenders, authFailures, controllerRequests, sendFailures, droppedOverload, 0);
    }
}
