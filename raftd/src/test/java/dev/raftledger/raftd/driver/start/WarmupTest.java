package dev.raftledger.raftd.driver.start;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm-up runs the paths it is there to warm: an election, then a hand-over, each round. */
class WarmupTest {

    @Test
    void everyRoundHandsLeadershipOverToAnotherNode() {
        assertEquals(Warmup.ROUNDS, Warmup.run());
    }
}
