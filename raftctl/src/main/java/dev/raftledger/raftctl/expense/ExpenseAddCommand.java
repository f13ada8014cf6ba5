package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.raftctl.Inputs;
import dev.raftledger.raftctl.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense add}. */
@Command(name = "add",
        description = {"Add an expense.",
                "Checked here first (a bad value: exit status 2, nothing sent), then",
                "sent to the leader and retried with the same client id and sequence",
                "number until it answers: applied exactly once.",
                "Exit status 1 if the ledger refuses it or no answer comes in time."})
final class ExpenseAddCommand implements Callable<Integer> {

    @ParentCommand
    ExpenseCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--amount", required = true, paramLabel = "AMOUNT",
            description = "A positive decimal such as 12.50 (no sign, exponent or separators).")
    String amount;

    @Option(names = "--currency", required = true, paramLabel = "CODE", description = "ISO 4217 code, e.g. EUR.")
    String currency;

    @Option(names = "--category", required = true, paramLabel = "CATEGORY")
    String category;

    @Option(names = "--description", paramLabel = "TEXT", description = "Default: empty.")
    String description;

    @Option(names = "--payer", required = true, paramLabel = "NAME")
    String payer;

    @Option(names = "--date", paramLabel = "DATE", description = "yyyy-MM-dd. Default: today.")
    String date;

    @Override
    public Integer call() {
        ExpenseDraft draft = Inputs.check(spec.commandLine(), null,
                () -> Inputs.draft(amount, currency, category, description, payer, date));
        Session session = parent.root.session();
        String client = session.clientState().clientId();
        return ExpenseWrites.submit(session, "add", seq -> new LedgerCommand.Add(client, seq, draft));
    }
}
