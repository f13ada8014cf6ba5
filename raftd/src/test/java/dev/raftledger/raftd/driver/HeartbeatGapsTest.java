package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The longest interval between two AppendEntry to one follower, within one leadership. */
class HeartbeatGapsTest {

    @Test
    void theLongestIntervalPerFollowerIsKeptAndARoleChangeStartsAfresh() {
        AtomicLong max = new AtomicLong();
        HeartbeatGaps gaps = new HeartbeatGaps(max);
        gaps.sent("Node2", 1_000);
        gaps.sent("Node3", 1_050);
        assertEquals(0, max.get(), "one send to each: no interval yet");
        gaps.sent("Node2", 1_100);
        gaps.sent("Node3", 1_150);
        assertEquals(100, max.get());
        gaps.sent("Node2", 1_340); // held up 240 ms behind something on the loop
        gaps.sent("Node3", 1_250);
        assertEquals(240, max.get(), "per follower, not between any two sends");
        gaps.sent("Node2", 1_400);
        assertEquals(240, max.get(), "the longest since start stays");
        gaps.reset(); // stepped down
        gaps.sent("Node2", 9_000); // leading again, much later
        gaps.sent("Node2", 9_100);
        assertEquals(240, max.get(), "the time not leading is no gap");
    }
}
