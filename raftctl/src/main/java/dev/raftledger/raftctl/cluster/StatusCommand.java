package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.ClusterStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/**
 * {@code raftctl status}: one STATUS round to every node, as a table or JSON. Exit status 1 when
 * any member did not answer (the whole table is printed all the same), so that scripts can ask
 * whether the cluster is whole.
 */
@Command(name = "status",
        description = {"Show every node's state, term, leader and heartbeat age.",
                "Asks all nodes at once. Exit status 1 if any node does not answer",
                "(the whole table is shown all the same)."})
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Override
    public Integer call() {
        Session session = root.session();
        ClusterStatus status = ClusterStatus.fetch(session);
        if (session.json()) {
            JsonOutput.print(session.out(), ClusterJson.status(status));
        } else {
            StatusTable.print(status, session.out());
            session.out().flush();
        }
        return status.allReachable() ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}
