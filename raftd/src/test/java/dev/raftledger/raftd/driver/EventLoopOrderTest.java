package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.store.HardStateSink;
import dev.raftledger.raftd.store.StoreException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The driver's half of "persist before replying": the event loop must make a vote durable
 * before the ack that announces it leaves, and must send nothing if it cannot.
 */
class EventLoopOrderTest {

    private static final List<String> MEMBERS = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    /** Records saves, log writes and sends in one list, so their relative order can be checked. */
    private static final class Recorder implements HardStateSink, Outbox, EntryLog {
        final List<String> calls = new ArrayList<>();
        boolean failSaves;
        long written = -1;
        long durable = -1;

        @Override
        public void truncateFrom(long index) {
            calls.add("truncate " + index);
            written = index - 1;
            durable = Math.min(durable, written);
        }

        @Override
        public void append(List<dev.raftledger.common.wire.Entry> entries) {
            calls.add("append " + entries.get(0).index() + ".." + entries.get(entries.size() - 1).index());
            written = entries.get(entries.size() - 1).index();
        }

        @Override
        public long durableIndex() {
            return durable;
        }

        @Override
        public void save(HardState state) throws StoreException {
            if (failSaves) {
                throw new StoreException("disk full");
            }
            calls.add("save " + state.term() + " " + state.votedFor());
        }

        @Override
        public void toPeer(String peer, PeerMessage message) {
            calls.add("send " + message.request() + " to " + peer
                    + (message instanceof VoteAck a ? (a.granted() ? " granted" : " denied") : "")
                    + (message instanceof AppendReply r ? (r.success() ? " match " + r.matchIndex() : " refused") : ""));
        }

        @Override
        public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            calls.add("reply " + via);
        }
    }

    private static EventLoop loop(Recorder r) {
        long now = EventLoop.now();
        // Long timeouts: no timer may fire while the test's queued events are handled.
        RaftCore core = new RaftCore("Node1", MEMBERS, new Timings(10_000, 20_000, 30_000),
                HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), now);
        return EventLoop.assemble(core, r, r, r, new DriverCounters(), "127.0.0.1", now);
    }

    private static AppendEntry entries(long term, long prev, long prevTerm, int count) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Entry(prev + 1 + i, term, Payload.ofJson("{\"key\":\"k\",\"value\":" + i + "}")));
        }
        return new AppendEntry(term, "Node2", prev, prevTerm, "Node2", batch, -1);
    }

    @Test
    void anAcknowledgementWaitsForTheFsyncThatCoversIt() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r);
        loop.submit(new LoopEvent.FromPeer(entries(1, -1, 0, 3)));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        assertEquals(List.of("save 1 null", "append 0..2"), r.calls, "nothing acknowledged before the fsync");
        r.durable = 2; // the persister's fsync completes
        loop.signalSynced();
        loop.restartForTest();
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        assertEquals("send APPEND_REPLY to Node2 match 2", r.calls.get(r.calls.size() - 1));
    }

    @Test
    void aDeferredAcknowledgementOfAnOlderTermIsDropped() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r);
        loop.submit(new LoopEvent.FromPeer(entries(1, -1, 0, 3)));
        // a leader of term 2 replaces index 1..2 before the first fsync completes
        loop.submit(new LoopEvent.FromPeer(new AppendEntry(2, "Node3", 0, 1, "Node3",
                List.of(new Entry(1, 2, Payload.NOOP)), -1)));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        // even once index 2 is durable again (the new leader's next entry there), only the
        // term check stands between the stale ack and the old leader
        r.durable = 2;
        loop.signalSynced();
        loop.restartForTest();
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        List<String> sends = r.calls.stream().filter(c -> c.startsWith("send")).toList();
        assertEquals(List.of("send APPEND_REPLY to Node3 match 1"), sends,
                "the term-1 ack of 0..2 must not leave: index 1..2 were replaced");
    }

    @Test
    void voteIsSavedBeforeTheAckIsSent() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r);
        loop.submit(new LoopEvent.FromPeer(RequestVote.of(1, "Node2", -1, 0)));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        assertEquals(List.of("save 1 Node2", "send VOTE_ACK to Node2 granted"), r.calls);
        assertEquals(0, loop.exitStatus());
    }

    @Test
    void candidateSavesItsSelfVoteBeforeAskingForVotes() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r);
        // as raftctl sends it, asking for the acknowledgement ("ack": true)
        loop.submit(new LoopEvent.FromController(ControllerMessage.request("TIMEOUT").withAck(),
                new InetSocketAddress("127.0.0.1", 40000)));
        loop.submit(new LoopEvent.Stop("test"));
        loop.run();
        assertEquals("save 1 Node1", r.calls.get(0));
        assertEquals(4, r.calls.stream().filter(c -> c.startsWith("send VOTE_REQUEST")).count());
        assertEquals("reply CONTROLLER", r.calls.get(r.calls.size() - 1));
    }

    @Test
    void failedSaveSendsNothingAndStopsTheNode() {
        Recorder r = new Recorder();
        r.failSaves = true;
        EventLoop loop = loop(r);
        loop.submit(new LoopEvent.FromPeer(RequestVote.of(1, "Node2", -1, 0)));
        loop.submit(new LoopEvent.FromPeer(RequestVote.of(1, "Node3", -1, 0)));
        loop.run();
        assertTrue(r.calls.isEmpty(), "nothing may be sent after a failed save: " + r.calls);
        assertEquals(1, loop.exitStatus());
        assertTrue(loop.stopReason().contains("disk full"), loop.stopReason());
    }
}
