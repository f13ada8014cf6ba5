package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderQuery;
import dev.raftledger.raftctl.client.LeaderView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/** {@code raftctl leader}: asks every node LEADER_INFO and reports the leader they agree on. */
@Command(name = "leader",
        description = {"Show the leader and its term, as named by the nodes that answer.",
                "Exit status 1 if no node answers, none knows a leader, or the",
                "answering nodes name different leaders."})
public final class LeaderCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Override
    public Integer call() {
        Session session = root.session();
        LeaderView view = LeaderQuery.ask(session, session.queries());
        if (session.json()) {
            JsonOutput.print(session.out(), ClusterJson.leader(view));
        } else if (view.leader() != null) {
            session.out().println(view.summary());
            session.out().flush();
        } else {
            session.error(view.summary());
        }
        return view.leader() != null ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}
