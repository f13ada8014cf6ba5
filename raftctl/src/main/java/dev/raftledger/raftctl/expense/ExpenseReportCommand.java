package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.Totals;
import dev.raftledger.raftctl.Drawing;
import dev.raftledger.raftctl.Inputs;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl expense report --by category|month|payer [--chart]}. */
@Command(name = "report",
        description = {"Total expenses per group and currency.",
                "Amounts of different currencies are never added together. Exit",
                "status 1 if no node can answer in time."})
final class ExpenseReportCommand implements Callable<Integer> {

    /** The values of --by, for help and Tab completion. */
    static final class GroupNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        GroupNames() {
            super(List.of("category", "month", "payer"));
        }
    }

    @ParentCommand
    ExpenseCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--by", required = true, paramLabel = "GROUP", completionCandidates = GroupNames.class,
            description = "category, month (yyyy-MM) or payer.")
    String by;

    @Mixin
    FilterOptions filters;

    @Option(names = "--chart",
            description = {"Draw the totals as bars, one per group, scaled per currency (the largest",
                    "total of each fills the width): Unicode blocks on a terminal, '#' on a dumb",
                    "terminal or in a pipe. Not with --json."})
    boolean chart;

    @Override
    public Integer call() {
        GroupBy groupBy = Inputs.check(spec.commandLine(), "--by", () -> GroupBy.fromWire(by));
        ExpenseFilter filter = filters.filter(spec.commandLine());
        Session session = parent.root.session();
        if (chart && session.json()) {
            throw new ParameterException(spec.commandLine(),
                    "--chart draws for people and --json writes for programs: give one of them");
        }
        LedgerClient.TotalsReport report;
        try {
            report = session.ledger().totals(groupBy, filter, filters.stale);
        } catch (LeaderRouter.Failure f) {
            session.error("expense report: " + f.getMessage());
            return ExitCode.SOFTWARE;
        }
        if (session.json()) {
            JsonOutput.print(session.out(), ExpenseJson.totals(report));
        } else if (chart) {
            chart(session.out(), report, Drawing.of(parent.root.environment()));
        } else {
            print(session.out(), report);
        }
        return ExitCode.OK;
    }

    static void print(PrintWriter out, LedgerClient.TotalsReport report) {
        Totals t = report.totals();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, SortedMap<String, BigDecimal>> g : t.groups().entrySet()) {
            for (Map.Entry<String, BigDecimal> sum : g.getValue().entrySet()) {
                rows.add(List.of(g.getKey(), sum.getKey(), sum.getValue().toPlainString()));
            }
        }
        if (rows.isEmpty()) {
            out.println("no expenses; " + Texts.source(report.node(), report.stale(),
                    report.appliedIndex(), report.commitIndex()));
            out.flush();
            return;
        }
        Table.print(out, List.of(t.by().wireName().toUpperCase(Locale.ROOT), "CURRENCY", "TOTAL"), rows, Set.of(2));
        footer(out, report);
    }

    /** The totals as {@link BarChart} draws them, then the same last line as the table. */
    static void chart(PrintWriter out, LedgerClient.TotalsReport report, Drawing drawing) {
        if (report.totals().isEmpty()) {
            print(out, report);
            return;
        }
        BarChart.lines(report.totals(), drawing).forEach(out::println);
        footer(out, report);
    }

    private static void footer(PrintWriter out, LedgerClient.TotalsReport report) {
        List<String> overall = new ArrayList<>();
        report.totals().overall().forEach((code, sum) -> overall.add(sum.toPlainString() + " " + code));
        out.println("all: " + String.join(", ", overall) + "; " + Texts.source(report.node(),
                report.stale(), report.appliedIndex(), report.commitIndex()));
        out.flush();
    }
}
