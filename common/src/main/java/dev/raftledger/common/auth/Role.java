package dev.raftledger.common.auth;

import dev.raftledger.common.wire.ControllerRequest;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an operator may ask of a node on the controller port (docs/security.md, "Identities and
 * roles"). Each role includes the one before it: a clerk may do all a viewer may, an admin
 * everything. Nodes themselves act as admins. Requests that change nothing (status, the
 * ledger's reads, the convention's RETRIEVE, WHOAMI) are a viewer's; writes to the ledger and
 * the convention's STORE a clerk's; whatever can stop, move or reshape the cluster, or copy all
 * of it out (BACKUP), an admin's.
 */
public enum Role {
    VIEWER(EnumSet.of(ControllerRequest.LEADER_INFO, ControllerRequest.STATUS, ControllerRequest.RETRIEVE,
            ControllerRequest.EXPENSES, ControllerRequest.LOG, ControllerRequest.MEMBERS, ControllerRequest.WHOAMI)),
    CLERK(EnumSet.of(ControllerRequest.EXPENSE, ControllerRequest.STORE)),
    ADMIN(EnumSet.allOf(ControllerRequest.class));

    private final Set<ControllerRequest> own;

    Role(Set<ControllerRequest> own) {
        this.own = own;
    }

    /** Whether this role may make {@code request}. */
    public boolean permits(ControllerRequest request) {
        for (Role r : values()) {
            if (r.own.contains(request)) {
                return r.ordinal() <= ordinal();
            }
        }
        return false;
    }

    /** The lowest role that may make {@code request} (for error messages and docs). */
    public static Role needed(ControllerRequest request) {
        for (Role r : values()) {
            if (r.permits(request)) {
                return r;
            }
        }
        return ADMIN;
    }

    /** viewer, clerk or admin, as written in files and shown to people. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
