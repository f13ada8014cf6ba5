package dev.raftledger.common.wire;

/**
 * The {@code key} of a node's reply that is not an ERROR (for those see {@link Refusal}): what
 * the {@code value} holds. The convention's own are {@link #LEADER} (LEADER_INFO),
 * {@link #STATE} (TIMEOUT, CONVERT_FOLLOWER, SHUTDOWN) and {@link #COMMITED_LOGS} (RETRIEVE,
 * spelt as the convention spells it); the rest are this project's additions.
 */
public enum ReplyKey {
    /** LEADER_INFO, and the answer of a follower to a leader-only request: the leader's name, or null. */
    LEADER,
    /** TIMEOUT, CONVERT_FOLLOWER, SHUTDOWN: the node's role after the request ("stopping" for SHUTDOWN). */
    STATE,
    /** RETRIEVE: the committed STOREs, oldest first, as many of the newest as fit the datagram. */
    COMMITED_LOGS,
    /** STATUS: the node's status document. */
    STATUS,
    /** STORE and membership changes: {index, term} of the committed entry (and the members it made). */
    COMMITTED,
    /** EXPENSE, EXPENSES, LOG: the ledger's result, a page of expenses or of log entries. */
    RESULT,
    /** SNAPSHOT: {index, term, size, log_first_index} of the saved snapshot. */
    SAVED,
    /** TRANSFER_LEADER: {from, to, term}; the target was told to take over. */
    TRANSFERRING,
    /** TRANSFER_LEADER: {from, to, term} with to = from: this node was already the best choice. */
    UNCHANGED,
    /** MEMBERS: the configuration and each member's progress. */
    MEMBERS,
    /** BACKUP without an offset: the snapshot saved for the backup (index, term, sizes, checksum, cluster id). */
    BACKUP,
    /** BACKUP with an offset: {index, term, offset, data} bytes of that snapshot's file, base64. */
    CHUNK;

    /** Whether {@code reply}'s key is this one. */
    public boolean of(ControllerMessage reply) {
        return name().equals(reply.keyText());
    }
}
