package dev.raftledger.raftctl.member;

import dev.raftledger.raftctl.client.MemberClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member remove NAME}: a member taken out (MEMBER_REMOVE). */
@Command(name = "remove",
        description = {"Remove NAME, voter or learner (the leader too: it steps down once the",
                "change commits, handing over to a caught-up voter). Refused if it is the",
                "last voter (LAST_VOTER), or if the voters left that answer could not make",
                "a majority (NO_QUORUM). Stop the node afterwards. Sent to the leader;",
                "answered when the change commits. Exit status 1 if refused, no leader, or",
                "the outcome is unknown."})
final class MemberRemoveCommand implements Callable<Integer> {

    static final String REQUEST = "MEMBER_REMOVE";

    @ParentCommand
    MemberCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    MemberWait wait;

    @Parameters(index = "0", paramLabel = "NAME", description = "The member.")
    String name;

    @Override
    public Integer call() {
        MemberCommand.checkName(spec, name);
        return parent.change(REQUEST, name, MemberClient.named(name), wait.duration(spec));
    }
}
