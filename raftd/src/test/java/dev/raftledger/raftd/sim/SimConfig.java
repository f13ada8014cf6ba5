package dev.raftledger.raftd.sim;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one simulation run is: its seed (everything random derives from it), the planted bugs
 * (none in a real check), how much trace to keep, and the bounds on the run. The shape of the
 * run itself (fault rates, clients, disk speed) is drawn from the seed by the {@link Simulator}.
 *
 * @param seed          the one seed of the run
 * @param bugs          planted bugs (test of the checker only)
 * @param traceLines    trace lines kept for a failure report (a ring buffer)
 * @param echo          if not null, every trace line is printed here as it happens (replay)
 * @param faultPhaseMs  simulated time with faults; then everything heals
 * @param progressMs    after healing: time allowed to elect a leader and finish every client's write
 * @param convergeMs    then: time allowed for every node to apply the same log
 * @param maxSteps      a run taking more steps than this is looping
 * @param anomalies     what a {@code ProtocolAnomaly} event from a core does to the run
 * @param checkDurability whether each crash checks that nothing unsynced was acknowledged (off: only
 *                      the Raft invariants can catch a durability bug, by its consequences)
 */
record SimConfig(long seed, Set<PlantedBug> bugs, int traceLines, PrintStream echo,
                 long faultPhaseMs, long progressMs, long convergeMs, long maxSteps, Anomalies anomalies,
                 boolean checkDurability) {

    /** The core reports what should be impossible as a {@code ProtocolAnomaly} event. */
    enum Anomalies {
        /** Every anomaly is a violation. */
        STRICT,
        /** Anomalies are traced only: the Raft invariants alone must catch what went wrong. */
        IGNORE
    }

    static final int DEFAULT_TRACE_LINES = 30;

    SimConfig {
        bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
    }

    /** The run CI checks: 7 simulated seconds of faults, then heal and converge. */
    static SimConfig of(long seed) {
        return new SimConfig(seed, Set.of(), DEFAULT_TRACE_LINES, null, 7_000, 4_000, 3_000, 3_000_000,
                Anomalies.STRICT, true);
    }

    SimConfig withBugs(PlantedBug... planted) {
        return new SimConfig(seed, planted.length == 0 ? Set.of() : EnumSet.of(planted[0], planted),
                traceLines, echo, faultPhaseMs, progressMs, convergeMs, maxSteps, anomalies, checkDurability);
    }

    SimConfig withEcho(PrintStream out) {
        return new SimConfig(seed, bugs, traceLines, out, faultPhaseMs, progressMs, convergeMs, maxSteps,
                anomalies, checkDurability);
    }

    SimConfig withAnomalies(Anomalies policy) {
        return new SimConfig(seed, bugs, traceLines, echo, faultPhaseMs, progressMs, convergeMs, maxSteps,
                policy, checkDurability);
    }

    SimConfig withDurabilityCheck(boolean check) {
        return new SimConfig(seed, bugs, traceLines, echo, faultPhaseMs, progressMs, convergeMs, maxSteps,
                anomalies, check);
    }

    /** Only the Raft, ledger and client invariants: no durability check at crashes, core anomalies traced only. */
    SimConfig onlyRaftInvariants() {
        return withAnomalies(Anomalies.IGNORE).withDurabilityCheck(false);
    }

    boolean has(PlantedBug bug) {
        return bugs.contains(bug);
    }
}
