package dev.raftledger.raftd.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The faults of one run, drawn from its seed: crashes (one node, or two at once as in a power
 * cut) with restarts after a random downtime; crashes at the worst moments (right after a node
 * made a vote durable, or a leader committed, restarted within milliseconds: where a vote or an
 * entry that was not really durable would be forgotten); partitions (a symmetric split, the
 * leader isolated, one-way cuts of a link or of everything a node sends or receives) that heal
 * after a while or when the next one replaces them; forced elections (controller TIMEOUT, often
 * on two nodes at once, so that two candidates stand in one term); leader step-downs
 * (CONVERT_FOLLOWER); and changes of the network's loss, duplication and delay.
 *
 * <p>The run's temperament is drawn first (how often faults come, how many nodes may be down:
 * two for most runs, so a majority survives; three for some, so the cluster also stalls; how
 * often a crash follows a vote or a commit), then each action. Actions aim at the current leader
 * often, since that is where faults hurt.
 */
final class FaultSchedule {

    /** What the schedule acts on (the simulator). */
    interface Target {
        int size();

        /**
         * Whether faults may aim at {@code node}: a member or a node joining (not a spare never
         * started, nor a node removed from the cluster).
         */
        boolean inPlay(int node);

        boolean isUp(int node);

        /** The live leader of the highest term, or -1. */
        int leader();

        void crash(int node);

        void restart(int node);

        void forceElection(int node);

        void stepDown(int node);

        /** The operator's TRANSFER_LEADER (or a planned stop's hand-over) on {@code node}. */
        void transferLeadership(int node);

        SimNetwork network();

        /** A line in the trace. */
        void note(String what, String detail);
    }

    private final SplittableRandom random;
    private final long meanGapMs;
    private final int maxDown;
    private final long[] restartAt;
    /** Crashes planned for the worst moments: just after a node made a vote durable, or a leader committed. */
    private final long[] crashAt;
    private final double crashAfterVoteRate;
    private final double crashAfterCommitRate;
    private long nextActionAt;
    private long healAt = Long.MAX_VALUE;

    long crashes;
    long transfers;
    long crashesAtWorstMoment;
    long doubleCrashes;
    long partitions;
    long isolations;
    long oneWayCuts;
    long heals;
    long forcedElections;
    long stepDowns;
    long networkChanges;

    FaultSchedule(SplittableRandom random, int size, long start) {
        this.random = random;
        this.meanGapMs = 60 + random.nextLong(300);
        this.maxDown = random.nextInt(100) < 15 ? 3 : 2;
        this.restartAt = new long[size];
        Arrays.fill(restartAt, Long.MAX_VALUE);
        this.crashAt = new long[size];
        Arrays.fill(crashAt, Long.MAX_VALUE);
        this.crashAfterVoteRate = random.nextInt(5) < 2 ? 0 : random.nextDouble(0.05, 0.4);
        this.crashAfterCommitRate = random.nextInt(5) < 2 ? 0 : random.nextDouble(0.005, 0.05);
        this.nextActionAt = start + gap();
    }

    String describe() {
        return "faults every ~" + meanGapMs + " ms, at most " + maxDown + " nodes down, "
                + Math.round(crashAfterVoteRate * 100) + "% of votes and " + Math.round(crashAfterCommitRate * 1000) / 10.0
                + "% of leader commits followed by a crash";
    }

    long nextAt() {
        long t = Math.min(nextActionAt, healAt);
        for (int n = 0; n < restartAt.length; n++) {
            t = Math.min(t, Math.min(restartAt[n], crashAt[n]));
        }
        return t;
    }

    /** Does whatever is due at {@code now}. */
    void fire(long now, Target sim) {
        for (int n = 0; n < crashAt.length; n++) {
            if (crashAt[n] <= now) {
                crashAt[n] = Long.MAX_VALUE;
                if (crash(now, sim, n)) {
                    restartAt[n] = now + 1 + random.nextLong(15); // a supervisor restarts the process at once
                    crashesAtWorstMoment++;
                }
            }
        }
        for (int n = 0; n < restartAt.length; n++) {
            if (restartAt[n] <= now) {
                restartAt[n] = Long.MAX_VALUE;
                sim.restart(n);
            }
        }
        if (healAt <= now) {
            healAt = Long.MAX_VALUE;
            heal(sim);
        }
        if (nextActionAt <= now) {
            nextActionAt = now + gap();
            act(now, sim);
        }
    }

    /**
     * A node just granted a vote (and made it durable): sometimes crash it right away and restart
     * it quickly, the moment at which a vote not really durable would be forgotten.
     */
    void afterVote(long now, int node) {
        crashSoon(now, node, crashAfterVoteRate);
    }

    /**
     * A leader just committed: sometimes crash it with whatever it has not yet fsynced, and half
     * of those times another node with it (a power cut), perhaps one whose acknowledgement counted.
     */
    void afterCommit(long now, int node, Target sim) {
        if (crashSoon(now, node, crashAfterCommitRate) && random.nextBoolean()) {
            crashSoon(now, other(sim, node), 1);
        }
    }

    /** The nodes faults may aim at, in order (Node1-Node5 unless the membership changed). */
    private static java.util.List<Integer> inPlay(Target sim) {
        java.util.List<Integer> in = new java.util.ArrayList<>();
        for (int n = 0; n < sim.size(); n++) {
            if (sim.inPlay(n)) {
                in.add(n);
            }
        }
        return in;
    }

    /** Another node in play than {@code node} (itself if it is the only one). */
    private int other(Target sim, int node) {
        java.util.List<Integer> in = inPlay(sim);
        int at = Math.max(0, in.indexOf(node));
        return in.size() < 2 ? node : in.get((at + 1 + random.nextInt(in.size() - 1)) % in.size());
    }

    private boolean crashSoon(long now, int node, double rate) {
        if (rate > 0 && random.nextDouble() < rate && crashAt[node] == Long.MAX_VALUE) {
            crashAt[node] = now + random.nextLong(3);
            return true;
        }
        return false;
    }

    private long gap() {
        return 1 + random.nextLong(2 * meanGapMs);
    }

    private void act(long now, Target sim) {
        int roll = random.nextInt(100);
        int leader = sim.leader();
        java.util.List<Integer> in = inPlay(sim);
        int any = in.get(random.nextInt(in.size()));
        int aim = leader >= 0 && random.nextBoolean() ? leader : any;
        SimNetwork net = sim.network();
        if (roll < 20) {
            crash(now, sim, aim);
        } else if (roll < 25) {
            if (crash(now, sim, aim)) {
                doubleCrashes++;
                crash(now, sim, other(sim, aim));
            }
        } else if (roll < 36) {
            TreeSet<Integer> minority = new TreeSet<>();
            minority.add(aim);
            if (random.nextBoolean()) {
                minority.add(other(sim, aim));
            }
            partition(now, sim, "split " + names(minority) + " | rest");
            net.split(minority);
            partitions++;
        } else if (roll < 45) {
            int who = leader >= 0 ? leader : any;
            partition(now, sim, "isolate Node" + (who + 1));
            net.isolate(who);
            isolations++;
        } else if (roll < 57) {
            int kind = random.nextInt(3);
            oneWayCuts++;
            if (kind == 0) {
                int to = other(sim, aim);
                partition(now, sim, "one-way cut Node" + (aim + 1) + " -> Node" + (to + 1));
                net.cut(aim, to);
            } else if (kind == 1) {
                partition(now, sim, "mute Node" + (aim + 1) + " (it hears, nobody hears it)");
                net.mute(aim);
            } else {
                partition(now, sim, "deafen Node" + (aim + 1) + " (it is heard, hears nobody)");
                net.deafen(aim);
            }
        } else if (roll < 64) {
            healAt = Long.MAX_VALUE;
            heal(sim);
        } else if (roll < 76) {
            if (sim.isUp(any)) {
                forcedElections++;
                sim.forceElection(any);
            }
            int second = other(sim, any);
            if (random.nextInt(5) < 3 && sim.isUp(second)) {
                forcedElections++; // two controllers at once: two candidates in one term
                sim.forceElection(second);
            }
        } else if (roll < 83) {
            if (leader >= 0 && random.nextInt(2) == 0) {
                transfers++;
                sim.transferLeadership(leader);
            } else if (leader >= 0) {
                stepDowns++;
                sim.stepDown(leader);
            }
        } else if (roll < 90) {
            networkChanges++;
            level(net);
            sim.note("network", net.level());
        }
        // else: a quiet spell
    }

    /** Draws a network level: from perfect to 30 % loss, with delays from LAN to WAN and stragglers. */
    void level(SimNetwork net) {
        double drop = random.nextInt(4) == 0 ? 0 : random.nextDouble(0, 0.3);
        double dup = random.nextInt(3) == 0 ? 0 : random.nextDouble(0, 0.15);
        long[] maxDelays = {3, 10, 30, 80, 150};
        long max = maxDelays[random.nextInt(maxDelays.length)];
        double straggle = random.nextInt(3) == 0 ? 0 : random.nextDouble(0, 0.05);
        net.setLevel(drop, dup, random.nextInt(2), max, straggle);
    }

    private boolean crash(long now, Target sim, int node) {
        if (!sim.inPlay(node) || !sim.isUp(node) || downCount(sim) >= maxDown) {
            return false;
        }
        crashes++;
        sim.crash(node);
        // mostly quick reboots, sometimes a long outage
        restartAt[node] = now + (random.nextInt(4) == 0 ? 500 + random.nextLong(2_000) : 10 + random.nextLong(400));
        return true;
    }

    private int downCount(Target sim) {
        int down = 0;
        for (int n = 0; n < sim.size(); n++) {
            down += sim.inPlay(n) && !sim.isUp(n) ? 1 : 0;
        }
        return down;
    }

    /** A new partition replaces the one in place, and heals by itself after a while. */
    private void partition(long now, Target sim, String what) {
        sim.network().heal();
        healAt = now + 50 + random.nextLong(1_500);
        sim.note("partition", what + " until t=" + healAt);
    }

    private void heal(Target sim) {
        if (sim.network().isPartitioned()) {
            heals++;
            sim.network().heal();
            sim.note("heal", "every link open");
        }
    }

    private static String names(TreeSet<Integer> nodes) {
        StringBuilder sb = new StringBuilder();
        for (int n : nodes) {
            sb.append(sb.length() == 0 ? "" : ",").append("Node").append(n + 1);
        }
        return sb.toString();
    }
}
