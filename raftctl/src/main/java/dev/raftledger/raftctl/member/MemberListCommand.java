package dev.raftledger.raftctl.member;

import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.MemberClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member list}: the configuration in force, from the leader (MEMBERS). */
@Command(name = "list", aliases = "ls", 
        description = {"Show the members: name, host, role (voter or learner) and, from the",
                "leader, how far each has caught up (MATCH, LAG: entries behind the",
                "leader's log, HEARD: since it last answered) and the release each runs",
                "(VERSION, from its STATUS). Asks the leader, or --node.",
                "Exit status 1 if there is no leader or the node does not answer."})
final class MemberListCommand implements Callable<Integer> {

    @ParentCommand
    MemberCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "NODE", description = "Ask this node (its own view). Default: the leader.")
    String node;

    @Override
    public Integer call() {
        Session session = parent.root.session();
        NodeAddress target = node == null ? null : session.node(node, spec.commandLine());
        try {
            MemberClient client = new MemberClient(session);
            MemberClient.Listing listing = client.list(target);
            MemberOutput.list(session, listing, client.versions(listing.members()));
            return ExitCode.OK;
        } catch (LeaderRouter.Failure f) {
            session.error("member list: " + f.getMessage());
            return ExitCode.SOFTWARE;
        }
    }
}
