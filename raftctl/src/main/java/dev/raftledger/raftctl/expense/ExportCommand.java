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
                "Reads one consistent view of the ledger (an export cursor on the",
                "leader) and writes rows as its pages arrive. Exit status 1 if no node",
                "can answer in time (nothing is written then), or if a page fails",
                "midway: what was written is incomplete, and stderr says so."})
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
        ProgressDisplay progress = ProgressDisplay.forSession(session, "export");
        PrintWriter out = session.out();
        Rows rows = new Rows(out, json, progress);
        Long streamed;
        try {
            streamed = session.ledger().export(filter, filters.stale, rows);
        } catch (LeaderRouter.Failure f) {
            finish(progress);
            session.error("export: " + f.getMessage() + "; nothing was written");
            return ExitCode.SOFTWARE;
        } catch (LedgerClient.ExportBroken b) {
            out.flush(); // what came is on stdout; a JSON array is left open, so no reader takes it for whole
            finish(progress);
            session.error("export: stopped after " + b.done() + " of " + b.total() + " expenses: " + b.getMessage()
                    + "; the output is incomplete (the rows written are from one consistent point): export again");
            return ExitCode.SOFTWARE;
        }
        if (streamed != null) {
            rows.end();
            finish(progress);
            return ExitCode.OK;
        }
        // a node without export cursors (a release before them): page by offset, all in memory,
        // and write nothing unless every page arrives, as raftctl always did with such nodes
        LedgerClient.Listing listing;
        try {
            listing = session.ledger().list(filter, Integer.MAX_VALUE, filters.stale,
                    progress == null ? (done, total) -> { } : (done, total) -> progress.count(done, total, "expenses"));
        } catch (LeaderRouter.Failure f) {
            finish(progress);
            session.error("export: " + f.getMessage() + "; nothing was written");
            return ExitCode.SOFTWARE;
        }
        finish(progress);
        rows.begin(listing.total(), Writers.any(listing.expenses()));
        rows.write(listing.expenses());
        rows.end();
        return ExitCode.OK;
    }

    private static void finish(ProgressDisplay progress) {
        if (progress != null) {
            progress.finish();
        }
    }

    /**
     * The export's output as pages arrive: CSV (header once, its writer columns decided by the
     * cursor's first reply) or one JSON array written item by item, the same bytes as the whole
     * array at once. Holds nothing but the page it is given.
     */
    private static final class Rows implements LedgerClient.ExportSink {
        private final PrintWriter out;
        private final boolean json;
        private final ProgressDisplay progress;
        private boolean writers;
        private boolean first = true;

        Rows(PrintWriter out, boolean json, ProgressDisplay progress) {
            this.out = out;
            this.json = json;
            this.progress = progress;
        }

        @Override
        public void begin(long total, boolean anyWriters) {
            writers = anyWriters;
            if (json) {
                out.print("[");
                return;
            }
            List<String> header = new ArrayList<>(CSV_HEADER);
            if (writers) {
                header.addAll(CSV_WRITERS);
            }
            out.println(Csv.line(header));
        }

        @Override
        public void page(List<Expense> expenses, long done, long total) {
            write(expenses);
            if (progress != null) {
                progress.count(done, total, "expenses");
            }
        }

        void write(List<Expense> expenses) {
            for (Expense e : expenses) {
                if (json) {
                    out.print(first ? "" : ",");
                    out.print(Codec.toJson(ExpenseJson.expense(e)));
                    first = false;
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(e.id(), e.date().toString(), e.amount().amountText(),
                        e.amount().currencyCode(), e.category(), e.payer(), e.description()));
                if (writers) {
                    row.add(e.createdBy() == null ? "" : e.createdBy());
                    row.add(e.updatedBy() == null ? "" : e.updatedBy());
                }
                out.println(Csv.line(row));
            }
        }

        void end() {
            if (json) {
                out.println("]");
            }
            out.flush();
        }
    }
}
