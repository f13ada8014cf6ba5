package dev.raftledger.raftctl.member;

import dev.raftledger.raftctl.Durations;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The member changes' {@code --wait DURATION}: ask again while the leader says "not yet". */
final class MemberWait {

    @Option(names = "--wait", paramLabel = "DURATION",
            description = "While the leader refuses with NOT_READY or CHANGE_IN_PROGRESS (nothing done: a learner "
                    + "still catching up, an earlier change not yet committed), ask again every 200 ms for up to "
                    + "DURATION: 500ms, 30s, 2m. Default: ask once.")
    String wait;

    /** The --wait duration, or null to ask once; a bad one is a usage error. */
    Duration duration(CommandSpec spec) {
        if (wait == null) {
            return null;
        }
        Duration d = Durations.parse(wait);
        if (d == null) {
            throw new ParameterException(spec.commandLine(),
                    "--wait must be a duration from 1ms to 24h such as 500ms, 30s or 2m, not '" + wait + "'");
        }
        return d;
    }
}
