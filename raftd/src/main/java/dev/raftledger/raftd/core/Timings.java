package dev.raftledger.raftd.core;

/**
 * The core's clock settings in milliseconds. The seed's: heartbeats every 100 ms, election
 * timeouts drawn uniformly from [200, 300] ms at every reset.
 */
public record Timings(long heartbeatMs, long electionMinMs, long electionMaxMs) {

    public static final Timings SEED = new Timings(100, 200, 300);

    public Timings {
        if (heartbeatMs <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
        if (electionMinMs <= heartbeatMs) {
            throw new IllegalArgumentException("election timeout (" + electionMinMs
                    + " ms) must be longer than the heartbeat interval (" + heartbeatMs + " ms)");
        }
        if (electionMaxMs < electionMinMs) {
            throw new IllegalArgumentException("election timeout range is empty: "
                    + electionMinMs + "-" + electionMaxMs + " ms");
        }
    }
}
