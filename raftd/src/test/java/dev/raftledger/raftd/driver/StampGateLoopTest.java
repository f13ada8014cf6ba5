package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.control.FeatureLevels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upgrade gate through a node's event loop: a leader stamps its clock into ledger writes
 * only once every member has said on its AppendReplies, in this term, that its release reads
 * stamps; a member that never says so (a release before session expiry, or one not heard from)
 * keeps every write unstamped, so its ledger cannot diverge. And every AppendReply a node sends
 * says what it reads.
 */
class StampGateLoopTest {

    private static final List<String> FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    private static String add(int seq) {
        return "{\"sender_name\":\"raftctl\",\"request\":\"EXPENSE\",\"term\":null,\"key\":null,"
                + "\"value\":{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":" + seq + ",\"amount\":\"12.50\","
                + "\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}}";
    }

    @Test
    void aMemberThatNeverSaysItReadsStampsKeepsEveryWriteUnstamped() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED, Limits.DEFAULT);
             ControllerPortHarness.Controller c = new ControllerPortHarness.Controller(node.address())) {
            node.elect(c);
            assertFalse(stamped(write(node, c, 1)), "a new leader has heard from nobody: no stamp");

            for (String m : List.of("Node2", "Node3", "Node4")) {
                node.fromPeer(AppendReply.accepted(1, m, "Node1", -1).withFeatureLevel(FeatureLevels.STAMPS));
            }
            node.fromPeer(AppendReply.accepted(1, "Node5", "Node1", -1)); // a release before the field: level 0
            assertFalse(stamped(write(node, c, 2)), "Node5 never said it reads stamps");
            assertFalse(stamped(write(node, c, 3)), "nor later");

            node.fromPeer(AppendReply.accepted(0, "Node5", "Node1", -1).withFeatureLevel(FeatureLevels.STAMPS));
            assertFalse(stamped(write(node, c, 4)), "what it said in an older term does not count");

            node.fromPeer(AppendReply.accepted(1, "Node5", "Node1", -1).withFeatureLevel(FeatureLevels.STAMPS));
            assertTrue(stamped(write(node, c, 5)), "every member reads stamps: the write is stamped");

            node.fromPeer(AppendReply.accepted(1, "Node3", "Node1", -1)); // restarted on the old release
            assertFalse(stamped(write(node, c, 6)), "Node3 now says level 0: no stamp again");
        }
    }

    @Test
    void everyAppendReplyANodeSendsSaysWhatItReads() throws Exception {
        try (ControllerPortHarness node = new ControllerPortHarness(FIVE, Timings.SEED)) {
            node.fromPeer(AppendEntry.heartbeat(1, "Node2", -1, 0));
            AppendReply r = awaitSent(node, AppendReply.class, m -> true);
            assertEquals(FeatureLevels.OWN, r.featureLevel(), r.toString());
            assertFalse(r.noSpace(), r.toString());
        }
    }

    /** Sends an EXPENSE add and returns the entry the leader appended for it, waiting up to 5 s. */
    private static Entry write(ControllerPortHarness node, ControllerPortHarness.Controller c, int seq)
            throws Exception {
        c.send(add(seq)); // answered only once it commits, which the silent peers never let it
        String marker = "\"seq\":" + seq + ",";
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            for (Entry e : node.appendedEntries()) {
                if (e.data().text().contains(marker)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the leader appended no entry for seq " + seq + " within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private static boolean stamped(Entry e) {
        String text = e.data().text();
        assertTrue(text.contains("\"op\":\"add\""), text);
        return text.contains("\"time\":") && text.contains("\"session_ttl\":");
    }

    /** The first message of {@code type} the node sent that {@code which} accepts, waiting up to 5 s. */
    private static <T extends PeerMessage> T awaitSent(ControllerPortHarness node, Class<T> type,
                                                       java.util.function.Predicate<T> which) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            for (PeerMessage m : node.sentToPeers()) {
                if (type.isInstance(m) && which.test(type.cast(m))) {
                    return type.cast(m);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such " + type.getSimpleName() + " within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
