package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.Validation;
import dev.raftledger.raftctl.Inputs;
import java.time.LocalDate;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/** The selection options of {@code expense list}, {@code expense report} and {@code export}. */
final class FilterOptions {

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this category (exact match).")
    String category;

    @Option(names = "--payer", paramLabel = "NAME", description = "Only this payer (exact match).")
    String payer;

    @Option(names = "--from", paramLabel = "DATE", description = "Only on or after this date, yyyy-MM-dd.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "Only on or before this date, yyyy-MM-dd.")
    String to;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "Only where the description or category contains TEXT (case ignored).")
    String text;

    @Option(names = "--stale", description = "Let any node answer from its own applied state, which may lag"
            + " the leader's (the output says by how much). Default: the leader answers.")
    boolean stale;

    /** The filter, every value checked by the ledger's rules; a bad one is a usage error. */
    ExpenseFilter filter(CommandLine cl) {
        String c = category == null ? null : Inputs.check(cl, "--category", () -> Validation.category(category));
        String p = payer == null ? null : Inputs.check(cl, "--payer", () -> Validation.payer(payer));
        LocalDate f = from == null ? null : Inputs.check(cl, "--from", () -> Validation.date(from));
        LocalDate t = to == null ? null : Inputs.check(cl, "--to", () -> Validation.date(to));
        String x = text == null ? null
                : Inputs.check(cl, "--text", () -> Validation.text("text", text, 0, Validation.MAX_DESCRIPTION_LENGTH));
        if (f != null && t != null && f.isAfter(t)) {
            throw new ParameterException(cl, "--from " + f + " is after --to " + t);
        }
        return new ExpenseFilter(c, p, f, t, x, 0, ExpenseFilter.NO_LIMIT);
    }
}
