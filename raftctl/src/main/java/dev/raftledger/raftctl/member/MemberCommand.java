package dev.raftledger.raftctl.member;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.MemberClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member ...}: the cluster's membership. Only a holder of its subcommands. */
@Command(name = "member",
        description = {"List, add, promote and remove members, one at a time, while the cluster",
                "serves: a new node joins as a learner (raftd --join), catches up, and is",
                "then promoted to a voter. Changes go to the leader, once each, and are",
                "answered when committed."},
        subcommands = {MemberListCommand.class, MemberAddCommand.class, MemberPromoteCommand.class,
                MemberRemoveCommand.class, MemberSurvivorsCommand.class})
public final class MemberCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; member subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * What add, promote and remove share: {@code request} with {@code value} to the leader,
     * sent once (asked again only while it says NOT_READY or CHANGE_IN_PROGRESS, within the
     * wait), and its outcome printed; the exit status.
     */
    int change(String request, String name, ObjectNode value, Duration wait) {
        Session session = root.session();
        try {
            MemberOutput.changed(session, new MemberClient(session).change(request, value, wait));
            return ExitCode.OK;
        } catch (LeaderRouter.Failure f) {
            MemberOutput.failed(session, request, name, f);
            return ExitCode.SOFTWARE;
        }
    }

    /** A member's name as a usage error (nothing sent) if it is not a valid one. */
    static void checkName(CommandSpec spec, String name) {
        try {
            ClusterConfig.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
