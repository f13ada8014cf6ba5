package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.List;
import java.util.SplittableRandom;

/** Builders and output readers shared by the single-core unit tests. */
final class CoreFixtures {

    static final List<String> FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    private CoreFixtures() {}

    /** A fresh node of the five-node cluster at time {@code now}, empty log, seeded timer. */
    static RaftCore node(String self, HardState persisted, long now) {
        return node(self, persisted, LogPosition.EMPTY, now);
    }

    static RaftCore node(String self, HardState persisted, LogPosition lastLog, long now) {
        return new RaftCore(self, FIVE, Timings.SEED, persisted, lastLog, new SplittableRandom(self.hashCode()), now);
    }

    /**
     * Node1 as candidate: a follower persisted in {@code termBefore} whose timer the controller
     * fires, so it is candidate in {@code termBefore + 1} having voted for itself.
     */
    static RaftCore candidate(long termBefore, long now) {
        RaftCore c = node("Node1", new HardState(termBefore, null), now);
        c.forceElection(now);
        assertEquals(Role.CANDIDATE, c.role());
        assertEquals(termBefore + 1, c.term());
        return c;
    }

    /** Node1 as leader of {@code termBefore + 1}, elected by Node2 and Node3. */
    static RaftCore leader(long termBefore, long now) {
        RaftCore c = candidate(termBefore, now);
        long term = c.term();
        c.step(new VoteAck(term, true, "Node2", "Node1"), now);
        c.step(new VoteAck(term, true, "Node3", "Node1"), now);
        assertEquals(Role.LEADER, c.role());
        return c;
    }

    /**
     * A vote request from a candidate whose log is at least as up to date as any node of these
     * tests (a leader holds its no-op entry of the current term), for tests about terms.
     */
    static RequestVote upToDateVoteRequest(long term, String candidate) {
        return RequestVote.of(term, candidate, 1_000, term - 1);
    }

    static RequestVote voteRequest(long term, String candidate) {
        return RequestVote.of(term, candidate, -1, 0);
    }

    static AppendEntry heartbeat(long term, String leader) {
        return AppendEntry.heartbeat(term, leader, -1, 0);
    }

    static VoteAck ack(long term, boolean granted, String from, String to) {
        return new VoteAck(term, granted, from, to);
    }

    /** The messages of {@code out} of one type, in order. */
    static <T extends PeerMessage> List<T> sent(Output out, Class<T> type) {
        return out.messages().stream().map(Outbound::message).filter(type::isInstance).map(type::cast).toList();
    }

    /** The single VoteAck a RequestVote produced. */
    static VoteAck onlyAck(Output out) {
        List<VoteAck> acks = sent(out, VoteAck.class);
        assertEquals(1, acks.size(), () -> "expected exactly one VoteAck in " + out);
        assertEquals(1, out.messages().size(), () -> "expected only the VoteAck in " + out);
        assertEquals(acks.get(0).to(), out.messages().get(0).to(), "the ack goes to the candidate");
        return acks.get(0);
    }

    static <E extends CoreEvent> E onlyEvent(Output out, Class<E> type) {
        List<E> events = out.events().stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, events.size(), () -> "expected one " + type.getSimpleName() + " in " + out.events());
        assertNotNull(events.get(0));
        return events.get(0);
    }

    /** Recipients of the messages of {@code out}, in order. */
    static List<String> recipients(Output out) {
        return out.messages().stream().map(Outbound::to).toList();
    }
}
