package dev.raftledger.raftctl.cluster;

import dev.raftledger.common.wire.ControllerRequest;
import picocli.CommandLine.Command;

/** {@code raftctl convert-follower NODE}. */
@Command(name = "convert-follower",
        description = {"Make NODE step down to follower, keeping its term.",
                "A follower stays as it is. Sent once. Exit status 1 if NODE does",
                "not answer."})
public final class ConvertFollowerCommand extends NodeCommand {

    @Override
    ControllerRequest request() {
        return ControllerRequest.CONVERT_FOLLOWER;
    }

    @Override
    String done() {
        return "was told to step down";
    }
}
