package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ErrorCode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.Validation;
import dev.raftledger.raftctl.ClientState;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.util.function.LongFunction;
import picocli.CommandLine.ExitCode;

/**
 * Sends one ledger write of {@code expense add/edit/rm} and reports it. The write takes a new
 * sequence number here, once; every retry inside the {@link LeaderRouter} resends it unchanged.
 */
final class ExpenseWrites {

    private ExpenseWrites() {}

    /**
     * @param verb what the user asked, for messages ("add", "edit E3", "rm E3")
     * @param make the command for this process's client id and the given sequence number
     * @return the exit status: 0 if the ledger applied it, 1 otherwise
     */
    static int submit(Session session, String verb, LongFunction<LedgerCommand> make) {
        ClientState client = session.clientState();
        long seq = client.nextSeq();
        LedgerCommand command;
        try {
            command = Validation.command(make.apply(seq));
        } catch (LedgerException e) {
            // the parts were checked already; only the client id or seq can be left
            session.error("expense " + verb + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        LedgerClient.Written written;
        try {
            written = session.ledger().write(command);
        } catch (LeaderRouter.Failure f) {
            if (session.json()) {
                JsonOutput.print(session.out(), ExpenseJson.writeFailure(f, command.clientId(), seq));
            }
            session.error("expense " + verb + ": " + f.getMessage() + retryHint(f, command));
            return ExitCode.SOFTWARE;
        }
        LedgerResult r = written.result();
        if (session.json()) {
            JsonOutput.print(session.out(), ExpenseJson.written(written, command.clientId(), seq));
        } else if (r.ok()) {
            session.out().println(done(command) + " " + r.id() + (r.expense() == null ? "" : ": " + describe(r.expense()))
                    + " (index " + Texts.orUnknown(written.index()) + ", term "
                    + Texts.orUnknown(written.term()) + ")");
            session.out().flush();
        }
        if (!r.ok()) {
            session.error("expense " + verb + " refused: " + r.error() + ": " + r.message() + expiredHint(r, command));
            return ExitCode.SOFTWARE;
        }
        return ExitCode.OK;
    }

    /**
     * What SESSION_EXPIRED means for the user: the ledger forgot this client, so it cannot say
     * whether an earlier send of the write took effect; this one did not.
     */
    static String expiredHint(LedgerResult r, LedgerCommand command) {
        if (r.error() != ErrorCode.SESSION_EXPIRED) {
            return "";
        }
        return ". The cluster forgot client " + command.clientId() + " (raftd --session-ttl, a day by default),"
                + " so it cannot tell whether the write took effect before. Look with `raftctl expense list`;"
                + " if it is not there, write it again with a new client id (a new raftctl, or --client-id NEW"
                + " in the shell)";
    }

    /** How to repeat a write of unknown outcome so that it still applies at most once. */
    static String retryHint(LeaderRouter.Failure f, LedgerCommand command) {
        if (f.kind() != LeaderRouter.Failure.Kind.OUTCOME_UNKNOWN && f.kind() != LeaderRouter.Failure.Kind.INTERRUPTED) {
            return "";
        }
        return ". To retry it exactly once, repeat the command with --client-id " + command.clientId()
                + " --seq " + command.seq();
    }

    private static String done(LedgerCommand command) {
        if (command instanceof LedgerCommand.Add) {
            return "added";
        }
        return command instanceof LedgerCommand.Edit ? "edited" : "deleted";
    }

    /** "2026-11-25 12.50 EUR food, paid by ana: lunch". */
    static String describe(Expense e) {
        return e.date() + " " + e.amount() + " " + e.category() + ", paid by " + e.payer()
                + (e.description().isEmpty() ? "" : ": " + e.description());
    }
}
