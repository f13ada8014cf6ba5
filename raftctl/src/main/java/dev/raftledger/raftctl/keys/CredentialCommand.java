package dev.raftledger.raftctl.keys;

import dev.raftledger.raftctl.RaftctlCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl credential ...}: operators' credentials. Only a holder of its subcommands. */
@Command(name = "credential",
        description = {"Make operators' credentials.",
                "A credential is a name, a role (viewer, clerk, admin) and a secret that",
                "every node's operators file lists (docs/security.md, \"Identities and roles\")."},
        subcommands = {CredentialNewCommand.class})
public final class CredentialCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; credential subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
