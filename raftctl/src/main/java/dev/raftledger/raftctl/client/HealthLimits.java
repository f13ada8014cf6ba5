package dev.raftledger.raftctl.client;

import dev.raftledger.raftctl.Durations;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --max-lag} and {@code --max-silence} of {@code health} and {@code watch}: how far a
 * member may trail the leader before {@link ClusterHealth} calls it degraded.
 */
public final class HealthLimits {

    @Option(names = "--max-lag", paramLabel = "N",
            description = "A member whose applied index is more than N entries behind the leader's commit index is "
                    + "degraded (far behind). Default: 1000")
    Long maxLag;

    @Option(names = "--max-silence", paramLabel = "DURATION",
            description = "A member that has not heard a heartbeat for longer, or that the leader has not heard from "
                    + "for longer, is degraded (cut off): 500ms, 2s, 1m. Default: 1s")
    String maxSilence;

    /** Whether either option was given. */
    public boolean given() {
        return maxLag != null || maxSilence != null;
    }

    /** The limits given, the defaults for the others; a bad value is a usage error. */
    public ClusterHealth.Limits limits(CommandSpec spec) {
        long lag = ClusterHealth.Limits.DEFAULT.maxLag();
        if (maxLag != null) {
            if (maxLag < 0) {
                throw new ParameterException(spec.commandLine(), "--max-lag must be 0 or more entries, not " + maxLag);
            }
            lag = maxLag;
        }
        long silence = ClusterHealth.Limits.DEFAULT.maxSilenceMs();
        if (maxSilence != null) {
            Duration d = Durations.parse(maxSilence);
            if (d == null) {
                throw new ParameterException(spec.commandLine(),
                        "--max-silence must be a duration from 1ms to 24h such as 500ms, 2s or 1m, not '" + maxSilence
                                + "'");
            }
            silence = d.toMillis();
        }
        return new ClusterHealth.Limits(lag, silence);
    }
}
