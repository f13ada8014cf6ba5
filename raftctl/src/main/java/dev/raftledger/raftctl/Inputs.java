package dev.raftledger.raftctl;

import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.Money;
import dev.raftledger.common.ledger.Validation;
import java.time.LocalDate;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * Ledger input checked on this side with the ledger's own rules ({@link Validation}), so that
 * a bad value is a usage error (exit status 2) and nothing is sent.
 */
public final class Inputs {

    private Inputs() {}

    /** A value that cannot be checked now; the check throws the ledger's refusal. */
    @FunctionalInterface
    public interface Check<T> {
        T get() throws LedgerException;
    }

    /**
     * The checked value, or a usage error naming the option: "--amount: must be greater than 0,
     * got -5". {@code option} null: the option named by the refusal's field ("--" + field).
     */
    public static <T> T check(CommandLine cl, String option, Check<T> check) {
        try {
            return check.get();
        } catch (LedgerException e) {
            throw usage(cl, option, e);
        }
    }

    static ParameterException usage(CommandLine cl, String option, LedgerException e) {
        String message = e.getMessage();
        String name = option != null ? option : e.field() != null ? "--" + e.field() : null;
        if (e.field() != null && message.startsWith(e.field() + ": ")) {
            message = message.substring(e.field().length() + 2);
        }
        return new ParameterException(cl, name == null ? message : name + ": " + message);
    }

    /** A new expense from its parts as text; {@code date} null or blank: today. */
    public static ExpenseDraft draft(String amount, String currency, String category, String description, String payer,
                              String date) throws LedgerException {
        Money money = Validation.money(amount, currency);
        String c = Validation.category(category);
        String d = Validation.description(description);
        String p = Validation.payer(payer);
        LocalDate day = date == null ? Validation.date(LocalDate.now()) : Validation.date(date);
        return Validation.draft(new ExpenseDraft(money, c, d, p, day));
    }
}
