package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.Codec;
import org.junit.jupiter.api.Test;

/** Cuts exist only on nodes started for chaos tests; elsewhere the request is refused. */
class FaultInjectorTest {

    @Test
    void refusedUnlessEnabledAtStart() throws Exception {
        FaultInjector off = new FaultInjector(false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> off.set(Codec.readTree("{\"drop_to\":[\"Node2\"]}")));
        assertTrue(e.getMessage().contains("--enable-fault-injection"));
        assertFalse(off.dropsTo("Node2"));
    }

    @Test
    void cutsAndHealsWhenEnabled() throws Exception {
        FaultInjector on = new FaultInjector(true);
        on.set(Codec.readTree("{\"drop_to\":[\"Node2\"],\"drop_from\":[\"Node3\"]}"));
        assertTrue(on.dropsTo("Node2") && on.dropsFrom("Node3"));
        assertFalse(on.dropsTo("Node3") || on.dropsFrom("Node2"));
        on.set(Codec.readTree("{}"));
        assertFalse(on.dropsTo("Node2") || on.dropsFrom("Node3"));
        assertThrows(IllegalArgumentException.class, () -> on.set(Codec.readTree("{\"drop_to\":\"Node2\"}")));
    }
}
