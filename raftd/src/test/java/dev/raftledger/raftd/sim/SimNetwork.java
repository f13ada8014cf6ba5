package dev.raftledger.raftd.sim;

import dev.raftledger.common.wire.PeerMessage;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The simulated datagram network between nodes 0..n-1. Each message is dropped, duplicated
 * and delayed independently by seeded draws; since delays differ, messages overtake each other
 * (reordering), and a few take far longer than the rest (stale messages arrive after elections).
 * On top, a partition is a set of blocked directed links: A->B blocked with B->A open is a
 * one-way cut. A link blocked while a message is on it loses that message too.
 */
final class SimNetwork {

    /**
     * A datagram in flight. {@code sequence} orders equal delivery times deterministically. A
     * {@link Kind#PORT_CHECK} carries no message; nor does its answer, {@link Kind#UNREACHABLE},
     * which the checked node's host sends back when no process listens (ICMP port unreachable).
     */
    record Packet(long deliverAt, long sequence, int from, int to, PeerMessage message, Kind kind) {}

    enum Kind { MESSAGE, PORT_CHECK, UNREACHABLE }

    private final int size;
    private final boolean[][] blocked;
    private final SplittableRandom random;
    private final PriorityQueue<Packet> queue = new PriorityQueue<>(
            Comparator.comparingLong(Packet::deliverAt).thenComparingLong(Packet::sequence));
    private long sequence;

    private double dropRate;
    private double duplicateRate;
    private long minDelayMs = 1;
    private long maxDelayMs = 5;
    /** Share of messages delayed up to ten times the maximum: the long tail of a real network. */
    private double straggleRate;

    long sent;
    long dropped;
    long duplicated;
    long cut;

    SimNetwork(int size, SplittableRandom random) {
        this.size = size;
        this.blocked = new boolean[size][size];
        this.random = random;
    }

    void setLevel(double drop, double duplicate, long minDelay, long maxDelay, double straggle) {
        this.dropRate = drop;
        this.duplicateRate = duplicate;
        this.minDelayMs = minDelay;
        this.maxDelayMs = Math.max(minDelay, maxDelay);
        this.straggleRate = straggle;
    }

    /** No loss, no duplicates, 1-5 ms: the network once healed (still reorders a little). */
    void setReliable() {
        setLevel(0, 0, 1, 5, 0);
    }

    String level() {
        return String.format("drop %.0f%% dup %.0f%% delay %d-%d ms straggle %.0f%%",
                dropRate * 100, duplicateRate * 100, minDelayMs, maxDelayMs, straggleRate * 100);
    }

    void send(long now, int from, int to, PeerMessage message) {
        queue(now, from, to, message, Kind.MESSAGE);
    }

    /** A port check from {@code from} to {@code to}'s host: lost, delayed or duplicated as any datagram. */
    void checkPort(long now, int from, int to) {
        queue(now, from, to, null, Kind.PORT_CHECK);
    }

    /** {@code host}'s answer to a port check of {@code to}: nothing listens (it may be lost too). */
    void unreachable(long now, int host, int to) {
        queue(now, host, to, null, Kind.UNREACHABLE);
    }

    private void queue(long now, int from, int to, PeerMessage message, Kind kind) {
        sent++;
        if (blocked[from][to]) {
            cut++;
            return;
        }
        if (random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        int copies = random.nextDouble() < duplicateRate ? 2 : 1;
        duplicated += copies - 1;
        for (int i = 0; i < copies; i++) {
            long delay = minDelayMs + random.nextLong(maxDelayMs - minDelayMs + 1);
            if (straggleRate > 0 && random.nextDouble() < straggleRate) {
                delay += random.nextLong(10 * maxDelayMs + 1);
            }
            queue.add(new Packet(now + delay, sequence++, from, to, message, kind));
        }
    }

    /** When the next datagram arrives, or Long.MAX_VALUE. */
    long nextAt() {
        Packet p = queue.peek();
        return p == null ? Long.MAX_VALUE : p.deliverAt();
    }

    /** The next datagram, or null if its link was cut while it was on its way (it is lost). */
    Packet poll() {
        Packet p = queue.poll();
        if (p != null && blocked[p.from()][p.to()]) {
            cut++;
            return null;
        }
        return p;
    }

    // ---- partitions ----------------------------------------------------------------------------

    void heal() {
        for (boolean[] row : blocked) {
            java.util.Arrays.fill(row, false);
        }
    }

    boolean isPartitioned() {
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                if (blocked[a][b]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Cuts one direction only: {@code from} can no longer reach {@code to}. */
    void cut(int from, int to) {
        if (from != to) {
            blocked[from][to] = true;
        }
    }

    /** Node {@code n} can neither send nor receive. */
    void isolate(int n) {
        for (int other = 0; other < size; other++) {
            cut(n, other);
            cut(other, n);
        }
    }

    /** Node {@code n} still hears everyone but nobody hears it. */
    void mute(int n) {
        for (int other = 0; other < size; other++) {
            cut(n, other);
        }
    }

    /** Node {@code n} still reaches everyone but hears nobody. */
    void deafen(int n) {
        for (int other = 0; other < size; other++) {
            cut(other, n);
        }
    }

    /** Two groups that cannot talk to each other in either direction. */
    void split(TreeSet<Integer> side) {
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                if (side.contains(a) != side.contains(b)) {
                    blocked[a][b] = true;
                }
            }
        }
    }
}
