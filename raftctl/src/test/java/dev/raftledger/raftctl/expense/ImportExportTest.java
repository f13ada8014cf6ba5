package dev.raftledger.raftctl.expense;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.Environment;
import dev.raftledger.raftctl.FakeCluster;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImportExportTest extends FakeClusterTest {

    private static final String GOOD_AND_BAD = String.join("\n",
            "date,amount,currency,category,payer,description",
            "2026-11-25,12.50,EUR,food,ana,lunch",
            "2026-11-26,-3,EUR,food,ana,refund?",
            "2026-11-27,3.00,USD,coffee,bo,\"flat white, large\"",
            "2026-02-30,1,EUR,food,ana,no such day",
            "2026-11-28,7,EUR,food,ana",
            "2026-11-29,1000,JPY,food,bo,onigiri",
            "");

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node1", 7);
    }

    private Path write(String name, String text) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, text, UTF_8);
        return file;
    }

    @Test
    void goodRowsAreAddedBadOnesReportedAndNeverSent() throws Exception {
        Path file = write("in.csv", GOOD_AND_BAD);

        Run run = Run.of(home, cluster.args("import", file.toString()));

        assertEquals(1, run.code(), "rows were skipped: " + run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("imported 3, skipped 3 of 6 rows from " + file, lines.get(0));
        assertEquals("  line 3: amount: must be greater than 0, got -3", lines.get(1));
        assertEquals("  line 5: date: 2026-02-30 is not a valid calendar date", lines.get(2));
        assertEquals("  line 6: has 5 fields, the header has 6", lines.get(3));
        assertEquals(4, lines.size());
        assertEquals(3, cluster.received("EXPENSE").size(), "only the good rows were sent");
        List<Expense> stored = cluster.log().expenses();
        assertEquals(3, stored.size());
        assertEquals("flat white, large", stored.get(1).description());
    }

    @Test
    void eachRowIsANewWriteOfOneClient() throws Exception {
        Path file = write("in.csv", GOOD_AND_BAD);

        Run run = Run.of(home, cluster.args("--json", "--client-id", "imp", "import", file.toString()));

        JsonNode doc = Codec.readTree(run.out());
        assertEquals(3, doc.get("imported").asInt());
        assertEquals(6, doc.get("rows").asInt());
        assertEquals(3, doc.get("skipped").size());
        assertEquals(3, doc.get("skipped").get(0).get("line").asInt());
        assertTrue(doc.get("skipped").get(0).get("error").asText().startsWith("amount:"));
        assertEquals(List.of("E0", "E1", "E2"), List.of(doc.get("ids").get(0).asText(), doc.get("ids").get(1).asText(),
                doc.get("ids").get(2).asText()));
        assertTrue(doc.get("stopped_at").isNull());
        assertEquals(0, doc.get("not_sent").asInt());
        List<Long> seqs = cluster.received("EXPENSE").stream().map(m -> m.value().get("seq").asLong()).toList();
        assertEquals(List.of(1L, 2L, 3L), seqs);
        assertTrue(cluster.received("EXPENSE").stream().allMatch(m -> m.value().get("client_id").asText().equals("imp")));
    }

    @Test
    void aLostReplyDuringImportIsRetriedWithoutDoubleBooking() throws Exception {
        Path file = write("in.csv", "date,amount,currency,category,payer,description\n"
                + "2026-11-25,1,EUR,a,ana,x\n2026-11-25,2,EUR,b,ana,y\n2026-11-25,3,EUR,c,ana,z\n");
        FakeNode leader = cluster.node("Node1");
        leader.once("EXPENSE", leader.dropRequest()); // row 1: the request is lost
        leader.once("EXPENSE", leader.loseReply());   // row 1 again: applied, the reply is lost

        Run run = Run.of(home, cluster.args("import", file.toString()));

        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals("imported 3, skipped 0 of 3 rows from " + file, run.out().strip());
        assertEquals(3, cluster.log().expenses().size());
    }

    @Test
    void theImportStopsWhenTheClusterStopsAnswering() throws Exception {
        Path file = write("in.csv", "date,amount,currency,category,payer\n"
                + "2026-11-25,1,EUR,a,ana\n2026-11-25,2,EUR,b,ana\n2026-11-25,3,EUR,c,ana\n2026-11-25,4,EUR,d,ana\n");
        FakeNode leader = cluster.node("Node1");
        leader.once("EXPENSE", r -> {
            ControllerMessage m = leader.reply(r);
            cluster.nodes().forEach(FakeNode::silent);
            return m;
        });

        Run run = Run.of(home, cluster.args("--json", "--write-timeout-ms", "300", "import", file.toString()));

        assertEquals(1, run.code());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(1, doc.get("imported").asInt());
        assertEquals(3, doc.get("stopped_at").asInt());
        assertEquals(2, doc.get("not_sent").asInt());
        JsonNode skipped = doc.get("skipped").get(0);
        assertEquals(3, skipped.get("line").asInt());
        assertTrue(skipped.get("error").asText().contains("may or may not have been applied"), skipped.toString());
        assertTrue(skipped.get("error").asText().contains("--seq 2"), skipped.toString());
    }

    @Test
    void progressOnATerminal() throws Exception {
        StringBuilder csv = new StringBuilder("date,amount,currency,category,payer\n");
        for (int i = 1; i <= 5; i++) {
            csv.append("2026-01-0").append(i).append(",").append(i).append(",EUR,x,p\n");
        }
        Path file = write("in.csv", csv.toString());
        Environment terminal = new Environment(Map.of(), home, () -> {
            throw new AssertionError("no shell");
        }, false, true);

        Run run = Run.of(terminal, cluster.args("import", "--progress-every", "2", file.toString()));
        Run quiet = Run.of(home, cluster.args("import", "--progress-every", "2", file.toString()));

        Run json = Run.of(terminal, cluster.args("--json", "import", "--progress-every", "2", file.toString()));

        assertEquals(0, run.code(), run.err());
        // one line, redrawn in place (carriage returns), ended once
        String[] draws = run.err().split("\r", -1);
        assertEquals(3, draws.length, run.err());
        // the rate and time left appear once a millisecond has passed (a fast machine may not have one)
        assertTrue(draws[1].matches("import: 2 of 5 rows \\(40%\\)(, \\d+ rows/s, .* left)?\\s*"), draws[1]);
        assertTrue(draws[2].matches("import: 4 of 5 rows \\(80%\\)(, \\d+ rows/s, .* left)?\\s*\\R"), draws[2]);
        assertEquals("", quiet.err(), "no progress when stderr is not a terminal");
        assertEquals("", json.err(), "nor with --json");
    }

    @Test
    void aBadHeaderOrFileIsAUsageErrorAndNothingIsSent() throws Exception {
        Path noPayer = write("a.csv", "date,amount,currency,category\n2026-01-01,1,EUR,x\n");
        Path unknown = write("b.csv", "date,amount,currency,category,payer,tip\n");
        Path unclosed = write("c.csv", "date,amount,currency,category,payer\n2026-01-01,1,EUR,\"x,p\n");
        Path empty = write("d.csv", "");
        Path latin1 = home.resolve("e.csv");
        Files.write(latin1, "date,amount,currency,category,payer\n2026-01-01,1,EUR,caf\u00e9,p\n".getBytes("ISO-8859-1"));

        Map<Path, String> expected = Map.of(
                noPayer, "the header lacks payer",
                unknown, "unknown column 'tip'",
                unclosed, "line 2: a quoted field is never closed",
                empty, "is empty",
                latin1, "is not UTF-8 text",
                home.resolve("missing.csv"), "no such file");
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            Run run = Run.of(home, cluster.args("import", e.getKey().toString()));
            assertEquals(2, run.code(), e.getKey() + ": " + run.err());
            assertTrue(run.err().contains(e.getValue()), run.err());
        }
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void exportCsvRoundTrip() throws Exception {
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch, with \"friends\"");
        cluster.seed("2026-11-02", "3.00", "USD", "coffee", "bo", "");
        cluster.seed("2026-12-01", "1000", "JPY", "travel", "ana", "  ");
        cluster.log().pageLimit(2);

        Run run = Run.of(home, cluster.args("export"));

        assertEquals(0, run.code(), run.err());
        List<Csv.Row> rows = Csv.parse(run.out());
        assertEquals(List.of("id", "date", "amount", "currency", "category", "payer", "description"), rows.get(0).fields());
        assertEquals(4, rows.size());
        assertEquals(List.of("E1", "2026-11-02", "3.00", "USD", "coffee", "bo", ""), rows.get(1).fields());
        assertEquals(List.of("E0", "2026-11-25", "12.50", "EUR", "food", "ana", "lunch, with \"friends\""),
                rows.get(2).fields());
        assertEquals(2, cluster.node("Node1").received("EXPENSES").size(), "paged");

        // and back in: the same expenses (with new ids) in a fresh cluster
        Path file = write("export.csv", run.out());
        try (FakeCluster other = FakeCluster.start(3)) {
            other.electLeader("Node2", 1);
            Run in = Run.of(home, other.args("import", file.toString()));
            assertEquals(0, in.code(), in.out() + in.err());
            assertEquals(contents(cluster.log().expenses()), contents(other.log().expenses()));
        }
    }

    /**
     * Where the ledger records who wrote (a cluster with keys) CSV export adds created_by and
     * updated_by after the usual columns, empty where not recorded; import reads such a file
     * back, ignoring them (the importer's identity is what a new write records).
     */
    @Test
    void exportCsvAddsTheWritersWhereRecordedAndImportIgnoresThem() throws Exception {
        String id = cluster.seedBy("alice", "2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        cluster.seed("2026-11-02", "3.00", "USD", "coffee", "bo", "");
        ObjectNode edit = Codec.objectNode();
        edit.put("op", "edit");
        edit.put("client_id", "other");
        edit.put("seq", 1);
        edit.put("id", id);
        edit.put("category", "meals");
        edit.put("by", "bob");
        assertTrue(cluster.log().appendCommand(7, edit).result().ok());

        Run run = Run.of(home, cluster.args("export"));

        assertEquals(0, run.code(), run.err());
        List<Csv.Row> rows = Csv.parse(run.out());
        assertEquals(List.of("id", "date", "amount", "currency", "category", "payer", "description", "created_by",
                "updated_by"), rows.get(0).fields());
        assertEquals(List.of("E1", "2026-11-02", "3.00", "USD", "coffee", "bo", "", "", ""), rows.get(1).fields());
        assertEquals(List.of("E0", "2026-11-25", "12.50", "EUR", "meals", "ana", "lunch", "alice", "bob"),
                rows.get(2).fields());

        Path file = write("export.csv", run.out());
        try (FakeCluster other = FakeCluster.start(3)) {
            other.electLeader("Node2", 1);
            Run in = Run.of(home, other.args("import", file.toString()));
            assertEquals(0, in.code(), in.out() + in.err());
            assertEquals(contents(cluster.log().expenses()), contents(other.log().expenses()));
            for (Expense e : other.log().expenses()) {
                assertEquals(null, e.createdBy(), "the fake leader stamps no writer; the file's is not sent");
            }
        }
    }

    @Test
    void exportShowsProgressPageByPageOnATerminalOnly() throws Exception {
        for (int i = 1; i <= 5; i++) {
            cluster.seed("2026-11-0" + i, i + ".00", "EUR", "food", "ana", "");
        }
        cluster.log().pageLimit(2);
        Environment terminal = new Environment(Map.of(), home, () -> {
            throw new AssertionError("no shell");
        }, false, true);

        Run run = Run.of(terminal, cluster.args("export"));
        Run json = Run.of(terminal, cluster.args("--json", "export"));

        assertEquals(0, run.code(), run.err());
        String[] draws = run.err().split("\r", -1);
        assertEquals(4, draws.length, run.err()); // pages of 2, 2 and 1
        assertTrue(draws[1].startsWith("export: 2 of 5 expenses (40%)"), draws[1]);
        assertTrue(draws[3].startsWith("export: 5 of 5 expenses (100%)"), draws[3]);
        assertEquals(6, Csv.parse(run.out()).size(), "the header and the five, on stdout as ever");
        assertEquals("", json.err(), "no progress with --json");
    }

    @Test
    void exportJsonIsAnArrayOfExpenses() throws Exception {
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        cluster.seed("2026-11-26", "13.50", "EUR", "food", "bo", "dinner");

        Run json = Run.of(home, cluster.args("export", "--format", "json", "--payer", "bo"));
        Run global = Run.of(home, cluster.args("--json", "export"));

        assertEquals(0, json.code(), json.err());
        JsonNode array = Codec.readTree(json.out());
        assertTrue(array.isArray());
        assertEquals(1, array.size());
        Expense e = LedgerCodec.expenseFromJson(array.get(0));
        assertEquals("dinner", e.description());
        assertEquals(2, Codec.readTree(global.out()).size(), "--json means --format json");
    }

    @Test
    void exportFailsWithoutWritingAnything() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("export"));

        assertEquals(1, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().contains("nothing was written"), run.err());
    }

    /**
     * The export reads one cursor: an expense written between its pages (dated first, so paging by
     * offset would shift every later row) is not in it, and no row is repeated or lost.
     */
    @Test
    void exportReadsOneConsistentViewWhateverIsWrittenBetweenPages() throws Exception {
        for (int i = 1; i <= 5; i++) {
            cluster.seed("2026-11-0" + i, i + ".00", "EUR", "food", "ana", "row " + i);
        }
        cluster.log().pageLimit(2);
        FakeNode leader = cluster.node("Node1");
        leader.once("EXPENSES", leader::reply); // the first page opens the cursor
        leader.once("EXPENSES", r -> {
            cluster.seed("2026-10-01", "9.00", "EUR", "food", "bo", "written meanwhile");
            return leader.reply(r);
        });

        Run run = Run.of(home, cluster.args("export"));

        assertEquals(0, run.code(), run.err());
        List<Csv.Row> rows = Csv.parse(run.out());
        assertEquals(6, rows.size(), run.out());
        for (int i = 1; i <= 5; i++) {
            assertEquals("row " + i, rows.get(i).fields().get(6));
        }
        List<ControllerMessage> asked = leader.received("EXPENSES");
        assertEquals(3, asked.size(), "pages of 2, 2 and 1");
        assertTrue(asked.get(0).value().path("consistent").asBoolean(), asked.get(0).toString());
        String cursor = asked.get(1).value().path("cursor").asText();
        assertEquals("cursor1", cursor);
        assertEquals(cursor, asked.get(2).value().path("cursor").asText());
        assertEquals(4, asked.get(2).value().path("filter").path("offset").asInt());
        assertEquals(6, cluster.log().expenses().size(), "the write went in meanwhile");
    }

    /** A page that fails midway: what came is on stdout, exit status 1, and stderr says it is incomplete. */
    @Test
    void exportFailingMidwayKeepsWhatItWroteAndSaysItIsIncomplete() throws Exception {
        for (int i = 1; i <= 5; i++) {
            cluster.seed("2026-11-0" + i, i + ".00", "EUR", "food", "ana", "row " + i);
        }
        cluster.log().pageLimit(2);
        FakeNode leader = cluster.node("Node1");
        leader.once("EXPENSES", leader::reply);
        leader.once("EXPENSES", r -> {
            leader.dropCursors(); // as if it expired or the node restarted
            return leader.reply(r);
        });

        Run run = Run.of(home, cluster.args("export"));
        Run json = Run.of(home, cluster.args("export", "--format", "json"));

        assertEquals(1, run.code());
        assertEquals(3, Csv.parse(run.out()).size(), "the header and the first page: " + run.out());
        assertTrue(run.err().contains("stopped after 2 of 5 expenses"), run.err());
        assertTrue(run.err().contains("CURSOR_GONE"), run.err());
        assertTrue(run.err().contains("the output is incomplete"), run.err());
        assertEquals(0, json.code(), "the next export opens a cursor of its own: " + json.err());
        assertEquals(5, Codec.readTree(json.out()).size());
    }

    /** A node that keeps no cursors (a release before them) is paged as before, all or nothing. */
    @Test
    void exportFromANodeWithoutCursorsPagesAsBefore() throws Exception {
        for (int i = 1; i <= 3; i++) {
            cluster.seed("2026-11-0" + i, i + ".00", "EUR", "food", "ana", "row " + i);
        }
        cluster.log().pageLimit(2);
        cluster.nodes().forEach(FakeNode::withoutCursors);

        Run csv = Run.of(home, cluster.args("export"));
        Run json = Run.of(home, cluster.args("export", "--format", "json"));

        assertEquals(0, csv.code(), csv.err());
        assertEquals(4, Csv.parse(csv.out()).size());
        assertEquals(3, Codec.readTree(json.out()).size());
        assertEquals(2 * 3, cluster.node("Node1").received("EXPENSES").size(),
                "each: the cursor asked for and not given (a first page), then pages of 2 by offset");
    }

    @Test
    void exportRefusesAnUnknownFormat() {
        Run run = Run.of(home, cluster.args("export", "--format", "xml"));

        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("raftctl: --format must be csv or json"), run.err());
    }

    /** What an expense says, without where it sits in the log. */
    private static Set<String> contents(List<Expense> expenses) {
        Set<String> out = new HashSet<>();
        for (Expense e : expenses) {
            out.add(String.join("|", new ArrayList<>(List.of(e.date().toString(), e.amount().toString(), e.category(),
                    e.payer(), e.description()))));
        }
        return out;
    }
}
