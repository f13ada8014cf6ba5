package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense list}. */
@Command(name = "list", aliases = "ls", 
        description = {"List expenses as a table.",
                "By date then creation: ID DATE AMOUNT CURRENCY CATEGORY PAYER",
                "DESCRIPTION, with a BY column (who added it, and who last edited it",
                "if someone else) before DESCRIPTION when any listed expense records",
                "it (a cluster with keys). Pages through every match (a node answers",
                "at most a datagram's worth at a time). Exit status 1 if no node can",
                "answer in time."})
final class ExpenseListCommand implements Callable<Integer> {

    static final List<String> HEADINGS = List.of("ID", "DATE", "AMOUNT", "CURRENCY", "CATEGORY", "PAYER", "DESCRIPTION");
    /** {@link #HEADINGS} with BY, when any listed expense records who wrote it. */
    static final List<String> HEADINGS_BY = List.of("ID", "DATE", "AMOUNT", "CURRENCY", "CATEGORY", "PAYER", "BY",
            "DESCRIPTION");

    @ParentCommand
    ExpenseCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    FilterOptions filters;

    @Option(names = "--limit", paramLabel = "N", description = "At most N expenses. Default: all.")
    Integer limit;

    @Override
    public Integer call() {
        ExpenseFilter filter = filters.filter(spec.commandLine());
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        Session session = parent.root.session();
        LedgerClient.Listing listing;
        try {
            listing = session.ledger().list(filter, limit == null ? Integer.MAX_VALUE : limit, filters.stale);
        } catch (LeaderRouter.Failure f) {
            session.error("expense list: " + f.getMessage());
            return ExitCode.SOFTWARE;
        }
        if (session.json()) {
            JsonOutput.print(session.out(), ExpenseJson.listing(listing));
        } else {
            print(session.out(), listing);
        }
        return ExitCode.OK;
    }

    static void print(PrintWriter out, LedgerClient.Listing listing) {
        boolean by = Writers.any(listing.expenses());
        List<List<String>> rows = new ArrayList<>();
        for (Expense e : listing.expenses()) {
            rows.add(by ? List.of(e.id(), e.date().toString(), e.amount().amountText(), e.amount().currencyCode(),
                    e.category(), e.payer(), Writers.cell(e), e.description())
                    : List.of(e.id(), e.date().toString(), e.amount().amountText(), e.amount().currencyCode(),
                    e.category(), e.payer(), e.description()));
        }
        if (!rows.isEmpty()) {
            Table.print(out, by ? HEADINGS_BY : HEADINGS, rows, Set.of(2));
        }
        int n = listing.expenses().size();
        String count = n == listing.total() ? n + " expense" + (n == 1 ? "" : "s")
                : n + " of " + listing.total() + " expenses";
        out.println((n == 0 ? "no expenses" : count) + "; " + Texts.source(listing.node(), listing.stale(),
                listing.appliedIndex(), listing.commitIndex()));
        out.flush();
    }
}
