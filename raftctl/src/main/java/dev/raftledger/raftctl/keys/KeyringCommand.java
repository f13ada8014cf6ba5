package dev.raftledger.raftctl.keys;

import dev.raftledger.raftctl.RaftctlCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl keyring ...}: the cluster's node keys. Only a holder of its subcommands. */
@Command(name = "keyring",
        description = {"Check the nodes' keyrings, or make a new node key.",
                "For rotating the cluster key (docs/security.md, \"Rotating the cluster key\")."},
        subcommands = {KeyringStatusCommand.class, KeyringNewCommand.class})
public final class KeyringCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; keyring subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
