package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.driver.OutputRunner;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The state of one interaction script (see {@link ScenarioTest}): cores, a manual clock and a
 * message queue that moves only when the script says so. Each command returns the full trace of
 * what it did: every call into a core and every effect of its {@link Output} (hard state to
 * persist, log writes, messages, entries to apply, reads, events), so an unexpected message
 * shows up in review as a changed line.
 *
 * <p>The effects are carried out as the driver does: the hard state is durable at once, appended
 * entries become durable on {@code persist}, and a message waits until the log is durable up to
 * its {@link Outbound#durableIndex()}. Nothing is random but each core's election timeout,
 * drawn from a generator seeded per node from the script's seed.
 *
 * <p>Commands (arguments after the name, separated by spaces):
 * <ul>
 *   <li>{@code cluster NAME... [prevote] [checkquorum] [portcheck] [askagain] [seed=N]}: new cores
 *       at time 0, all voters ({@code portcheck}: followers check a silent leader's port, with
 *       prevote; {@code askagain}: candidates ask unanswered voters again);</li>
 *   <li>{@code campaign NAME}: the node's election timeout fires now (TIMEOUT);</li>
 *   <li>{@code unreachable NAME PEER}: the driver tells the node that PEER's host says nothing
 *       listens on its port (the answer to a port check);</li>
 *   <li>{@code tick NAME}: the clock moves to the node's next deadline and the node ticks;</li>
 *   <li>{@code advance MS}: the clock moves on, nobody ticks;</li>
 *   <li>{@code deliver-msgs [NAME...]}: the messages queued for those nodes (all if none), in
 *       the order sent; what they send is queued, not delivered;</li>
 *   <li>{@code drop-msgs [NAME...]}: the messages queued for those nodes are lost;</li>
 *   <li>{@code persist [NAME...]}: each node's log becomes durable up to its last entry;</li>
 *   <li>{@code stabilize}: persist and deliver everything until nothing moves;</li>
 *   <li>{@code propose NAME TEXT}: a client write of TEXT at the node;</li>
 *   <li>{@code read NAME ID}: a ReadIndex request with that id;</li>
 *   <li>{@code cut NAME...} / {@code heal}: messages to and from those nodes are lost, until heal;</li>
 *   <li>{@code status [NAME...]}: role, term, vote, leader, commit and last index;</li>
 *   <li>{@code log NAME}: the node's log.</li>
 * </ul>
 */
final class Interaction {

    private record Queued(String from, String to, PeerMessage message) {}

    private final Map<String, RaftCore> nodes = new LinkedHashMap<>();
    private final Map<String, Long> appended = new HashMap<>();
    private final Map<String, Long> durable = new HashMap<>();
    private final Map<String, List<Outbound>> held = new HashMap<>();
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final Set<String> cut = new HashSet<>();
    private long now;
    private StringBuilder out;

    /** Runs one command; returns its trace (never empty: "ok" when nothing happened). */
    String run(String line) {
        out = new StringBuilder();
        String[] words = line.trim().split("\\s+");
        String[] args = Arrays.copyOfRange(words, 1, words.length);
        switch (words[0]) {
            case "cluster" -> cluster(args);
            case "campaign" -> call(one(args), "campaign", node(one(args)).forceElection(now));
            case "unreachable" -> call(args[0], "told " + args[1] + "'s port is closed",
                    node(args[0]).leaderUnreachable(args[1], now));
            case "tick" -> tick(one(args));
            case "advance" -> now += Long.parseLong(one(args));
            case "deliver-msgs" -> deliver(names(args), true);
            case "drop-msgs" -> deliver(names(args), false);
            case "persist" -> names(args).forEach(this::persist);
            case "stabilize" -> stabilize();
            case "propose" -> propose(args);
            case "transfer-leader" -> transfer(args);
            case "read" -> call(args[0], "read " + args[1], node(args[0]).readIndex(Long.parseLong(args[1]), now));
            case "cut" -> cut.addAll(List.of(args));
            case "heal" -> cut.clear();
            case "status" -> names(args).forEach(this::status);
            case "log" -> log(one(args));
            default -> throw new IllegalArgumentException("unknown command: " + words[0]);
        }
        String text = out.toString().stripTrailing();
        return text.isEmpty() ? "ok" : text;
    }

    private void cluster(String[] args) {
        List<String> names = new ArrayList<>();
        boolean preVote = false;
        boolean checkQuorum = false;
        boolean portCheck = false;
        boolean askAgain = false;
        long seed = 1;
        for (String a : args) {
            if (a.equals("prevote")) {
                preVote = true;
            } else if (a.equals("checkquorum")) {
                checkQuorum = true;
            } else if (a.equals("portcheck")) {
                portCheck = true;
            } else if (a.equals("askagain")) {
                askAgain = true;
            } else if (a.startsWith("seed=")) {
                seed = Long.parseLong(a.substring(5));
            } else {
                names.add(a);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Limits limits = new Limits(Limits.DEFAULT.maxBatchBytes(), Limits.DEFAULT.maxInflight(), preVote, checkQuorum,
                portCheck, askAgain);
        for (String name : names) {
            nodes.put(name, new RaftCore(name, names, Timings.SEED, limits, HardState.INITIAL, List.of(),
                    new SplittableRandom(random.nextLong()), now));
            appended.put(name, -1L); // an empty log: the first entry has index 0
            durable.put(name, -1L);
        }
        for (String name : names) {
            RaftCore c = nodes.get(name);
            out.append(name).append(": follower in term ").append(c.term()).append(", election timeout at ")
                    .append(c.nextDeadline()).append(" ms\n");
        }
    }

    private void tick(String name) {
        RaftCore c = node(name);
        now = Math.max(now, c.nextDeadline());
        call(name, "tick at " + now + " ms", c.tick(now));
    }

    private void propose(String[] args) {
        String text = String.join(" ", Arrays.copyOfRange(args, 1, args.length));
        RaftCore.Proposal p = node(args[0]).propose(List.of(Payload.ofJson("{\"v\":\"" + text + "\"}")), now);
        call(args[0], "propose " + text, p.output());
        if (p.entries().isEmpty()) {
            out.append("  not taken\n");
        }
    }

    /** {@code transfer-leader LEADER [TARGET]}: the controller's TRANSFER_LEADER, to a target or to the core's choice. */
    private void transfer(String[] args) {
        String target = args.length > 1 ? args[1] : null;
        RaftCore.Transfer t = node(args[0]).transferLeadership(target, now);
        call(args[0], "transfer-leader " + (target == null ? "(any)" : target), t.output());
        out.append(t.accepted() ? "  accepted: target " + t.target() : "  refused " + t.refusal() + ": " + t.reason())
                .append('\n');
    }

    private void deliver(List<String> to, boolean deliver) {
        List<Queued> now = new ArrayList<>();
        for (var it = queue.iterator(); it.hasNext();) {
            Queued q = it.next();
            if (to.contains(q.to())) {
                now.add(q);
                it.remove();
            }
        }
        for (Queued q : now) {
            if (!deliver) {
                out.append("dropped ").append(q.from()).append("->").append(q.to()).append(' ')
                        .append(render(q.message())).append('\n');
            } else if (nodes.containsKey(q.to())) {
                call(q.to(), "<- " + q.from() + " " + render(q.message()), node(q.to()).step(q.message(), this.now));
            }
        }
    }

    private void persist(String name) {
        long last = appended.get(name);
        if (durable.get(name) >= last) {
            return;
        }
        durable.put(name, last);
        call(name, "persisted to " + last, node(name).persisted(last, now));
        release(name);
    }

    private void stabilize() {
        for (int round = 0; round < 1000; round++) {
            boolean moved = false;
            for (String name : nodes.keySet()) {
                if (durable.get(name) < appended.get(name)) {
                    persist(name);
                    moved = true;
                }
            }
            if (!queue.isEmpty()) {
                deliver(new ArrayList<>(nodes.keySet()), true);
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("stabilize: still moving after 1000 rounds");
    }

    private void status(String name) {
        RaftCore c = node(name);
        out.append(name).append(": ").append(c.role().wireName()).append(" term=").append(c.term())
                .append(" vote=").append(c.hardState().votedFor()).append(" leader=").append(c.leader())
                .append(" commit=").append(c.commitIndex()).append(" last=").append(c.lastIndex()).append('\n');
    }

    private void log(String name) {
        RaftCore c = node(name);
        for (long i = c.firstIndex(); i <= c.lastIndex(); i++) {
            out.append(name).append(": ").append(render(c.entry(i))).append('\n');
        }
    }

    /**
     * Prints a call into a core and carries out its output with the driver's own
     * {@link OutputRunner}, so the trace shows the effects in the order raftd performs them.
     */
    private void call(String name, String what, Output o) {
        out.append(name).append(' ').append(what).append('\n');
        try {
            OutputRunner.run(o, effects(name));
        } catch (dev.raftledger.raftd.store.StoreException e) {
            throw new IllegalStateException("the scripted disk does not fail", e);
        }
    }

    /** Node {@code name}'s effects: each printed, the log's durability tracked, messages queued. */
    private OutputRunner.Effects effects(String name) {
        return new OutputRunner.Effects() {
            @Override
            public void saveHardState(HardState state) {
                out.append("  persist term=").append(state.term()).append(" vote=").append(state.votedFor()).append('\n');
            }

            @Override
            public void truncateFrom(long index) {
                out.append("  truncate from ").append(index).append('\n');
                appended.put(name, Math.min(appended.get(name), index - 1));
                durable.put(name, Math.min(durable.get(name), index - 1));
            }

            @Override
            public void append(List<Entry> entries) {
                for (Entry e : entries) {
                    out.append("  append ").append(render(e)).append('\n');
                    appended.put(name, Math.max(appended.get(name), e.index()));
                }
            }

            @Override
            public void sendSnapshot(String peer) {
                out.append("  send snapshot to ").append(peer).append('\n');
            }

            @Override
            public Output snapshotChunk(dev.raftledger.common.wire.InstallSnapshot chunk) {
                out.append("  snapshot chunk ").append(render(chunk)).append('\n');
                return null;
            }

            @Override
            public long durableIndex() {
                return durable.get(name);
            }

            @Override
            public void send(Outbound m) {
                Interaction.this.send(name, m);
            }

            @Override
            public void defer(Outbound m) {
                out.append("  hold until ").append(m.durableIndex()).append(" is durable: ").append(name).append("->")
                        .append(m.to()).append(' ').append(render(m.message())).append('\n');
                held.computeIfAbsent(name, n -> new ArrayList<>()).add(m);
            }

            @Override
            public void checkPort(String peer) {
                out.append("  check the port of ").append(peer).append('\n');
            }

            @Override
            public void apply(Entry e) {
                out.append("  apply ").append(render(e)).append('\n');
            }

            @Override
            public void read(ReadResult r) {
                out.append("  read ").append(render(r)).append('\n');
            }

            @Override
            public void applied(List<Entry> batch) {
            }

            @Override
            public void event(CoreEvent e) {
                out.append("  event ").append(render(e)).append('\n');
            }
        };
    }

    private void release(String name) {
        OutputRunner.release(held.computeIfAbsent(name, n -> new ArrayList<>()), durable.get(name), node(name).term(),
                m -> send(name, m), m -> out.append("  drop (term moved on): ").append(name).append("->")
                        .append(m.to()).append(' ').append(render(m.message())).append('\n'));
    }

    private void send(String from, Outbound m) {
        boolean lost = cut.contains(from) || cut.contains(m.to());
        out.append(lost ? "  lost " : "  send ").append(from).append("->").append(m.to()).append(' ')
                .append(render(m.message())).append('\n');
        if (!lost) {
            queue.add(new Queued(from, m.to(), m.message()));
        }
    }

    private RaftCore node(String name) {
        RaftCore c = nodes.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no node " + name + " (have " + nodes.keySet() + ")");
        }
        return c;
    }

    private List<String> names(String[] args) {
        return args.length == 0 ? new ArrayList<>(nodes.keySet()) : List.of(args);
    }

    private static String one(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("expected one argument, got " + Arrays.toString(args));
        }
        return args[0];
    }

    /**
     * A record as {@code Type field=value ...}, every component in declaration order, so a field
     * added to a message shows in every trace; entries as {@code index/term data}.
     */
    static String render(Object o) {
        if (o instanceof Entry e) {
            return e.index() + "/" + e.term() + " " + e.data();
        }
        if (o instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(render(item));
            }
            return "[" + String.join(", ", items) + "]";
        }
        if (o instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (o == null || !o.getClass().isRecord()) {
            return String.valueOf(o);
        }
        StringBuilder b = new StringBuilder(o.getClass().getSimpleName());
        for (RecordComponent rc : o.getClass().getRecordComponents()) {
            try {
                b.append(' ').append(rc.getName()).append('=').append(render(rc.getAccessor().invoke(o)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }
}
