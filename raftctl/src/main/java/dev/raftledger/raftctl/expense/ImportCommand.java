package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.raftctl.ClientState;
import dev.raftledger.raftctl.Inputs;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.ProgressDisplay;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl import FILE.csv}: each row an {@code expense add}, with its own sequence
 * number and the same exactly-once retries. Invalid rows are reported and skipped, never sent.
 */
@Command(name = "import",
        description = {"Add every row of a CSV file as an expense.",
                "The header names the columns, in any order:",
                "date,amount,currency,category,payer,description",
                "(description optional; the id, created_by and updated_by columns",
                "export writes are ignored: the importer's identity is recorded).",
                "Rows the ledger's rules refuse are reported with their line number and",
                "skipped, not sent. If the cluster stops answering, or refuses the",
                "credential (FORBIDDEN), the import stops at that row. Exit status 1 if any row was skipped or not sent; 2 if the",
                "file cannot be read or its header is wrong (nothing sent)."})
public final class ImportCommand implements Callable<Integer> {

    static final List<String> REQUIRED = List.of("date", "amount", "currency", "category", "payer");
    /** Optional columns; all but description are what export writes and are ignored. */
    static final List<String> OPTIONAL = List.of("description", "id", "created_by", "updated_by");

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A CSV file in UTF-8.")
    Path file;

    @Option(names = "--progress-every", paramLabel = "N", defaultValue = "100",
            description = "When stderr is a terminal (and not with --json), redraw a progress line there every N rows: "
                    + "rows done, rate, time left. Default: 100")
    int progressEvery;

    @Override
    public Integer call() {
        if (progressEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--progress-every must be at least 1, not " + progressEvery);
        }
        List<Csv.Row> rows = read();
        Map<String, Integer> columns = header(rows.get(0));
        Session session = root.session();
        ImportSummary summary = run(session, rows.subList(1, rows.size()), columns);
        if (session.json()) {
            JsonOutput.print(session.out(), ExpenseJson.imported(summary));
        } else {
            print(session.out(), summary);
        }
        return summary.skipped().isEmpty() && summary.stoppedAt() == null ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private ImportSummary run(Session session, List<Csv.Row> rows, Map<String, Integer> columns) {
        ClientState client = session.clientState();
        LedgerClient ledger = session.ledger();
        List<String> ids = new ArrayList<>();
        List<ImportSummary.Skipped> skipped = new ArrayList<>();
        Integer stoppedAt = null;
        int notSent = 0;
        ProgressDisplay progress = ProgressDisplay.forSession(session, "import");
        for (int r = 0; r < rows.size(); r++) {
            Csv.Row row = rows.get(r);
            if (progress != null && r > 0 && r % progressEvery == 0) {
                progress.count(r, rows.size(), "rows");
            }
            ExpenseDraft draft;
            try {
                draft = draft(row, columns);
            } catch (LedgerException e) {
                skipped.add(new ImportSummary.Skipped(row.line(), e.getMessage()));
                continue;
            }
            long seq = client.nextSeq();
            LedgerCommand command = new LedgerCommand.Add(client.clientId(), seq, draft);
            try {
                LedgerClient.Written w = ledger.write(command);
                if (w.result().ok()) {
                    ids.add(w.result().id());
                } else {
                    skipped.add(new ImportSummary.Skipped(row.line(), w.result().error() + ": " + w.result().message()));
                }
            } catch (LeaderRouter.Failure f) {
                skipped.add(new ImportSummary.Skipped(row.line(), f.getMessage() + ExpenseWrites.retryHint(f, command)));
                // a refusal for this row alone lets the next go; FORBIDDEN would refuse every one
                if (f.kind() != LeaderRouter.Failure.Kind.REFUSED
                        || dev.raftledger.common.wire.ControllerError.FORBIDDEN.name().equals(f.code())) {
                    stoppedAt = row.line();
                    notSent = rows.size() - r - 1;
                    break;
                }
            }
        }
        if (progress != null) {
            progress.finish();
        }
        return new ImportSummary(file.toString(), rows.size(), ids.size(), List.copyOf(ids), List.copyOf(skipped), stoppedAt,
                notSent, client.clientId());
    }

    private static ExpenseDraft draft(Csv.Row row, Map<String, Integer> columns) throws LedgerException {
        if (row.fields().size() != columns.size()) {
            throw LedgerException.invalid(null, "has " + row.fields().size() + " field"
                    + (row.fields().size() == 1 ? "" : "s") + ", the header has " + columns.size());
        }
        Integer description = columns.get("description");
        String date = row.fields().get(columns.get("date"));
        if (date.isBlank()) {
            throw LedgerException.invalid("date", "is required");
        }
        return Inputs.draft(row.fields().get(columns.get("amount")), row.fields().get(columns.get("currency")),
                row.fields().get(columns.get("category")),
                description == null ? null : row.fields().get(description),
                row.fields().get(columns.get("payer")), date);
    }

    private List<Csv.Row> read() {
        String text;
        try {
            // strict: a file in another encoding is refused rather than imported with replacement characters
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw usage("no such file: " + file);
        } catch (CharacterCodingException e) {
            throw usage(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (Csv.CsvException e) {
            throw usage(file + ": " + e.getMessage() + "; nothing was sent");
        }
        if (rows.isEmpty()) {
            throw usage(file + " is empty; expected a header: " + String.join(",", REQUIRED) + ",description");
        }
        return rows;
    }

    /** Column name -> index. Every required column once; nothing unknown. */
    private Map<String, Integer> header(Csv.Row header) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip().toLowerCase(Locale.ROOT);
            if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
                throw usage(file + " line " + header.line() + ": unknown column '" + header.fields().get(i)
                        + "'; the header is " + String.join(",", REQUIRED) + ",description (nothing was sent)");
            }
            if (columns.put(name, i) != null) {
                throw usage(file + " line " + header.line() + ": column '" + name + "' appears twice (nothing was sent)");
            }
        }
        List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw usage(file + " line " + header.line() + ": the header lacks " + String.join(", ", missing)
                    + "; expected " + String.join(",", REQUIRED) + ",description (nothing was sent)");
        }
        return columns;
    }

    static void print(PrintWriter out, ImportSummary s) {
        out.println("imported " + s.imported() + ", skipped " + s.skipped().size() + " of " + s.rows() + " row"
                + (s.rows() == 1 ? "" : "s") + " from " + s.file());
        for (ImportSummary.Skipped k : s.skipped()) {
            out.println("  line " + k.line() + ": " + k.error());
        }
        if (s.stoppedAt() != null) {
            out.println("stopped at line " + s.stoppedAt() + ": " + s.notSent() + " later row"
                    + (s.notSent() == 1 ? " was" : "s were") + " not sent");
        }
        out.flush();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
