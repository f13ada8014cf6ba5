package dev.raftledger.raftd.metrics;

/**
 * The driver's counters (listeners, sender, event loop queue), read directly from their atomics
 * at scrape time: they are not the core's, so reading them needs no trip through the event loop.
 */
public record TransportCounters(long malformedDatagrams, long unknownSenders, long authFailures,
                                long controllerRequests, long sendFailures, long droppedOverload,
                                long unexpectedSources, long oversizedDatagrams, long forbidden,
                                long portChecksSent, long portChecksClosed, long portChecksReceived) {}
