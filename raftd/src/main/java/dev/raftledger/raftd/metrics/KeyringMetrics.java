package dev.raftledger.raftd.metrics;

import java.util.Map;

/**
 * A node's keyring as a scrape sees it, read at once (atomics and the keyring in force): the
 * reloads that took effect and those refused, and the datagrams opened under each key, by
 * fingerprint (every node key installed, 0 if none yet; any other key that opened one).
 */
public record KeyringMetrics(long reloads, long reloadFailures, Map<String, Long> openedByKey) {}
