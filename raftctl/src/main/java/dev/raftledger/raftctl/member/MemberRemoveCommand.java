package dev.raftledger.raftctl.member;

import dev.raftledger.common.wire.ControllerRequest;
import picocli.CommandLine.Command;

/** {@code raftctl member remove NAME}: a member taken out (MEMBER_REMOVE). */
@Command(name = "remove",
        description = {"Remove NAME, voter or learner (the leader too: it steps down once the",
                "change commits, handing over to a caught-up voter). Refused if it is the",
                "last voter (LAST_VOTER), or if the voters left that answer could not make",
                "a majority (NO_QUORUM). Stop the node afterwards. Sent to the leader;",
                "answered when the change commits. Exit status 1 if refused, no leader, or",
                "the outcome is unknown."})
final class MemberRemoveCommand extends MemberChangeCommand {

    @Override
    String request() {
        return ControllerRequest.MEMBER_REMOVE.name();
    }
}
