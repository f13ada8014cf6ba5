package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.store.HardStateSink;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * EXPENSE requests waiting in the loop's queue one behind another are proposed together: one
 * append to the log and AppendEntry messages that carry all of their entries, instead of a
 * round per write. A refused one among them is answered at once and the rest go on; a write
 * alone is proposed at once; other events end a run, so order is kept.
 */
class WriteBatchLoopTest {

    private static final List<String> MEMBERS = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    /** Records log appends, peer messages and controller replies. */
    private static final class Recorder implements HardStateSink, Outbox, EntryLog {
        final List<List<Entry>> appends = new ArrayList<>();
        final List<PeerMessage> toPeers = new ArrayList<>();
        final List<ControllerMessage> replies = new ArrayList<>();

        @Override public void truncateFrom(long index) {}

        @Override public void append(List<Entry> entries) {
            appends.add(List.copyOf(entries));
        }

        @Override public long durableIndex() {
            return -1; // nothing commits: the test looks at what is proposed
        }

        @Override public void save(HardState state) {}

        @Override public void toPeer(String peer, PeerMessage message) {
            toPeers.add(message);
        }

        @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            try {
                replies.add(Codec.decodeController(payload, 0, payload.length));
            } catch (dev.raftledger.common.wire.MalformedMessageException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static LoopEvent expense(int seq, String amount) throws Exception {
        return new LoopEvent.FromController(new ControllerMessage("raftctl", "EXPENSE", null, null,
                Codec.readTree("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":" + seq + ",\"amount\":\"" + amount
                        + "\",\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}"), false),
                CLIENT);
    }

    /** A loop whose node has just been elected leader of term 1 (its no-op at index 0). */
    private static EventLoop leader(Recorder r) {
        long now = EventLoop.now();
        RaftCore core = new RaftCore("Node1", MEMBERS, Timings.SEED, HardState.INITIAL, LogPosition.EMPTY,
                new SplittableRandom(1), now);
        EventLoop loop = EventLoop.assemble(core, r, r, r, new DriverCounters(), "127.0.0.1", now);
        loop.submit(new LoopEvent.FromController(new ControllerMessage("Controller", "TIMEOUT", null, null, null, false), CLIENT));
        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node2", "Node1")));
        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node3", "Node1")));
        return loop;
    }

    private static List<Integer> seqs(List<Entry> entries) {
        List<Integer> seqs = new ArrayList<>();
        for (Entry e : entries) {
            String t = e.data().text();
            int at = t.indexOf("\"seq\":") + 6;
            seqs.add(Integer.parseInt(t.substring(at, t.indexOf(',', at))));
        }
        return seqs;
    }

    @Test
    void writesQueuedTogetherAreProposedTogether() throws Exception {
        Recorder r = new Recorder();
        EventLoop loop = leader(r);
        for (String follower : List.of("Node2", "Node3", "Node4", "Node5")) {
            loop.submit(new LoopEvent.FromPeer(AppendReply.accepted(1, follower, "Node1", 0))); // each holds the no-op
        }
        loop.submit(expense(1, "1.00"));
        loop.submit(expense(2, "2.00"));
        loop.submit(expense(3, "-3")); // refused: INVALID, answered at once
        loop.submit(expense(4, "4.00"));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();

        assertEquals(2, r.appends.size(), "the no-op, then the three writes in one append: " + r.appends);
        assertEquals(List.of(1, 2, 4), seqs(r.appends.get(1)));
        assertEquals(1, r.replies.size(), "only the refused write is answered before its entry commits");
        assertEquals("INVALID", r.replies.get(0).key().asText(), r.replies.get(0).toString());
        List<AppendEntry> carrying = r.toPeers.stream().filter(m -> m instanceof AppendEntry ae
                && ae.entries().stream().anyMatch(e -> e.index() >= 1)).map(m -> (AppendEntry) m).toList();
        assertTrue(carrying.size() >= 4, "every follower was sent the writes: " + carrying);
        for (AppendEntry ae : carrying) {
            // not one AppendEntry per write: each carries all three (the stop's hand-over may resend them)
            assertEquals(List.of(1L, 2L, 3L), ae.entries().stream().map(Entry::index).toList(), ae.toString());
        }
    }

    @Test
    void aWriteAloneIsProposedAtOnceAndOtherEventsKeepTheirOrder() throws Exception {
        Recorder r = new Recorder();
        EventLoop loop = leader(r);
        loop.submit(expense(1, "1.00"));
        // a STORE between writes ends the run: it is proposed after the first write and before the next
        loop.submit(new LoopEvent.FromController(new ControllerMessage("Controller", "STORE", null,
                Codec.readTree("\"k\""), Codec.readTree("\"v\""), false), CLIENT));
        loop.submit(expense(2, "2.00"));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();

        assertEquals(4, r.appends.size(), "no-op, write 1, the STORE, write 2: " + r.appends);
        assertEquals(List.of(1), seqs(r.appends.get(1)));
        assertTrue(r.appends.get(2).get(0).data().text().contains("\"key\":\"k\""), r.appends.get(2).toString());
        assertEquals(List.of(2), seqs(r.appends.get(3)));
    }
}
