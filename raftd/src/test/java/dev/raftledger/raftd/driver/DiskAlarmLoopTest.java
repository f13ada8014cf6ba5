package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.space.DiskReading;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import dev.raftledger.raftd.driver.space.SpaceQuota;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A node's disk alarm through its event loop: a leader in alarm, or told by a follower's
 * AppendReply that the follower is, refuses new writes with NO_SPACE (deletions go through), and
 * takes them again once every alarm clears; a node in alarm says so on its AppendReplies.
 */
class DiskAlarmLoopTest {

    private static final List<String> FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final String STORE = "{\"sender_name\":\"Controller\",\"request\":\"STORE\",\"term\":null,"
            + "\"key\":\"k\",\"value\":\"v\"}";
    private static final String ADD = "{\"sender_name\":\"raftctl\",\"request\":\"EXPENSE\",\"term\":null,\"key\":null,"
            + "\"value\":{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"12.50\",\"currency\":\"EUR\","
            + "\"category\":\"food\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}}";
    private static final String DELETE = "{\"sender_name\":\"raftctl\",\"request\":\"EXPENSE\",\"term\":null,\"key\":null,"
            + "\"value\":{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":2,\"id\":\"E1\"}}";

    /** A disk the test fills and empties; the monitor reads it when the test says. */
    private static final class Disk {
        final AtomicReference<DiskReading> now = new AtomicReference<>(new DiskReading(100, 1_000_000));
        final SpaceMonitor monitor = new SpaceMonitor("Node1", new SpaceQuota(10_000, 1_000), now::get, () -> { });

        void set(long used, long free) {
            now.set(new DiskReading(used, free));
            monitor.sample();
        }
    }

    private static void assertRefusedForSpace(ControllerMessage reply, String mentions) {
        assertEquals("ERROR", reply.request(), reply.toString());
        assertEquals("NO_SPACE", reply.key().asText(), reply.toString());
        assertTrue(reply.value().asText().contains(mentions), reply.value().asText());
    }

    @Test
    void aLeaderInAlarmRefusesWritesButNotDeletionsAndTakesThemAgainOnceItClears() throws Exception {
        Disk disk = new Disk();
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED, Limits.DEFAULT);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            node.attach(disk.monitor);
            disk.monitor.sample();
            node.elect(c);
            disk.set(20_000, 1_000_000); // over the 10,000-byte quota

            assertRefusedForSpace(c.ask(STORE), "Node1: the data dir holds 19.5 KiB, over its quota");
            assertRefusedForSpace(c.ask(ADD), "--quota-bytes");
            long before = lastIndex(c);
            c.send(DELETE); // taken: its reply waits for a commit the silent peers never give
            awaitLastIndex(c, before + 1);

            disk.set(9_800, 1_000_000); // under the quota, but not by 5 %: still raised
            assertRefusedForSpace(c.ask(STORE), "Node1");
            disk.set(9_500, 1_249); // 5 % under the quota, but the free space not a quarter over its floor
            assertRefusedForSpace(c.ask(STORE), "Node1");
            disk.set(9_500, 1_250); // cleared
            before = lastIndex(c);
            c.send(STORE);
            awaitLastIndex(c, before + 1);
        }
    }

    @Test
    void aFollowersAlarmStopsTheLeadersWritesUntilItsRepliesSayItCleared() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED, Limits.DEFAULT);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            node.elect(c);
            node.fromPeer(AppendReply.accepted(1, "Node3", "Node1", -1).withNoSpace());

            assertRefusedForSpace(c.ask(STORE), "Node3: its replies to this node say its disk alarm is raised");

            node.fromPeer(AppendReply.accepted(1, "Node3", "Node1", -1));
            long before = lastIndex(c);
            c.send(STORE);
            awaitLastIndex(c, before + 1);
        }
    }

    @Test
    void aNewLeaderKnowsItsVotersAlarmsBeforeItsFirstWrite() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED, Limits.DEFAULT);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            ControllerMessage ack = c.ask("{\"sender_name\":\"raftctl\",\"request\":\"TIMEOUT\",\"ack\":true}");
            assertEquals("TIMEOUT", ack.request(), ack.toString());
            node.fromPeer(new VoteAck(1, true, "Node2", "Node1"));
            node.fromPeer(new VoteAck(1, false, "Node4", "Node1").withNoSpace()); // refused, but in alarm
            node.fromPeer(new VoteAck(1, true, "Node3", "Node1")); // elected: no AppendReply heard yet

            assertRefusedForSpace(c.ask(STORE), "Node4: its replies to this node say its disk alarm is raised");
        }
    }

    @Test
    void aNodeInAlarmSaysSoOnItsVotes() throws Exception {
        Disk disk = new Disk();
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED)) {
            node.attach(disk.monitor);
            disk.set(100, 10); // under the 1,000-byte floor of free space
            node.fromPeer(new RequestVote(1, "Node2", -1, 0, "Node2", false));
            long deadline = System.nanoTime() + 5_000_000_000L;
            List<PeerMessage> acks;
            while ((acks = node.sentToPeers().stream().filter(m -> m instanceof VoteAck).toList()).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no VoteAck within 5 s");
                Thread.onSpinWait();
            }
            VoteAck vote = (VoteAck) acks.get(0);
            assertTrue(vote.granted() && vote.noSpace(), vote.toString());
        }
    }

    @Test
    void aNodeInAlarmSaysSoOnItsAppendReplies() throws Exception {
        Disk disk = new Disk();
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED)) {
            node.attach(disk.monitor);
            disk.monitor.sample();
            node.fromPeer(AppendEntry.heartbeat(1, "Node2", -1, 0));
            AppendReply calm = awaitReply(node, 1);
            assertTrue(!calm.noSpace(), calm.toString());

            disk.set(100, 10); // under the 1,000-byte floor of free space
            node.fromPeer(AppendEntry.heartbeat(1, "Node2", -1, 0));
            AppendReply alarmed = awaitReply(node, 2);
            assertTrue(alarmed.noSpace(), alarmed.toString());
            assertEquals("Node2", alarmed.to());
        }
    }

    private static final String STATUS = "{\"sender_name\":\"raftctl\",\"request\":\"STATUS\",\"term\":null,"
            + "\"key\":null,\"value\":null}";

    /** The leader's last log index, from STATUS (which also shows the disk and the alarms). */
    private static long lastIndex(ControllerPortHarness.Controller c) throws java.io.IOException {
        ControllerMessage s = c.askLarge(STATUS);
        return StatusReply.fromJson(s.value()).lastLogIndex();
    }

    private static void awaitLastIndex(ControllerPortHarness.Controller c, long atLeast) throws java.io.IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long last;
        while ((last = lastIndex(c)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the write was not taken: the log ends at " + last);
            }
        }
    }

    /** The {@code n}th AppendReply the node sent, waiting up to 5 s for it. */
    private static AppendReply awaitReply(ControllerPortHarness node, int n) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<PeerMessage> replies = node.sentToPeers().stream().filter(m -> m instanceof AppendReply).toList();
            if (replies.size() >= n) {
                return (AppendReply) replies.get(n - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no AppendReply #" + n + " within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
