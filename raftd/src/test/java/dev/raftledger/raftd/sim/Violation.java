package dev.raftledger.raftd.sim;

/**
 * A broken rule, found by {@link Invariants} or by the {@link Simulator} itself. Thrown to end a
 * run at its first violation: the trace leading up to it is then the one worth reading.
 */
final class Violation extends RuntimeException {

    /** Which rule broke; planted-bug tests assert on it. */
    enum Check {
        /** Raft figure 3: at most one leader per term. */
        ELECTION_SAFETY,
        /** Section 5.3: two logs with an entry of the same index and term are equal up to it. */
        LOG_MATCHING,
        /** Section 5.4: a committed entry is in the log of every leader of a later term. */
        LEADER_COMPLETENESS,
        /** Section 5.4.3: no two nodes apply different entries at one index; each applies in order. */
        STATE_MACHINE_SAFETY,
        /** Every acknowledged write is applied exactly once, and nothing is applied that was never written. */
        EXACTLY_ONCE,
        /**
         * Stable storage, checked at each crash: a node never acknowledged, nor counted toward a
         * commit, log entries that were not yet fsynced.
         */
        DURABILITY,
        /** Two ledgers that applied up to the same index differ. */
        LEDGER_DIVERGENCE,
        /** A linearizable read missed a write acknowledged before the read was sent. */
        LINEARIZABLE_READ,
        /** Once healed, the cluster did not elect a leader, finish the writes and converge in time. */
        PROGRESS,
        /**
         * Thesis 4.3: a configuration entry changes at most one voter, and a leader writes one only
         * once the previous is committed and an entry of its own term is.
         */
        SINGLE_CHANGE,
        /** Thesis 4.2: only a voter (of its configuration in force or its committed one) campaigns or leads. */
        VOTERS_ONLY,
        /** An entry committed without a majority of the committing leader's configuration holding it. */
        COMMIT_QUORUM,
        /** Thesis 4.1: a node's configuration in force is not the latest its log (or snapshot) holds. */
        CONFIG_IN_FORCE,
        /** The core itself reported something impossible (a {@code ProtocolAnomaly} event). */
        PROTOCOL_ANOMALY,
        /** The run itself went wrong: an exception, or more steps than any sane run needs. */
        CRASHED
    }

    private final Check check;
    private final long time;

    Violation(Check check, long time, String message) {
        super(message, null, false, false); // no stack trace: the simulation trace says more
        this.check = check;
        this.time = time;
    }

    Check check() {
        return check;
    }

    long time() {
        return time;
    }

    @Override
    public String toString() {
        return check + " at t=" + time + "ms: " + getMessage();
    }
}
