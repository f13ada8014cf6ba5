package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.driver.OutputRunner;
import dev.raftledger.raftd.store.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Cores wired to each other by hand, for tests of one rule at a time: every message is delivered
 * at once and in order (unless a filter holds it back), every append is durable at once, and
 * time moves only when the test says so. Nothing random happens but the election timeouts.
 * Outputs are carried out by the driver's {@link OutputRunner}, like every other harness.
 */
final class Wired {

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    /** Every event each core reported, in order. */
    private final Map<String, List<CoreEvent>> events = new LinkedHashMap<>();
    private final List<Outbound> held = new ArrayList<>();
    /** Every message delivered, in order. */
    final List<Outbound> delivered = new ArrayList<>();
    private Predicate<Outbound> hold = o -> false;
    private final Set<String> down = new HashSet<>();
    long now;

    /** Starts a core for each voter of {@code base} (empty logs, term 0), each believing {@code base}. */
    static Wired of(ClusterConfig base) {
        Wired w = new Wired();
        for (String name : base.voters()) {
            w.start(name, base);
        }
        return w;
    }

    /** Starts {@code name} with an empty log and {@code base} as its initial configuration. */
    RaftCore start(String name, ClusterConfig base) {
        return start(name, base, List.of(), HardState.INITIAL);
    }

    /** Starts (or restarts) {@code name} from a log and hard state. */
    RaftCore start(String name, ClusterConfig base, List<Entry> log, HardState hs) {
        RaftCore c = new RaftCore(name, base, Timings.SEED, Limits.DEFAULT, hs, LogPosition.EMPTY, log,
                new SplittableRandom(name.hashCode()), now, 1);
        cores.put(name, c);
        events.computeIfAbsent(name, n -> new ArrayList<>());
        down.remove(name);
        return c;
    }

    RaftCore core(String name) {
        return cores.get(name);
    }

    /** Messages to {@code name} are lost; it does nothing. */
    void down(String name) {
        down.add(name);
    }

    void up(String name) {
        down.remove(name);
    }

    /** Messages matching {@code filter} are held back (not lost) until {@link #release()}. */
    void hold(Predicate<Outbound> filter) {
        hold = filter;
    }

    /** Loses everything held back, and stops holding. */
    void discardHeld() {
        hold = o -> false;
        held.clear();
    }

    /** Delivers everything held back, and stops holding. */
    void release() {
        hold = o -> false;
        List<Outbound> again = new ArrayList<>(held);
        held.clear();
        ArrayDeque<Pending> q = new ArrayDeque<>();
        for (Outbound o : again) {
            q.add(new Pending(null, null, o));
        }
        drain(q);
    }

    List<CoreEvent> events(String name) {
        return events.get(name);
    }

    <E extends CoreEvent> List<E> events(String name, Class<E> type) {
        return events.get(name).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Node {@code name} wins an election (controller TIMEOUT) and everything settles. */
    RaftCore elect(String name) {
        run(name, cores.get(name).forceElection(now));
        return cores.get(name);
    }

    /** Carries out what a call on {@code name} returned, and everything that follows from it. */
    void run(String name, Output out) {
        ArrayDeque<Pending> q = new ArrayDeque<>();
        q.add(new Pending(name, out, null));
        drain(q);
    }

    /** Moves time by {@code ms} and ticks every live core. */
    void advance(long ms) {
        now += ms;
        for (Map.Entry<String, RaftCore> e : cores.entrySet()) {
            if (!down.contains(e.getKey()) && e.getValue().nextDeadline() <= now) {
                run(e.getKey(), e.getValue().tick(now));
            }
        }
    }

    /** Heartbeats until every live core holds {@code leader}'s log and commit index. */
    void settle(String leader) {
        for (int i = 0; i < 20; i++) {
            now += Timings.SEED.heartbeatMs();
            run(leader, cores.get(leader).tick(now));
        }
    }

    private record Pending(String node, Output output, Outbound message) {}

    private void drain(ArrayDeque<Pending> q) {
        int steps = 0;
        while (!q.isEmpty()) {
            if (++steps > 100_000) {
                throw new IllegalStateException("messages never settle");
            }
            Pending p = q.poll();
            if (p.message() != null) {
                Outbound o = p.message();
                RaftCore to = cores.get(o.to());
                if (to == null || down.contains(o.to())) {
                    continue; // lost
                }
                if (hold.test(o)) {
                    held.add(o);
                    continue;
                }
                delivered.add(o);
                q.add(new Pending(o.to(), to.step(o.message(), now), null));
                continue;
            }
            carryOut(p.node(), p.output(), q);
        }
    }

    /**
     * Carries out one output through the driver's own {@link OutputRunner}, with effects of this
     * harness: storage that is durable at once (so no message ever waits), messages queued for
     * delivery, events recorded. Wired cores take no snapshots; an output asking for one fails the test.
     */
    private void carryOut(String node, Output out, ArrayDeque<Pending> q) {
        RaftCore c = cores.get(node);
        boolean[] appended = {false};
        try {
            OutputRunner.run(out, new OutputRunner.Effects() {
                @Override public void saveHardState(HardState state) {}

                @Override public void truncateFrom(long index) {}

                @Override public void append(List<Entry> entries) {
                    appended[0] = true;
                }

                @Override public void sendSnapshot(String peer) {
                    throw new AssertionError(node + " asked to send a snapshot; Wired has none");
                }

                @Override public Output snapshotChunk(InstallSnapshot chunk) {
                    throw new AssertionError(node + " received a snapshot chunk; Wired has none");
                }

                @Override public long durableIndex() {
                    return c.lastIndex(); // every append is durable at once
                }

                @Override public void send(Outbound message) {
                    q.add(new Pending(null, null, message));
                }

                @Override public void defer(Outbound message) {
                    throw new AssertionError(node + " deferred " + message + " past its own last index");
                }

                @Override public void checkPort(String peer) {} // every process listens: no answer

                @Override public void apply(Entry entry) {}

                @Override public void read(ReadResult result) {}

                @Override public void applied(List<Entry> batch) {}

                @Override public void event(CoreEvent event) {
                    events.get(node).add(event);
                }
            });
        } catch (StoreException e) {
            throw new AssertionError("Wired's storage cannot fail", e);
        }
        if (appended[0]) {
            q.add(new Pending(node, c.persisted(c.lastIndex(), now), null));
        }
    }

    /** The messages of one type {@code from} sent, as a check helper. */
    static <T extends PeerMessage> List<T> of(Output out, Class<T> type) {
        return CoreFixtures.sent(out, type);
    }
}
