package dev.raftledger.raftctl.expense;

import dev.raftledger.raftctl.RaftctlCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense ...}: the expenses ledger. Only a holder of its subcommands. */
@Command(name = "expense",
        description = {"Add, edit, delete, list and total expenses.",
                "Writes carry this process's client id and a new sequence number and",
                "are retried with the same ones until the leader answers, so each is",
                "applied exactly once."},
        subcommands = {ExpenseAddCommand.class, ExpenseEditCommand.class, ExpenseRmCommand.class,
                ExpenseListCommand.class, ExpenseReportCommand.class})
public final class ExpenseCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; expense subcommands: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
