package dev.raftledger.raftctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member ...}: the cluster's membership. Only a holder of its subcommands. */
@Command(name = "member", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"List, add, promote and remove members, one at a time, while the cluster",
                "serves: a new node joins as a learner (raftd --join), catches up, and is",
                "then promoted to a voter. Changes go to the leader, once each, and are",
                "answered when committed."},
        subcommands = {MemberListCommand.class, MemberAddCommand.class, MemberPromoteCommand.class,
                MemberRemoveCommand.class})
final class MemberCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; member subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
