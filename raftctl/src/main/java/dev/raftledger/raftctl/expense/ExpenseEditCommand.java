package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ExpenseChanges;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.Validation;
import dev.raftledger.raftctl.Inputs;
import dev.raftledger.raftctl.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense edit ID}. */
@Command(name = "edit",
        description = {"Change fields of an expense.",
                "The fields not given stay as they are. --amount and --currency go",
                "together; --description \"\" clears the description.",
                "Exit status 1 if there is no such expense or no answer comes in time."})
final class ExpenseEditCommand implements Callable<Integer> {

    @ParentCommand
    ExpenseCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The expense's id, e.g. E12.")
    String id;

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "With --currency.")
    String amount;

    @Option(names = "--currency", paramLabel = "CODE", description = "With --amount.")
    String currency;

    @Option(names = "--category", paramLabel = "CATEGORY")
    String category;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--payer", paramLabel = "NAME")
    String payer;

    @Option(names = "--date", paramLabel = "DATE", description = "yyyy-MM-dd.")
    String date;

    @Override
    public Integer call() {
        String expenseId = Inputs.check(spec.commandLine(), "ID", () -> Validation.expenseId(id));
        if ((amount == null) != (currency == null)) {
            throw new ParameterException(spec.commandLine(), amount == null
                    ? "--currency needs --amount: amount and currency change together"
                    : "--amount needs --currency: amount and currency change together");
        }
        ExpenseChanges changes = new ExpenseChanges(
                amount == null ? null : Inputs.check(spec.commandLine(), null, () -> Validation.money(amount, currency)),
                category == null ? null : Inputs.check(spec.commandLine(), null, () -> Validation.category(category)),
                description == null ? null : Inputs.check(spec.commandLine(), null, () -> Validation.description(description)),
                payer == null ? null : Inputs.check(spec.commandLine(), null, () -> Validation.payer(payer)),
                date == null ? null : Inputs.check(spec.commandLine(), null, () -> Validation.date(date)));
        if (changes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to change: give at least one of --amount with"
                    + " --currency, --category, --description, --payer, --date");
        }
        Session session = parent.root.session();
        String client = session.clientState().clientId();
        return ExpenseWrites.submit(session, "edit " + expenseId,
                seq -> new LedgerCommand.Edit(client, seq, expenseId, changes));
    }
}
