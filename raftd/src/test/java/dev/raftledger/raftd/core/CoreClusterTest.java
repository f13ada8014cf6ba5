package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.VoteAck;
import org.junit.jupiter.api.Test;

/** The harness itself: deterministic replay, and its checks really catch a broken election. */
class CoreClusterTest {

    private static final CoreCluster.Network LOSSY = new CoreCluster.Network(0.2, 0.1, 0, 40);

    @Test
    void sameSeedReplaysTheSameRun() {
        CoreCluster a = new CoreCluster(5, 42, LOSSY);
        CoreCluster b = new CoreCluster(5, 42, LOSSY);
        a.runUntil(3_000);
        b.runUntil(3_000);
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.leadersByTerm(), b.leadersByTerm());
        assertEquals(a.delivered(), b.delivered());
        for (String name : a.members()) {
            assertEquals(a.disk(name), b.disk(name), name);
        }
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        CoreCluster a = new CoreCluster(5, 1, LOSSY);
        CoreCluster b = new CoreCluster(5, 2, LOSSY);
        a.runUntil(3_000);
        b.runUntil(3_000);
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void lossyNetworkDropsAndDuplicates() {
        CoreCluster c = new CoreCluster(5, 7, LOSSY);
        c.runUntil(3_000);
        assertTrue(c.dropped() > 0);
        assertTrue(c.duplicated() > 0);
        assertTrue(c.delivered() > 100);
    }

    @Test
    void persistedStateFollowsTheCores() {
        CoreCluster c = new CoreCluster(5, 3, CoreCluster.Network.RELIABLE);
        c.runUntil(2_000);
        for (RaftCore core : c.liveNodes()) {
            assertEquals(core.hardState(), c.disk(core.name()));
        }
    }

    @Test
    void twoLeadersInOneTermAreDetected() {
        // Forged votes make Node1 and Node2 both win term 1: the harness must notice, or the
        // safety test built on it proves nothing.
        CoreCluster c = new CoreCluster(5, 1, CoreCluster.Network.RELIABLE);
        c.forceElection("Node1");
        c.forceElection("Node2");
        assertEquals(1, c.node("Node1").term());
        assertEquals(1, c.node("Node2").term());
        c.inject("Node1", new VoteAck(1, true, "Node3", "Node1"));
        c.inject("Node1", new VoteAck(1, true, "Node4", "Node1"));
        c.inject("Node2", new VoteAck(1, true, "Node3", "Node2"));
        c.inject("Node2", new VoteAck(1, true, "Node4", "Node2"));
        assertEquals(Role.LEADER, c.node("Node1").role());
        assertEquals(Role.LEADER, c.node("Node2").role());
        assertFalse(c.violations().isEmpty());
        assertTrue(c.violations().get(0).contains("two leaders in term 1"), c.violations().toString());
    }

    @Test
    void crashedNodeLosesMessagesAndRestartsFromItsDisk() {
        CoreCluster c = new CoreCluster(3, 5, CoreCluster.Network.RELIABLE);
        c.forceElection("Node1");
        c.runFor(50);
        assertEquals(Role.LEADER, c.node("Node1").role());
        assertEquals("Node1", c.disk("Node2").votedFor());
        c.crash("Node2");
        assertFalse(c.isUp("Node2"));
        c.runFor(500);
        c.restart("Node2");
        // volatile state is gone, the durable vote is back
        assertEquals(c.disk("Node2"), c.node("Node2").hardState());
        assertEquals(Role.FOLLOWER, c.node("Node2").role());
        c.runFor(150);
        assertEquals("Node1", c.node("Node2").leader());
    }
}
