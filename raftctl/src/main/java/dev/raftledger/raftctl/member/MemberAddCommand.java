package dev.raftledger.raftctl.member;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftctl.client.MemberClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl member add NAME HOST}: a new learner (MEMBER_ADD). */
@Command(name = "add",
        description = {"Add NAME, listening at HOST on the cluster's ports, as a learner: it",
                "receives the log but does not vote. Start it first with raftd --join",
                "(--cluster: the members and itself). Then, once it has caught up:",
                "raftctl member promote NAME. Sent once to the leader; answered when the",
                "change commits. Exit status 1 if refused (ALREADY_MEMBER,",
                "CHANGE_IN_PROGRESS, ...), no leader, or the outcome is unknown."})
final class MemberAddCommand implements Callable<Integer> {

    @ParentCommand
    MemberCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    MemberWait wait;

    @Parameters(index = "0", paramLabel = "NAME", description = "The new member's name.")
    String name;

    @Parameters(index = "1", paramLabel = "HOST", description = "Its host name or address.")
    String host;

    @Override
    public Integer call() {
        MemberCommand.checkName(spec, name);
        try {
            ClusterConfig.checkHost(name, host);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ObjectNode value = MemberClient.named(name);
        value.put("host", host);
        return parent.change("MEMBER_ADD", name, value, wait.duration(spec));
    }
}
