package dev.raftledger.raftd.driver;

import java.util.concurrent.atomic.AtomicLong;

/** The driver's running totals; listener threads count into them, STATUS reads them. */
public final class DriverCounters {

    /** Not JSON, wrong fields or types, empty, oversized, unknown request, wrong port. */
    public final AtomicLong malformedDatagrams = new AtomicLong();
    /** Well-formed peer messages from a name that is not a cluster member. */
    public final AtomicLong unknownSenders = new AtomicLong();
    /**
     * Well-formed peer messages in a member's name from an address that is not one of that
     * member's (forged, or a member that moved before this node's lookup saw it).
     */
    public final AtomicLong unexpectedSources = new AtomicLong();
    public final AtomicLong controllerRequests = new AtomicLong();
    /** Datagrams refused by the cluster key: unsigned, altered, replayed, too old. */
    public final AtomicLong authFailures = new AtomicLong();
    /**
     * Authenticated datagrams refused for who sent them: a request outside the caller's role, or
     * a peer message sealed with an operator's credential (docs/security.md).
     */
    public final AtomicLong forbidden = new AtomicLong();
    public final AtomicLong sendFailures = new AtomicLong();
    /** Datagrams sent although larger than the limit for their path (an old log's oversized entry). */
    public final AtomicLong oversizedDatagrams = new AtomicLong();
    /** Peer messages that carried another cluster's id (docs/protocol.md, "Cluster identity"). */
    public final AtomicLong clusterIdMismatches = new AtomicLong();
    /** Keyring reloads that took effect (SIGHUP with good files). */
    public final AtomicLong keyringReloads = new AtomicLong();
    /** Keyring reloads refused: a file missing, unreadable or invalid (the keyring in force stayed). */
    public final AtomicLong keyringReloadFailures = new AtomicLong();
    /** Checks of a silent leader's port sent ({@code net.PortChecker}). */
    public final AtomicLong portChecksSent = new AtomicLong();
    /** Checks its host answered with "nothing listens there" (ICMP port unreachable). */
    public final AtomicLong portChecksClosed = new AtomicLong();
    /** Other nodes' port checks received (one-byte datagrams, dropped). */
    public final AtomicLong portChecksReceived = new AtomicLong();
    /** Datagrams dropped because the event loop's queue was full. */
    final AtomicLong droppedOverload = new AtomicLong();
    /** Reads refused with BUSY because the reader thread's queue was full. */
    public final AtomicLong readsRefusedBusy = new AtomicLong();
    /**
     * The longest interval, ms, between two AppendEntry (heartbeat or entries) this node sent the
     * same follower while leading, since it started (written by the event loop only).
     */
    public final AtomicLong maxHeartbeatGapMs = new AtomicLong();

    public long malformedDatagrams() {
        return malformedDatagrams.get();
    }

    public long unknownSenders() {
        return unknownSenders.get();
    }

    public long unexpectedSources() {
        return unexpectedSources.get();
    }

    public long authFailures() {
        return authFailures.get();
    }

    public long forbidden() {
        return forbidden.get();
    }

    public long controllerRequests() {
        return controllerRequests.get();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    public long oversizedDatagrams() {
        return oversizedDatagrams.get();
    }

    public long clusterIdMismatches() {
        return clusterIdMismatches.get();
    }

    public long keyringReloads() {
        return keyringReloads.get();
    }

    public long keyringReloadFailures() {
        return keyringReloadFailures.get();
    }

    public long readsRefusedBusy() {
        return readsRefusedBusy.get();
    }

    public long maxHeartbeatGapMs() {
        return maxHeartbeatGapMs.get();
    }

    public long droppedOverload() {
        return droppedOverload.get();
    }
}
