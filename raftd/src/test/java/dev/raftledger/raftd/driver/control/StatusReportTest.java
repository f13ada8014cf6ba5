package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.DriverCounters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The STATUS object's per-follower fields on a leader: {@code follower_heard_ms} says how long
 * ago the leader last heard from each follower (null: not yet in this term), so that raftctl
 * can tell a follower that hears the leader but cannot be heard by it (a one-way cut).
 */
class StatusReportTest {

    private static final List<String> FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    private static RaftCore node(String self, long now) {
        return new RaftCore(self, FIVE, Timings.SEED, new HardState(0, null), LogPosition.EMPTY,
                new SplittableRandom(7), now);
    }

    @Test
    void aLeaderReportsWhenItLastHeardFromEachFollower() {
        RaftCore leader = node("Node1", 0);
        leader.forceElection(100);
        leader.step(new VoteAck(leader.term(), true, "Node2", "Node1"), 100);
        leader.step(new VoteAck(leader.term(), true, "Node3", "Node1"), 100);
        assertEquals(Role.LEADER, leader.role());
        leader.step(AppendReply.accepted(leader.term(), "Node2", "Node1", 0), 150);
        leader.step(AppendReply.accepted(leader.term(), "Node3", "Node1", 0), 400);

        JsonNode o = StatusReport.of(leader.status(1_000), new DriverCounters(), "127.0.0.1", 1_000);

        JsonNode heard = o.get("follower_heard_ms");
        assertEquals(850, heard.get("Node2").asLong(), o.toString());
        assertEquals(600, heard.get("Node3").asLong());
        assertTrue(heard.get("Node4").isNull(), "not heard from in this term: " + heard);
        assertTrue(heard.get("Node5").isNull());
        assertFalse(heard.has("Node1"), "not itself");
        assertEquals(0, o.get("follower_match_index").get("Node2").asLong(), "the match index is still there");
    }

    @Test
    void aFollowerReportsNoFollowers() {
        RaftCore follower = node("Node2", 0);

        JsonNode o = StatusReport.of(follower.status(10), new DriverCounters(), "127.0.0.2", 10);

        assertFalse(o.has("follower_heard_ms"), o.toString());
        assertFalse(o.has("follower_match_index"));
    }
}
