package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.Applier;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.LongSupplier;

/**
 * One node's controller side wired as the event loop wires it, for tests of controller requests:
 * a {@link RaftCore} (unless told otherwise, "Solo", the only voter, made leader with its no-op
 * applied), its {@link ControllerHandler} with the {@link LedgerRequests}, {@link PendingWrites}
 * and {@link Replies} it uses, and the {@link Applier} that applies committed entries to the
 * {@link ReplicatedState} and sends the replies then due. It is the node's {@link Outbox}: every
 * controller reply sent is decoded and kept, oldest first, in {@link #sent}; messages to peers
 * are dropped. {@link #run} carries out an Output as the loop would without a disk or a network:
 * what it appends is durable at once and what then commits is applied. It does not build the
 * loop, sockets, a store or peers; a test that needs another member brings its messages itself.
 *
 * <p>Threads: none. Everything runs on the test's thread, as on the loop; a {@link ReadWorker}
 * from {@link #readsOffLoop} is only built, and the test runs and stops it on a thread of its
 * own ({@link #sent} takes that thread's replies safely). Clocks: none read. The loop's time is
 * a fixed {@link #now} (1000 unless set) passed to the core and the handler; the wall clock a
 * leader stamps into ledger writes is the test's, 0 with a session TTL of 0 (no time stamped)
 * unless set. Randomness: the core's, seeded.
 *
 * <p>Errors: a reply that does not decode, or a node that was to lead and does not, fails the
 * test with an AssertionError.
 */
final class LeadingNodeFixture implements Outbox {

    /** A client on loopback: a reply to it may be as large as a loopback datagram (64,000 bytes). */
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    /** Not loopback: a reply to it holds what fits the datagram budget ({@link Builder#budget}). */
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.99", 40000);
    /** One voter, "Solo", at 127.0.0.9: a write commits as soon as the leader's log is durable. */
    static final ClusterConfig SOLO = ClusterConfig.of(List.of(
            new ClusterConfig.Member("Solo", "127.0.0.9", ClusterConfig.Suffrage.VOTER)));

    final RaftCore core;
    final ReplicatedState state = ReplicatedState.empty();
    final PendingWrites pending = new PendingWrites();
    final LedgerRequests ledger;
    final ControllerHandler handler;
    final Applier applier;
    final DriverCounters counters = new DriverCounters();
    /** The controller replies sent, decoded, oldest first. */
    final BlockingDeque<ControllerMessage> sent = new LinkedBlockingDeque<>();
    /** The loop's time, in ms, for every call into the core and the handler. */
    final long now;
    private int cursorIds;

    private LeadingNodeFixture(Builder b) {
        now = b.now;
        core = new RaftCore(b.name, b.config, Timings.SEED, Limits.RECOMMENDED, HardState.INITIAL,
                LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
        Replies replies = b.budget == null ? new Replies(core) : new Replies(core, b.budget);
        ledger = new LedgerRequests(core, state, pending, replies, b.wallClock, b.sessionTtlMs);
        handler = new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies, counters,
                "127.0.0.9", 0);
        applier = new Applier(state, pending, handler, ledger, this);
        if (b.lead) {
            run(core.forceElection(now));
            assertEquals(Role.LEADER, core.role(), "made leader");
        }
    }

    /** The leader of {@link #SOLO}, with the defaults below. */
    static LeadingNodeFixture leader() {
        return builder().build();
    }

    static Builder builder() {
        return new Builder();
    }

    /** What differs between the tests; each option says what it replaces. */
    static final class Builder {
        private String name = "Solo";
        private ClusterConfig config = SOLO;
        private boolean lead = true;
        private long now = 1_000;
        private LongSupplier wallClock = () -> 0L;
        private long sessionTtlMs;
        private DatagramBudget budget;

        private Builder() {}

        /** {@link #SOLO} with a learner, "Learner" at 127.0.0.10: a member whose release level counts. */
        Builder withLearner() {
            config = ClusterConfig.of(List.of(
                    new ClusterConfig.Member("Solo", "127.0.0.9", ClusterConfig.Suffrage.VOTER),
                    new ClusterConfig.Member("Learner", "127.0.0.10", ClusterConfig.Suffrage.LEARNER)));
            return this;
        }

        /** Node {@code name} of {@code config}, not made leader: a follower until the test says otherwise. */
        Builder follower(String name, ClusterConfig config) {
            this.name = name;
            this.config = config;
            this.lead = false;
            return this;
        }

        /** The loop's time for every call (1000 if not set). */
        Builder now(long now) {
            this.now = now;
            return this;
        }

        /** The wall clock a leader stamps into ledger writes (always 0 if not set). */
        Builder wallClock(LongSupplier wallClock) {
            this.wallClock = wallClock;
            return this;
        }

        /** The session TTL, as {@code --session-ttl} (0 if not set: writes carry no time). */
        Builder sessionTtl(long ms) {
            this.sessionTtlMs = ms;
            return this;
        }

        /** The datagram budget replies are cut to (the default size, no cluster key, if not set). */
        Builder budget(DatagramBudget budget) {
            this.budget = budget;
            return this;
        }

        LeadingNodeFixture build() {
            return new LeadingNodeFixture(this);
        }
    }

    /**
     * Reads that need a pass over the ledger go, from now on, to a new {@link ReadWorker} with
     * room for {@code capacity} jobs, {@code clockMs} its clock and export cursors' (cursor ids
     * "cur1", "cur2", ...). Not started: the test runs it on its own thread and stops it.
     */
    ReadWorker readsOffLoop(int capacity, LongSupplier clockMs) {
        ReadWorker reader = new ReadWorker(this, counters,
                new ExportCursors(clockMs, () -> "cur" + (++cursorIds)), capacity, clockMs);
        handler.readsOffLoop(reader);
        return reader;
    }

    /** Carries out {@code out} as the loop would: what it appends durable at once, what commits applied. */
    void run(Output out) {
        List<Output> todo = new ArrayList<>(List.of(out));
        while (!todo.isEmpty()) {
            Output o = todo.remove(0);
            for (Entry e : o.apply()) {
                applier.apply(e);
            }
            if (!o.append().isEmpty()) {
                todo.add(core.persisted(core.lastIndex(), now));
            }
        }
    }

    /** A request as raftctl sends it, with no key. */
    static ControllerMessage request(String request, JsonNode value) {
        return new ControllerMessage("raftctl", request, null, null, value);
    }

    /**
     * Handles {@code request} from {@code from} and runs its output: the reply sent at once, or
     * null if it comes later (then in {@link #sent}).
     */
    ControllerMessage ask(ControllerMessage request, InetSocketAddress from) {
        ControllerHandler.Result r = handler.handle(request, from, now);
        run(r.output());
        return r.reply();
    }

    /** {@link #ask(ControllerMessage, InetSocketAddress)} for a request made of its name and value. */
    ControllerMessage ask(String request, JsonNode value, InetSocketAddress from) {
        return ask(request(request, value), from);
    }

    /** The same from a client on loopback ({@link #LOCAL}). */
    ControllerMessage ask(String request, JsonNode value) {
        return ask(request, value, LOCAL);
    }

    /** A write answered once applied: no reply at once; the reply sent once its entry was applied. */
    ControllerMessage written(ControllerMessage request, InetSocketAddress from) {
        assertNull(ask(request, from), "answered once applied");
        return lastSent();
    }

    /** The newest reply sent. */
    ControllerMessage lastSent() {
        ControllerMessage last = sent.peekLast();
        assertNotNull(last, "a reply was sent");
        return last;
    }

    /** The last entry of the log, as JSON. */
    JsonNode lastEntry() throws MalformedMessageException {
        return Codec.readTree(core.entry(core.lastIndex()).data().bytes());
    }

    @Override
    public void toPeer(String peer, PeerMessage message) {}

    @Override
    public void to(PortRole via, InetSocketAddress target, byte[] payload) {
        try {
            sent.add(Codec.decodeController(payload, 0, payload.length));
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }
}
