package dev.raftledger.raftd.driver.start;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.control.StatusReport;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the hot path (codec, core, status report) in memory before the node's election timer
 * starts. Measured on two cores with five nodes starting at once: without it, the first
 * RequestVote a fresh JVM handled took 30-60 ms (class loading, interpreter), long enough for
 * other nodes' timers to fire and split the first election. Each round also hands leadership
 * over (TIMEOUT_NOW and the target's election), the path a planned stop takes: a target that had
 * never run it made the hand-over of a SIGTERM 4-5 ms slower (docs/benchmarks.md, "Planned
 * stops"). It touches no socket and no disk.
 */
public final class Warmup {

    /** Enough to load and link every class on the path; JIT warm-up is not the aim. */
    static final int ROUNDS = 5;

    private Warmup() {}

    /** Runs the warm-up; returns in how many rounds the hand-over elected its target. */
    public static int run() {
        int handedOver = 0;
        List<String> names = List.of("W1", "W2", "W3");
        for (int round = 0; round < ROUNDS; round++) {
            RaftCore[] cores = new RaftCore[names.size()];
            for (int i = 0; i < cores.length; i++) {
                cores[i] = new RaftCore(names.get(i), names, Timings.SEED, HardState.INITIAL,
                        LogPosition.EMPTY, new SplittableRandom(round), 0);
            }
            long now = deliver(cores, names, cores[0].forceElection(0).messages(), 0);
            // and a hand-over, as a planned stop starts one: TIMEOUT_NOW, the target's election
            now = deliver(cores, names, cores[0].transferLeadership(null, ++now).output().messages(), now);
            for (RaftCore c : cores) {
                if (c != cores[0] && c.role() == Role.LEADER && c.term() == 2) {
                    handedOver++;
                }
            }
            DriverCounters counters = new DriverCounters();
            Codec.encode(new ControllerMessage("W1", "STATUS", 1L, null,
                    StatusReport.of(cores[0].status(now), counters, "127.0.0.1", now)));
            roundTripController();
        }
        ClusterSpec.localFive();
        return handedOver;
    }

    /** Delivers {@code first} and every message it leads to; returns the last step's time. */
    private static long deliver(RaftCore[] cores, List<String> names, List<Outbound> first, long now) {
        ArrayDeque<Outbound> wire = new ArrayDeque<>(first);
        while (!wire.isEmpty()) {
            Outbound o = wire.poll();
            PeerMessage decoded = roundTrip(o.message());
            Output out = cores[names.indexOf(o.to())].step(decoded, ++now);
            wire.addAll(out.messages());
        }
        return now;
    }

    private static PeerMessage roundTrip(PeerMessage m) {
        byte[] bytes = Codec.encode(m);
        try {
            return Codec.decodePeer(bytes, 0, bytes.length);
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("the codec cannot read its own output: " + e.getMessage(), e);
        }
    }

    private static void roundTripController() {
        byte[] bytes = Codec.encode(ControllerMessage.request("LEADER_INFO"));
        try {
            Codec.decodeController(bytes, 0, bytes.length);
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("the codec cannot read its own output: " + e.getMessage(), e);
        }
    }
}
