package dev.raftledger.raftd.sim;

import java.util.List;

/**
 * The outcome of one run: its first violation (null if none), the trace leading to it, what the
 * run did, and a fingerprint of everything that happened (equal for a replay of the same seed).
 */
record SimResult(SimConfig config, Violation violation, List<String> trace, SimStats stats, long fingerprint) {

    long seed() {
        return config.seed();
    }

    boolean ok() {
        return violation == null;
    }

    /** The replay command for this run (the flags restore any setting that differs from {@link SimConfig#of}). */
    String replay() {
        SimConfig standard = SimConfig.of(seed());
        return "mvn -pl raftd test -Dtest=SimulationTest -Dsim.seed=" + seed()
                + (config.bugs().isEmpty() ? "" : " -Dsim.bugs="
                        + String.join(",", config.bugs().stream().map(Enum::name).sorted().toList()))
                + (config.anomalies() == standard.anomalies() ? "" : " -Dsim.anomalies=" + config.anomalies())
                + (config.checkDurability() == standard.checkDurability() ? "" : " -Dsim.durability=" + config.checkDurability());
    }

    /** What a failure prints: the seed, the check, the last trace lines, how to replay. */
    String report() {
        if (ok()) {
            return "seed " + seed() + ": ok";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("SIMULATION FAILED: seed ").append(seed());
        if (!config.bugs().isEmpty()) {
            sb.append(" (planted bugs ").append(config.bugs()).append(')');
        }
        sb.append("\n  check: ").append(violation.check())
                .append("\n  at t=").append(violation.time()).append(" ms: ").append(violation.getMessage())
                .append("\n  last ").append(trace.size()).append(" trace lines:");
        for (String line : trace) {
            sb.append("\n    ").append(line);
        }
        sb.append("\n  replay: ").append(replay());
        return sb.toString();
    }
}
