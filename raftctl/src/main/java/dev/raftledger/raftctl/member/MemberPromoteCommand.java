package dev.raftledger.raftctl.member;

import dev.raftledger.raftctl.client.MemberClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member promote NAME}: a learner made a voter (MEMBER_PROMOTE). */
@Command(name = "promote",
        description = {"Make learner NAME a voter. The leader refuses (NOT_READY) until NAME has",
                "caught up (at most 100 entries behind, and answering); --wait asks again",
                "until then. Sent to the leader; answered when the change commits. Exit",
                "status 1 if refused, no leader, or the outcome is unknown."})
final class MemberPromoteCommand implements Callable<Integer> {

    static final String REQUEST = "MEMBER_PROMOTE";

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
