package dev.raftledger.common.wire;

import java.util.Optional;

/**
 * Why a node refused a controller request: the code of an {@code ERROR} reply, written on the
 * wire by its {@link #name()} in the reply's {@code key} (the message is in {@code value}; see
 * {@link Refusal}). One enum for raftd, which answers with these, and raftctl, which acts on
 * them, so the compiler finds every place a new code matters.
 *
 * <p>A refusal means the request changed nothing, except {@link #NOT_COMMITTED} and
 * {@link #NOT_CONFIRMED}, which say the outcome is not known. An applied ledger write that the
 * ledger refuses is not one of these: it is a {@code RESULT} reply whose result carries the
 * ledger's own {@link dev.raftledger.common.ledger.ErrorCode}.
 */
public enum ControllerError {
    /** The datagram is not JSON of the convention's shape, or a field has the wrong type. */
    MALFORMED("not a well-formed request"),
    /** The request names nothing this node serves (the reply lists what it does). */
    UNKNOWN_REQUEST("no such request"),
    /** The request's value breaks a rule (a bad page, a bad LOG range, an expense that does not validate). */
    INVALID("the request's value is not valid"),
    /** The write's log entry would not fit one datagram ({@code --max-datagram-bytes}). */
    TOO_LARGE("the entry would not fit a datagram"),
    /** Only the leader does this, and this node is not it (the message names the leader, if known). */
    NOT_LEADER("this node is not the leader"),
    /** The leader is handing leadership over; nothing was done: retry in a moment, at the new leader. */
    TRANSFERRING("leadership is being handed over"),
    /**
     * A member's disk alarm is raised (its data dir over --quota-bytes or its disk nearly full):
     * no new write was taken; reads and deletions still work. Retry once the alarm clears.
     */
    NO_SPACE("the cluster is out of space"),
    /**
     * The write was taken but is not known to have committed (leadership lost, a timeout): it may
     * still commit. Retrying is safe only where the write is idempotent (a ledger write with the
     * same client id and seq).
     */
    NOT_COMMITTED("the outcome of the write is not known"),
    /** A linearizable read the leader could not confirm with a majority in time; ask the leader again. */
    NOT_CONFIRMED("the read could not be confirmed"),
    /** This node does not offer the request (SNAPSHOT on a node that takes no snapshots). */
    NOT_SUPPORTED("not offered by this node"),
    /** The snapshot asked for could not be saved (the message says why); the node keeps its log. */
    SNAPSHOT_FAILED("the snapshot could not be saved"),
    /** The node named is not a member (of the voters, for a leadership transfer). */
    UNKNOWN_NODE("no such member"),
    /** The node named (or every follower) has not answered within the longest election timeout. */
    UNREACHABLE("the node is not in reach"),
    /** Another membership change is not yet committed, or the leader has not committed in its term yet. */
    CHANGE_IN_PROGRESS("a membership change is still in progress"),
    /** MEMBER_ADD of a node that is already a member. */
    ALREADY_MEMBER("already a member"),
    /** MEMBER_PROMOTE of a node that already votes. */
    ALREADY_VOTER("already a voter"),
    /** MEMBER_PROMOTE of a learner that has not caught up with the leader's log yet. */
    NOT_READY("the learner has not caught up"),
    /** MEMBER_REMOVE of the only voter. */
    LAST_VOTER("the only voter cannot be removed"),
    /** The change would leave fewer voters in reach than the new configuration's majority. */
    NO_QUORUM("the new configuration would have no majority in reach"),
    /** BACKUP asked for a chunk of a snapshot this node no longer serves (a newer backup began, or it restarted). */
    SNAPSHOT_GONE("the snapshot is no longer served: start the backup again"),
    /** The caller's role does not allow the request (docs/security.md, "Identities and roles"). */
    FORBIDDEN("the caller's role does not allow this request"),
    /**
     * A read that needs a pass over the ledger found the node's reader queue full: nothing was
     * read; ask again in a moment (the node counts these, STATUS {@code reads_refused_busy}).
     */
    BUSY("the node's reader is busy: ask again in a moment"),
    /** An EXPENSES page named an export cursor this node does not hold (expired, never opened, or the node restarted). */
    CURSOR_GONE("the export cursor expired or is unknown: start the export again");

    private final String meaning;

    ControllerError(String meaning) {
        this.meaning = meaning;
    }

    /** One line saying what the code means, for people (the reply's message says what happened). */
    public String meaning() {
        return meaning;
    }

    /** The code for a wire name, case-sensitive as on the wire; empty for a code this build does not know. */
    public static Optional<ControllerError> fromWire(String name) {
        for (ControllerError e : values()) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
