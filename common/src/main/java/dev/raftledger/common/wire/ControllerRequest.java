package dev.raftledger.common.wire;

import java.util.Optional;

/**
 * The request names a node understands on the controller port. The first six are the public
 * course convention (see shared/protocol.md); STATUS, EXPENSE, EXPENSES, LOG,
 * TRANSFER_LEADER, SNAPSHOT and the membership requests (MEMBERS, MEMBER_ADD, MEMBER_PROMOTE,
 * MEMBER_REMOVE), BACKUP and WHOAMI are this project's additions, and
 * {@code ERROR} only ever appears in replies.
 */
public enum ControllerRequest {
    CONVERT_FOLLOWER, TIMEOUT, SHUTDOWN, LEADER_INFO, STORE, RETRIEVE, STATUS, EXPENSE, EXPENSES, LOG, TRANSFER_LEADER, SNAPSHOT,
    MEMBERS, MEMBER_ADD, MEMBER_PROMOTE, MEMBER_REMOVE, BACKUP, WHOAMI, ERROR;

    /**
     * TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN: the convention defines no reply to them, and its
     * controllers read none (a reply they do not expect would be read as the answer to their
     * next request). A node acknowledges them only when the request carries {@code "ack": true}.
     */
    public boolean unansweredByConvention() {
        return this == CONVERT_FOLLOWER || this == TIMEOUT || this == SHUTDOWN;
    }

    /** The request for a wire name, case-sensitive as on the wire. */
    public static Optional<ControllerRequest> fromWire(String name) {
        for (ControllerRequest r : values()) {
            if (r.name().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
