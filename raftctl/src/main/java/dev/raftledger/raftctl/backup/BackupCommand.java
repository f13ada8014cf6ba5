package dev.raftledger.raftctl.backup;

import dev.raftledger.raftctl.RaftctlCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl backup ...}: backups of the replicated state. Only a holder of its subcommands. */
@Command(name = "backup",
        description = {"Save a consistent copy of the replicated state (the ledger, its sessions,",
                "the STOREs and the members) to a file, or check and describe one. A backup is",
                "restored into new data dirs with raftd restore (docs/install.md)."},
        subcommands = {BackupSaveCommand.class, BackupInspectCommand.class})
public final class BackupCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; backup subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
