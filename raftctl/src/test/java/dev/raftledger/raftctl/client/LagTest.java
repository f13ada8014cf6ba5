package dev.raftledger.raftctl.client;

import static dev.raftledger.raftctl.Rounds.down;
import static dev.raftledger.raftctl.Rounds.round;
import static dev.raftledger.raftctl.Rounds.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class LagTest {

    /** Node1 leads with last index 50 and applied 48; it reports match indices for Node2 and Node3. */
    private static NodeStatus leader() {
        NodeStatus base = up("Node1", "leader", 5, "Node1", 50);
        ObjectNode report = ((ObjectNode) base.report()).deepCopy();
        report.putObject("follower_match_index").put("Node2", 45).put("Node3", 20);
        return new NodeStatus("Node1", base.address(), true, "leader", 5L, "Node1", 10L, 50L, 49L, 48L, null, report);
    }

    @Test
    void followersByTheLeadersMatchIndexElseTheirAppliedIndex() {
        ClusterStatus status = round(leader(), up("Node2", "follower", 5, "Node1", 50), down("Node3"),
                up("Node4", "follower", 5, "Node1", 47), down("Node5"));

        assertEquals(2L, Lag.of(status, status.nodes().get(0)), "the leader: last 50 - applied 48");
        assertEquals(5L, Lag.of(status, status.nodes().get(1)), "the leader's match index wins over applied");
        assertEquals(30L, Lag.of(status, status.nodes().get(2)), "known for a node that is down, from the leader");
        assertEquals(3L, Lag.of(status, status.nodes().get(3)), "no match index: applied");
        assertNull(Lag.of(status, status.nodes().get(4)), "down and no match index");
    }

    @Test
    void noAgreedLeaderNoLagAndNeverNegative() {
        ClusterStatus leaderless = round(up("Node1", "candidate", 5, null), up("Node2", "follower", 5, null));
        ClusterStatus ahead = round(up("Node1", "leader", 5, "Node1", 10), up("Node2", "follower", 5, "Node1", 12));

        assertNull(Lag.of(leaderless, leaderless.nodes().get(1)));
        assertEquals(0L, Lag.of(ahead, ahead.nodes().get(1)), "answered a moment after the leader did");
    }
}
