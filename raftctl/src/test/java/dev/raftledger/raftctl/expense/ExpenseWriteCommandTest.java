package dev.raftledger.raftctl.expense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpenseWriteCommandTest extends FakeClusterTest {

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node2", 3);
    }

    @Test
    void addPrintsTheNewExpense() {
        Run run = Run.of(home, cluster.args("expense", "add", "--amount", "12.5", "--currency", "eur", "--category",
                "food", "--payer", "ana", "--date", "2026-11-25", "--description", "lunch"));

        assertEquals(0, run.code(), run.err());
        assertEquals("added E0: 2026-11-25 12.50 EUR food, paid by ana: lunch (index 0, term 3)", run.out().strip());
        Expense e = cluster.log().expenses().get(0);
        assertEquals("12.50", e.amount().amountText(), "normalised to the currency's scale");
        assertEquals("EUR", e.amount().currencyCode());
    }

    @Test
    void addJsonIsTheLedgerResultWithIndexTermAndClient() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "--client-id", "me.1", "expense", "add", "--amount", "3",
                "--currency", "JPY", "--category", "snack", "--payer", "bo", "--date", "2026-01-31"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertTrue(doc.get("ok").asBoolean());
        assertEquals("E0", doc.get("id").asText());
        JsonNode e = doc.get("expense");
        assertEquals("3", e.get("amount").asText());
        assertEquals("JPY", e.get("currency").asText());
        assertEquals("", e.get("description").asText());
        assertEquals("2026-01-31", e.get("date").asText());
        assertTrue(doc.get("error").isNull());
        assertTrue(doc.get("message").isNull());
        assertEquals(0, doc.get("index").asLong());
        assertEquals(3, doc.get("term").asLong());
        assertEquals("Node2", doc.get("node").asText());
        assertEquals("me.1", doc.get("client_id").asText());
        assertEquals(1, doc.get("seq").asLong());
    }

    @Test
    void theDateDefaultsToToday() {
        LocalDate before = LocalDate.now();
        Run run = Run.of(home, cluster.args("expense", "add", "--amount", "1", "--currency", "EUR", "--category", "x",
                "--payer", "p"));
        LocalDate after = LocalDate.now();

        assertEquals(0, run.code(), run.err());
        LocalDate date = cluster.log().expenses().get(0).date();
        assertTrue(date.equals(before) || date.equals(after), date.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--amount=-5       | --amount: must be greater than 0, got -5",
        "--amount=1e3      | --amount: must be a plain decimal number",
        "--amount=1.234    | --amount: EUR allows at most 2 decimal places, got 1.234",
        "--currency=EURO   | --currency: must be a three-letter ISO 4217 code",
        "--currency=ABC    | --currency: unknown ISO 4217 currency code 'ABC'",
        "--category=       | --category: must not be empty",
        "--date=2026-02-30 | --date: 2026-02-30 is not a valid calendar date",
        "--date=25.11.2026 | --date: must be an ISO 8601 date"})
    void invalidInputIsAUsageErrorAndNothingIsSent(String bad, String message) {
        String option = bad.substring(0, bad.indexOf('='));
        List<String> args = new java.util.ArrayList<>(List.of("expense", "add", "--amount", "12.50", "--currency", "EUR",
                "--category", "food", "--payer", "ana", "--date", "2026-11-25"));
        int at = args.indexOf(option);
        args.remove(at + 1);
        args.remove(at);
        args.add(bad);

        Run run = Run.of(home, cluster.args(args.toArray(new String[0])));

        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().startsWith("raftctl: " + message), run.err());
        assertTrue(run.err().contains("Try 'raftctl expense add --help'."), run.err());
        assertTrue(cluster.nothingReceived(), "nothing sent");
        assertTrue(run.noStackTrace());
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        Run run = Run.of(home, cluster.args("expense", "add", "--amount", "1"));

        assertEquals(2, run.code());
        assertTrue(run.err().contains("Missing required options"), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void editChangesOnlyTheGivenFields() throws Exception {
        String id = cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");

        Run run = Run.of(home, cluster.args("expense", "edit", id, "--payer", "bo", "--description", ""));
        Run json = Run.of(home, cluster.args("--json", "expense", "edit", id, "--amount", "20", "--currency", "USD"));

        assertEquals(0, run.code(), run.err());
        assertEquals("edited " + id + ": 2026-11-25 12.50 EUR food, paid by bo (index 1, term 3)", run.out().strip());
        assertEquals(0, json.code(), json.err());
        JsonNode e = Codec.readTree(json.out()).get("expense");
        assertEquals("20.00", e.get("amount").asText());
        assertEquals("USD", e.get("currency").asText());
        assertEquals("bo", e.get("payer").asText());
        assertEquals(2, e.get("updated_index").asLong());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "E1 --amount 5                | --amount needs --currency",
        "E1 --currency EUR            | --currency needs --amount",
        "E1                           | nothing to change",
        "X1 --payer bo                | ID: must be an expense id such as E42, got 'X1'",
        "E1 --date 2026-13-01         | --date: "})
    void badEditsAreUsageErrors(String line, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("expense", "edit"));
        args.addAll(List.of(line.split(" ")));

        Run run = Run.of(home, cluster.args(args.toArray(new String[0])));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: " + message), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void editOfAnUnknownIdIsTheLedgersRefusal() throws Exception {
        Run text = Run.of(home, cluster.args("expense", "edit", "E9", "--payer", "bo"));
        Run json = Run.of(home, cluster.args("--json", "expense", "rm", "E9"));

        assertEquals(1, text.code());
        assertEquals("", text.out());
        assertTrue(text.err().startsWith("raftctl: expense edit E9 refused: NOT_FOUND: no expense E9"), text.err());
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals(false, doc.get("ok").asBoolean());
        assertEquals("NOT_FOUND", doc.get("error").asText());
        assertEquals("E9", doc.get("id").asText());
        assertTrue(doc.get("index").canConvertToLong(), "a refusal is in the log too");
    }

    @Test
    void aWriteForAnExpiredSessionSaysWhatItMeansAndWhatToDo() throws Exception {
        Run first = Run.of(home, cluster.args("--client-id", "ci-job", "expense", "add", "--amount", "3",
                "--currency", "EUR", "--category", "food", "--payer", "ana", "--date", "2026-11-25"));
        assertEquals(0, first.code(), first.err());
        cluster.log().expireAllSessions(3);
        int expenses = cluster.log().ledger().size();

        Run text = Run.of(home, cluster.args("--client-id", "ci-job", "--seq", "2", "expense", "add", "--amount", "3",
                "--currency", "EUR", "--category", "food", "--payer", "ana", "--date", "2026-11-25"));
        Run json = Run.of(home, cluster.args("--json", "--client-id", "ci-job", "--seq", "2", "expense", "rm", "E0"));

        assertEquals(1, text.code());
        assertEquals("", text.out());
        String err = text.err();
        assertTrue(err.startsWith("raftctl: expense add refused: SESSION_EXPIRED: client ci-job has no session for"
                + " seq 2: its session expired after 24 h without writes"), err);
        assertTrue(err.contains("this write was not applied now, an earlier send of it may have been"), err);
        assertTrue(err.contains("The cluster forgot client ci-job"), err);
        assertTrue(err.contains("Look with `raftctl expense list`; if it is not there, write it again with a new"
                + " client id"), err);
        assertEquals(1, json.code());
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("SESSION_EXPIRED", doc.get("error").asText());
        assertEquals(expenses, cluster.log().ledger().size(), "neither write applied");
    }

    @Test
    void rmDeletes() throws Exception {
        String id = cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");

        Run run = Run.of(home, cluster.args("expense", "rm", id));
        Run again = Run.of(home, cluster.args("--json", "expense", "delete", id));

        assertEquals(0, run.code(), run.err());
        assertEquals("deleted " + id + " (index 1, term 3)", run.out().strip());
        assertTrue(cluster.log().expenses().isEmpty());
        assertEquals(1, again.code(), "already gone");
        assertEquals("NOT_FOUND", Codec.readTree(again.out()).get("error").asText());
    }

    @Test
    void expenseWithoutASubcommandIsAUsageError() {
        Run run = Run.of(home, cluster.args("expense"));

        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("raftctl: missing subcommand; expense subcommands: add, edit, rm"), run.err());
        Run unknown = Run.of(home, cluster.args("expense", "frob"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("raftctl: unknown command 'frob'; commands: add, edit, rm"), unknown.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--client-id=has space | --client-id: may contain only letters, digits and . _ : -",
        "--seq=0               | --seq must be 1-",
        "--write-timeout-ms=0  | --write-timeout-ms must be 1-600000"})
    void badWriteOptionsAreUsageErrors(String option, String message) {
        Run run = Run.of(home, cluster.args(option, "expense", "rm", "E1"));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: " + message), run.err());
        assertTrue(cluster.nothingReceived());
    }
}
