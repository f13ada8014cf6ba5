package dev.raftledger.common.ledger;

/** Why a ledger command or request was refused. Written on the wire by its {@link #name()}. */
public enum ErrorCode {
    /** The input breaks a validation rule (missing field, bad amount, bad date, ...); nothing was stored. */
    INVALID,
    /** Edit or delete of an expense id that does not exist (never did, or was deleted). */
    NOT_FOUND,
    /** A write whose sequence number is older than the client's last applied one. */
    SUPERSEDED,
    /**
     * A write (seq above 1) from a client whose session the ledger no longer holds: it expired after
     * the session TTL without writes. Not applied now; an earlier send of it may have been.
     */
    SESSION_EXPIRED
}
