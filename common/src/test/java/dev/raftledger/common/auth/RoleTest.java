package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.ControllerRequest;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The role table of docs/security.md, request by request. */
class RoleTest {

    static final Set<ControllerRequest> VIEWER = EnumSet.of(ControllerRequest.LEADER_INFO, ControllerRequest.STATUS,
            ControllerRequest.RETRIEVE, ControllerRequest.EXPENSES, ControllerRequest.LOG, ControllerRequest.MEMBERS,
            ControllerRequest.WHOAMI);
    static final Set<ControllerRequest> CLERK = EnumSet.of(ControllerRequest.EXPENSE, ControllerRequest.STORE);

    @Test
    void eachRoleMayDoExactlyItsOwnAndWhatTheRolesBelowMay() {
        for (ControllerRequest r : ControllerRequest.values()) {
            boolean viewer = VIEWER.contains(r);
            boolean clerk = viewer || CLERK.contains(r);
            assertEquals(viewer, Role.VIEWER.permits(r), "viewer " + r);
            assertEquals(clerk, Role.CLERK.permits(r), "clerk " + r);
            assertTrue(Role.ADMIN.permits(r), "admin " + r);
            assertEquals(viewer ? Role.VIEWER : clerk ? Role.CLERK : Role.ADMIN, Role.needed(r), r.name());
        }
    }

    @Test
    void theConventionsDisruptiveRequestsAreAnAdminsOnly() {
        for (ControllerRequest r : EnumSet.of(ControllerRequest.TIMEOUT, ControllerRequest.CONVERT_FOLLOWER,
                ControllerRequest.SHUTDOWN, ControllerRequest.TRANSFER_LEADER, ControllerRequest.SNAPSHOT,
                ControllerRequest.MEMBER_ADD, ControllerRequest.MEMBER_PROMOTE, ControllerRequest.MEMBER_REMOVE,
                ControllerRequest.BACKUP)) {
            assertFalse(Role.CLERK.permits(r), r.name());
        }
    }

    @Test
    void rolesReadAsTheyAreWritten() {
        for (Role r : Role.values()) {
            assertEquals(r, Role.fromWire(r.wireName()).orElseThrow());
        }
        assertTrue(Role.fromWire("ADMIN").isEmpty());
    }
}
