package dev.raftledger.raftctl.member;

import dev.raftledger.raftctl.client.MemberClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The base of {@code member promote} and {@code member remove}: one change naming one member,
 * sent to the leader (with {@code --wait}, asked again while it is refused for a reason that
 * passes). Each subclass names its request and describes itself.
 */
abstract class MemberChangeCommand implements Callable<Integer> {

    @ParentCommand
    MemberCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    MemberWait wait;

    @Parameters(index = "0", paramLabel = "NAME", description = "The member.")
    String name;

    /** The request this command sends, MEMBER_PROMOTE or MEMBER_REMOVE. */
    abstract String request();

    @Override
    public Integer call() {
        MemberCommand.checkName(spec, name);
        return parent.change(request(), name, MemberClient.named(name), wait.duration(spec));
    }
}
