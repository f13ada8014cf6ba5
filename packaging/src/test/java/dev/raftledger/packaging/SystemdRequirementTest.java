package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The nspawn test where it cannot run is reported skipped, or failed under systemd.required=true; never passed. */
class SystemdRequirementTest {

    @Test
    void aMachineWithoutNspawnSkipsLocally() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> NspawnDebIT.requireSystemd(Optional.of("not root (an example of SystemdRequirementTest)"), false));
        assertTrue(e.getMessage().contains("not root"), e.getMessage());
    }

    @Test
    void aMachineWithoutNspawnFailsWhenSystemdIsRequired() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> NspawnDebIT.requireSystemd(Optional.of("no systemd-nspawn (an example of SystemdRequirementTest)"), true));
        assertTrue(e.getMessage().contains("systemd.required=true"), e.getMessage());
    }

    @Test
    void aMachineWithNspawnRuns() {
        assertDoesNotThrow(() -> NspawnDebIT.requireSystemd(Optional.empty(), true));
    }
}
