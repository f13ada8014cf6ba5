package dev.raftledger.raftd.rig;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A rig test that cannot run is reported skipped, or failed under rig.required=true; never passed. */
class RigRequirementTest {

    @Test
    void aMachineWithoutTheRigSkipsLocally() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> NetRig.requireRig(Optional.of("not root (uid 1000; an example of RigRequirementTest)"), false));
        assertTrue(e.getMessage().contains("not root"), e.getMessage());
    }

    @Test
    void aMachineWithoutTheRigFailsWhenTheRigIsRequired() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> NetRig.requireRig(Optional.of("'nft' is not installed (an example of RigRequirementTest)"), true));
        assertTrue(e.getMessage().contains("rig.required=true"), e.getMessage());
    }

    @Test
    void aMachineWithTheRigRuns() {
        assertDoesNotThrow(() -> NetRig.requireRig(Optional.empty(), true));
    }
}
