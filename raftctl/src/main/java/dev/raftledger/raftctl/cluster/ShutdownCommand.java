package dev.raftledger.raftctl.cluster;

import dev.raftledger.common.wire.ControllerRequest;
import picocli.CommandLine.Command;

/** {@code raftctl shutdown NODE}, also {@code kill NODE}. */
@Command(name = "shutdown", aliases = "kill",
        description = {"Stop NODE: it replies, closes its sockets and exits.",
                "Sent once. Exit status 1 if NODE does not answer."})
public final class ShutdownCommand extends NodeCommand {

    @Override
    ControllerRequest request() {
        return ControllerRequest.SHUTDOWN;
    }

    @Override
    String done() {
        return "is shutting down";
    }
}
