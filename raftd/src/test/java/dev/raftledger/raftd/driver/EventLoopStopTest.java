package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ControllerMessage;
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
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A planned stop (SIGTERM, SHUTDOWN) of a leader hands leadership over first, so that it costs
 * the cluster no election timeout; a follower stops at once.
 */
class EventLoopStopTest {

    private static final List<String> MEMBERS = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final InetSocketAddress CONTROLLER = new InetSocketAddress("127.0.0.1", 40000);

    /** Records what the loop sends, and accepts every save and write. */
    private static final class Recorder implements HardStateSink, Outbox, EntryLog {
        final List<String> sent = new ArrayList<>();

        @Override public void truncateFrom(long index) {}

        @Override public void append(List<dev.raftledger.common.wire.Entry> entries) {}

        @Override public long durableIndex() {
            return -1;
        }

        @Override public void save(HardState state) {}

        @Override public void toPeer(String peer, PeerMessage message) {
            sent.add(message.request() + " to " + peer
                    + (message instanceof VoteAck a ? (a.granted() ? " granted" : " denied") : ""));
        }

        @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {}
    }

    private static EventLoop loop(Recorder r, Timings timings) {
        long now = EventLoop.now();
        RaftCore core = new RaftCore("Node1", MEMBERS, timings, HardState.INITIAL, LogPosition.EMPTY,
                new SplittableRandom(1), now);
        return EventLoop.assemble(core, r, r, r, new DriverCounters(), "127.0.0.1", now);
    }

    /** Node1 becomes leader of term 1 (votes of Node2 and Node3); Node3 acknowledges its no-op. */
    private static void elect(EventLoop loop, boolean node3Answers) {
        loop.submit(new LoopEvent.FromController(ControllerMessage.request("TIMEOUT"), CONTROLLER));
        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node2", "Node1")));
        loop.submit(new LoopEvent.FromPeer(new VoteAck(1, true, "Node3", "Node1")));
        if (node3Answers) {
            loop.submit(new LoopEvent.FromPeer(AppendReply.accepted(1, "Node3", "Node1", 0)));
        }
    }

    @Test
    void aLeaderHandsOverThenStopsOnceItHasSteppedDown() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r, new Timings(10_000, 20_000, 30_000)); // no timer fires during the test
        elect(loop, true);
        loop.submit(new LoopEvent.Stop("SIGTERM"));
        // Node3, told to time out, asks for votes in term 2
        loop.submit(new LoopEvent.FromPeer(RequestVote.of(2, "Node3", 0, 1)));
        loop.run();
        int told = r.sent.indexOf("TIMEOUT_NOW to Node3");
        assertTrue(told >= 0, "the caught-up follower is told to start its election: " + r.sent);
        assertEquals(r.sent.size() - 1, r.sent.indexOf("VOTE_ACK to Node3 granted"),
                "the old leader votes for its successor, then stops: " + r.sent);
        assertEquals("SIGTERM", loop.stopReason());
        assertEquals(0, loop.exitStatus());
    }

    @Test
    void aTransferThatDoesNotFinishDelaysTheStopByAtMostAnElectionTimeout() {
        Recorder r = new Recorder();
        Timings fast = new Timings(10, 20, 30);
        EventLoop loop = loop(r, fast);
        elect(loop, true);
        loop.submit(new LoopEvent.Stop("SIGTERM"));
        long start = System.nanoTime();
        loop.run(); // Node3 never takes over
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(r.sent.contains("TIMEOUT_NOW to Node3"), r.sent.toString());
        // the loop's clock counts whole milliseconds: allow for the truncation at both ends
        assertTrue(tookMs >= fast.electionMaxMs() - 2, "waited for the hand-over: " + tookMs + " ms");
        assertEquals("SIGTERM", loop.stopReason());
        assertEquals(0, loop.exitStatus());
    }

    @Test
    void aLeaderWithNoFollowerStopsAtOnce() {
        Recorder r = new Recorder();
        long now = EventLoop.now();
        RaftCore alone = new RaftCore("Node1", List.of("Node1"), new Timings(10_000, 20_000, 30_000),
                HardState.INITIAL, LogPosition.EMPTY, new SplittableRandom(1), now);
        EventLoop loop = EventLoop.assemble(alone, r, r, r, new DriverCounters(), "127.0.0.1",
                now);
        loop.submit(new LoopEvent.FromController(ControllerMessage.request("TIMEOUT"), CONTROLLER));
        loop.submit(new LoopEvent.Stop("controller SHUTDOWN"));
        loop.run(); // would block for 40 s if it waited for a hand-over
        assertTrue(r.sent.stream().noneMatch(s -> s.startsWith("TIMEOUT_NOW")), r.sent.toString());
        assertEquals("controller SHUTDOWN", loop.stopReason());
    }

    @Test
    void aFollowerStopsAtOnce() {
        Recorder r = new Recorder();
        EventLoop loop = loop(r, new Timings(10_000, 20_000, 30_000));
        loop.submit(new LoopEvent.Stop("SIGTERM"));
        loop.run();
        assertEquals(List.of(), r.sent);
        assertEquals("SIGTERM", loop.stopReason());
    }
}
