package dev.raftledger.raftd.sim;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.RaftCore.ConfigChange;
import dev.raftledger.raftd.core.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The operator's membership changes in one run, drawn from its seed (in most runs; the others
 * keep the five nodes they start with): add a spare node as a learner (started first, as raftd
 * --join), promote a learner, remove a voter (the leader itself at times) or a learner. They come
 * at random moments of the fault phase, so together with crashes and partitions they replace
 * nodes while the clients write. Every change goes through the leader's core, which may refuse
 * it (one change at a time, a learner not caught up, ...); refusals are counted, and the
 * operator tries again later.
 *
 * <p>Each slot (Node1..NodeN) is a spare (never started), joining (started, not yet in a
 * committed configuration), a member, or removed (by a committed configuration). A removed node
 * is stopped for good after a while, or in some runs left running to the end, where it must
 * not disturb the others.
 */
final class MembershipChanges {

    enum Slot { SPARE, JOINING, MEMBER, REMOVED }

    /** What the changes act on (the simulator). */
    interface Cluster {
        /** The live leader of the highest term, or -1. */
        int leader();

        SimNode node(int slot);

        /** Starts a spare for the first time, joining with the starting list {@code base}. */
        void startJoiner(int slot, ClusterConfig base);

        /** Stops a removed node for good. */
        void decommission(int slot);

        void note(String what, String detail);
    }

    private final SplittableRandom random;
    private final Slot[] slots;
    private final boolean enabled;
    private final long meanGapMs;
    private final boolean keepRemovedRunning;
    private long nextAt;
    private final long[] decommissionAt;
    /** The newest committed configuration seen, by its index: a new leader may not know it is committed yet. */
    private long seenConfigIndex = -1;

    long added;
    long promoted;
    long removed;
    long leadersRemoved;
    long refused;

    MembershipChanges(SplittableRandom random, int initial, int total) {
        this.random = random;
        this.slots = new Slot[total];
        for (int i = 0; i < total; i++) {
            slots[i] = i < initial ? Slot.MEMBER : Slot.SPARE;
        }
        this.decommissionAt = new long[total];
        java.util.Arrays.fill(decommissionAt, Long.MAX_VALUE);
        this.enabled = random.nextInt(10) < 6;
        this.meanGapMs = 150 + random.nextLong(500);
        this.keepRemovedRunning = random.nextBoolean();
        this.nextAt = enabled ? 100 + random.nextLong(2 * meanGapMs) : Long.MAX_VALUE;
    }

    String describe() {
        return enabled ? "membership changes every ~" + meanGapMs + " ms (removed nodes "
                + (keepRemovedRunning ? "left running" : "stopped") + ")" : "no membership changes";
    }

    Slot slot(int i) {
        return slots[i];
    }

    /** Whether faults may aim at this slot, and a down node there counts as down: a member or a joiner. */
    boolean inPlay(int i) {
        return slots[i] == Slot.MEMBER || slots[i] == Slot.JOINING;
    }

    long nextAt() {
        long t = nextAt;
        for (long d : decommissionAt) {
            t = Math.min(t, d);
        }
        return t;
    }

    /** Does whatever is due at {@code now}. */
    void fire(long now, Cluster cluster) {
        observe(now, cluster);
        for (int i = 0; i < slots.length; i++) {
            if (decommissionAt[i] <= now) {
                decommissionAt[i] = Long.MAX_VALUE;
                cluster.decommission(i);
            }
        }
        if (nextAt <= now) {
            nextAt = now + 1 + random.nextLong(2 * meanGapMs);
            act(now, cluster);
        }
    }

    /** No more changes (the faults are over); removed nodes still due to stop, stop now. */
    void stop(long now, Cluster cluster) {
        observe(now, cluster);
        nextAt = Long.MAX_VALUE;
        for (int i = 0; i < slots.length; i++) {
            if (decommissionAt[i] != Long.MAX_VALUE) {
                decommissionAt[i] = Long.MAX_VALUE;
                cluster.decommission(i);
            }
        }
    }

    /** Slots follow the leader's committed configuration: joiners in it are members, members out of it removed. */
    void observe(long now, Cluster cluster) {
        int l = cluster.leader();
        if (l < 0) {
            return;
        }
        RaftCore core = cluster.node(l).core();
        if (core.committedConfigIndex() < seenConfigIndex) {
            return; // this leader has not learned yet how far the last one committed
        }
        seenConfigIndex = core.committedConfigIndex();
        ClusterConfig committed = core.committedConfig();
        for (int i = 0; i < slots.length; i++) {
            String name = cluster.node(i).name;
            if (slots[i] == Slot.JOINING && committed.isMember(name)) {
                slots[i] = Slot.MEMBER;
            } else if (slots[i] == Slot.MEMBER && !committed.isMember(name)) {
                slots[i] = Slot.REMOVED;
                cluster.note("removed", name + " is out of the committed configuration" + (keepRemovedRunning
                        ? "; left running" : "; stopped soon"));
                if (!keepRemovedRunning) {
                    decommissionAt[i] = now + random.nextLong(300);
                }
            }
        }
    }

    private void act(long now, Cluster cluster) {
        int l = cluster.leader();
        if (l < 0) {
            return;
        }
        SimNode leader = cluster.node(l);
        ClusterConfig config = leader.core().config();
        int roll = random.nextInt(100);
        if (roll < 35) {
            int slot = pick(Slot.JOINING, cluster, config, false);
            if (slot < 0) {
                slot = pick(Slot.SPARE, cluster, config, false);
                if (slot < 0) {
                    return;
                }
                // started first, as an operator would: it knows the members and waits as a learner
                slots[slot] = Slot.JOINING;
                cluster.startJoiner(slot, config.withLearner(cluster.node(slot).name, null));
            }
            if (!config.isMember(cluster.node(slot).name)) {
                propose(leader, ConfigChange.addLearner(cluster.node(slot).name, null), now, cluster);
            }
        } else if (roll < 65) {
            List<String> learners = new ArrayList<>(config.names());
            learners.removeAll(config.voters());
            if (!learners.isEmpty()) {
                propose(leader, ConfigChange.promote(learners.get(random.nextInt(learners.size()))), now, cluster);
            }
        } else if (roll < 90) {
            List<String> candidates = new ArrayList<>(config.names());
            if (config.voters().size() <= 3) {
                candidates.removeAll(config.voters()); // at least three voters stay: a majority survives one down
            } else if (random.nextInt(5) == 0 && config.isVoter(leader.name)) {
                candidates = List.of(leader.name); // the leader removes itself: it steps down once committed
            } else {
                candidates.remove(leader.name);
            }
            if (!candidates.isEmpty()) {
                propose(leader, ConfigChange.remove(candidates.get(random.nextInt(candidates.size()))), now, cluster);
            }
        }
    }

    /** A slot in state {@code s}, or -1. */
    private int pick(Slot s, Cluster cluster, ClusterConfig config, boolean member) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == s && config.isMember(cluster.node(i).name) == member) {
                found.add(i);
            }
        }
        return found.isEmpty() ? -1 : found.get(random.nextInt(found.size()));
    }

    private void propose(SimNode leader, ConfigChange change, long now, Cluster cluster) {
        RaftCore.Reconfiguration r = leader.core().changeConfig(change, now);
        if (!r.accepted()) {
            refused++;
            cluster.note("member", leader.name + " refuses " + change.kind() + " " + change.name() + ": "
                    + r.refusal() + " (" + r.reason() + ")");
            return;
        }
        switch (change.kind()) {
            case ADD_LEARNER:
                added++;
                break;
            case PROMOTE:
                promoted++;
                break;
            default:
                removed++;
                leadersRemoved += change.name().equals(leader.name) ? 1 : 0;
        }
        cluster.note("MEMBER", leader.name + " proposes " + change.kind() + " " + change.name() + " at "
                + r.entry().index() + "/" + r.entry().term() + ": " + r.config());
        leader.carryOut(r.output(), now);
        if (leader.core() != null && leader.core().role() != Role.LEADER) {
            cluster.note("member", leader.name + " stepped down");
        }
    }
}
