package dev.raftledger.raftd.sim;

/**
 * Bugs the simulator can plant in its own driver and disk layer (the core is final and pure), to
 * show that the checks catch real mistakes: a checker that cannot fail proves nothing. Each is a
 * mistake a real driver could make; {@code PlantedBugTest} asserts each is caught.
 */
enum PlantedBug {
    /** On restart the node reads its term but not its vote: it can vote twice in one term. */
    FORGET_VOTE_ON_RESTART,
    /**
     * Acknowledgements leave, and the core is told the log is durable, as soon as entries are
     * written, not once fsynced; a crash still loses the un-fsynced tail.
     */
    ACK_BEFORE_FSYNC,
    /** Entries go to the ledger as soon as they are written to the log, before they commit. */
    APPLY_BEFORE_COMMIT,
    /** "Linearizable" reads are served at once from whatever node is asked, without ReadIndex. */
    READ_WITHOUT_READ_INDEX,
    /** The client gives a retried write a new seq: the ledger can no longer tell it is the same write. */
    RETRY_WITH_NEW_SEQ,
    /** The driver applies each entry with the node's current term instead of the entry's own. */
    APPLY_WITH_LOCAL_TERM,
    /**
     * The event loop waits for messages only, never for the core's next deadline: timers fire
     * only when some message happens to arrive (heartbeats and elections stall in silence).
     */
    NO_TIMER,
    /**
     * A snapshot installed from the leader is stored and loaded without its configuration: the
     * node keeps the one it had, missing the membership changes the snapshot covers.
     */
    SNAPSHOT_WITHOUT_CONFIG
}
