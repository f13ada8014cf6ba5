package dev.raftledger.raftd.metrics;

/**
 * The ledger's client sessions as a scrape sees them: read on the event loop thread when it
 * answers the scrape's status request, so as fresh as the core's series.
 *
 * @param sessions the sessions the dedup table holds
 * @param bytes    a rough estimate of the heap they take
 * @param expired  sessions expired in the ledger's history (replicated: equal on every node at
 *                 the same applied index)
 */
public record SessionGauge(long sessions, long bytes, long expired) {}
