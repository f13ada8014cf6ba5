package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.ProgressDisplay;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl export}: every selected expense, as CSV or a JSON array, on stdout. */
@Command(name = "export",
        description = {"Write the selected expenses to stdout as CSV or JSON.",
                "By date then creation: CSV (header id,date,amount,currency,category,",
                "payer,description, then created_by,updated_by if any expense records",
                "who wrote it; import reads it back) or a JSON array of expenses.",
                "Pages through them all; nothing is written unless every page arrives.",
                "Exit status 1 if no node can answer in time."})
public final class ExportCommand implements Callable<Integer> {

    static final List<String> CSV_HEADER = List.of("id", "date", "amount", "currency", "category", "payer", "description");
    /**
     * The columns added after {@link #CSV_HEADER} when any exported expense records who wrote it
     * (empty where unknown); a ledger without writers exports the columns it always did.
     */
    static final List<String> CSV_WRITERS = List.of("created_by", "updated_by");

    /** The values of --format, for help and Tab completion. */
    static final class Formats extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Formats() {
            super(List.of("csv", "json"));
        }
    }

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Formats.class,
            description = "csv or json. Default: csv, or json with --json.")
    String format;

    @Mixin
    FilterOptions filters;

    @Override
    public Integer call() {
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw new ParameterException(spec.commandLine(), "--format must be csv or json, not '" + format + "'");
        }
        ExpenseFilter filter = filters.filter(spec.commandLine());
        Session session = root.session();
        boolean json = format != null ? format.equals("json") : session.json();
        LedgerClient.Listing listing;
        ProgressDisplay progress = ProgressDisplay.forSession(session, "export");
        try {
            listing = session.ledger().list(filter, Integer.MAX_VALUE, filters.stale,
                    progress == null ? (done, total) -> { } : (done, total) -> progress.count(done, total, "expenses"));
        } catch (LeaderRouter.Failure f) {
            if (progress != null) {
                progress.finish();
            }
            session.error("export: " + f.getMessage() + "; nothing was written");
            return ExitCode.SOFTWARE;
        }
        if (progress != null) {
            progress.finish();
        }
        PrintWriter out = session.out();
        if (json) {
            out.println(Codec.toJson(ExpenseJson.expenses(listing.expenses())));
        } else {
            boolean writers = Writers.any(listing.expenses());
            List<String> header = new ArrayList<>(CSV_HEADER);
            if (writers) {
                header.addAll(CSV_WRITERS);
            }
            out.println(Csv.line(header));
            for (Expense e : listing.expenses()) {
                List<String> row = new ArrayList<>(List.of(e.id(), e.date().toString(), e.amount().amountText(),
                        e.amount().currencyCode(), e.category(), e.payer(), e.description()));
                if (writers) {
                    row.add(e.createdBy() == null ? "" : e.createdBy());
                    row.add(e.updatedBy() == null ? "" : e.updatedBy());
                }
                out.println(Csv.line(row));
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
