package dev.raftledger.raftctl.cluster;

import dev.raftledger.common.wire.ControllerRequest;
import picocli.CommandLine.Command;

/** {@code raftctl timeout NODE}. */
@Command(name = "timeout",
        description = {"Fire NODE's election timer now, starting an election.",
                "NODE becomes candidate in the next term and asks for votes (a leader",
                "too). Sent once. Exit status 1 if NODE does not answer."})
public final class TimeoutCommand extends NodeCommand {

    @Override
    ControllerRequest request() {
        return ControllerRequest.TIMEOUT;
    }

    @Override
    String done() {
        return "started an election";
    }
}
