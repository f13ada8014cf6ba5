package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.Validation;
import dev.raftledger.raftctl.Inputs;
import dev.raftledger.raftctl.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense rm ID}. */
@Command(name = "rm", aliases = "delete", 
        description = {"Delete an expense.",
                "Its id is never used again.",
                "Exit status 1 if there is no such expense or no answer comes in time."})
final class ExpenseRmCommand implements Callable<Integer> {

    @ParentCommand
    ExpenseCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The expense's id, e.g. E12.")
    String id;

    @Override
    public Integer call() {
        String expenseId = Inputs.check(spec.commandLine(), "ID", () -> Validation.expenseId(id));
        Session session = parent.root.session();
        String client = session.clientState().clientId();
        return ExpenseWrites.submit(session, "rm " + expenseId, seq -> new LedgerCommand.Delete(client, seq, expenseId));
    }
}
