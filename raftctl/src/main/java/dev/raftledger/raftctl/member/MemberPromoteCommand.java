package dev.raftledger.raftctl.member;

import dev.raftledger.common.wire.ControllerRequest;
import picocli.CommandLine.Command;

/** {@code raftctl member promote NAME}: a learner made a voter (MEMBER_PROMOTE). */
@Command(name = "promote",
        description = {"Make learner NAME a voter. The leader refuses (NOT_READY) until NAME has",
                "caught up (at most 100 entries behind, and answering); --wait asks again",
                "until then. Sent to the leader; answered when the change commits. Exit",
                "status 1 if refused, no leader, or the outcome is unknown."})
final class MemberPromoteCommand extends MemberChangeCommand {

    @Override
    String request() {
        return ControllerRequest.MEMBER_PROMOTE.name();
    }
}
