package dev.raftledger.raftctl.expense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.FakeNode;
import dev.raftledger.raftctl.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpenseReadCommandTest extends FakeClusterTest {

    @BeforeEach
    void seed() {
        cluster.electLeader("Node3", 4);
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        cluster.seed("2026-11-02", "3.00", "USD", "coffee", "bo", "flat white, large");
        cluster.seed("2026-12-01", "40", "EUR", "travel", "ana", "train");
        cluster.seed("2026-11-25", "13.00", "EUR", "food", "bo", "");
        cluster.seed("2026-10-30", "1000", "JPY", "food", "bo", "onigiri");
    }

    @Test
    void listIsATableInDateOrder() {
        Run run = Run.of(home, cluster.args("expense", "list"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of("ID  DATE        AMOUNT  CURRENCY  CATEGORY  PAYER  DESCRIPTION",
                "E4  2026-10-30    1000  JPY       food      bo     onigiri",
                "E1  2026-11-02    3.00  USD       coffee    bo     flat white, large",
                "E0  2026-11-25   12.50  EUR       food      ana    lunch",
                "E3  2026-11-25   13.00  EUR       food      bo",
                "E2  2026-12-01   40.00  EUR       travel    ana    train",
                "5 expenses; from leader Node3 at applied index 4"), lines);
    }

    /**
     * A BY column, before DESCRIPTION, once any listed expense records who wrote it (a cluster
     * with keys): the adder, and the last editor if someone else; "?" where not recorded.
     */
    @Test
    void listShowsWhoWroteWhereTheLedgerRecordsIt() throws Exception {
        String id = cluster.seedBy("alice", "2026-11-26", "7.00", "EUR", "food", "ana", "tea");
        cluster.seedBy("carol", "2026-11-27", "8.00", "EUR", "food", "ana", "");
        ObjectNode edit = Codec.objectNode();
        edit.put("op", "edit");
        edit.put("client_id", "other");
        edit.put("seq", 1);
        edit.put("id", id);
        edit.put("amount", "9.00");
        edit.put("currency", "EUR");
        edit.put("by", "bob");
        assertTrue(cluster.log().appendCommand(4, edit).result().ok());

        Run run = Run.of(home, cluster.args("expense", "list", "--from", "2026-11-25", "--to", "2026-11-27"));

        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("ID  DATE        AMOUNT  CURRENCY  CATEGORY  PAYER  BY                    DESCRIPTION",
                "E0  2026-11-25   12.50  EUR       food      ana    ?                     lunch",
                "E3  2026-11-25   13.00  EUR       food      bo     ?",
                "E5  2026-11-26    9.00  EUR       food      ana    alice, edited by bob  tea",
                "E6  2026-11-27    8.00  EUR       food      ana    carol",
                "4 expenses; from leader Node3 at applied index 7"), run.out().lines().toList());

        Run json = Run.of(home, cluster.args("--json", "expense", "list", "--from", "2026-11-26"));
        JsonNode first = Codec.readTree(json.out()).get("expenses").get(0);
        assertEquals("alice", first.get("created_by").asText(), first.toString());
        assertEquals("bob", first.get("updated_by").asText());
        assertTrue(Codec.readTree(Run.of(home, cluster.args("--json", "expense", "list", "--to", "2026-11-25")).out())
                .get("expenses").get(0).get("created_by").isNull(), "not recorded: null");
    }

    @Test
    void listPagesThroughEverything() throws Exception {
        cluster.log().pageLimit(2);

        Run run = Run.of(home, cluster.args("--json", "expense", "list"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(5, doc.get("expenses").size());
        assertEquals(5, doc.get("total").asLong());
        assertEquals(4, doc.get("applied_index").asLong());
        assertFalse(doc.get("stale").asBoolean());
        assertEquals("Node3", doc.get("node").asText());
        List<String> ids = new ArrayList<>();
        doc.get("expenses").forEach(e -> ids.add(e.get("id").asText()));
        assertEquals(List.of("E4", "E1", "E0", "E3", "E2"), ids);
        List<ControllerMessage> asked = cluster.node("Node3").received("EXPENSES");
        assertEquals(3, asked.size(), "pages of 2, 2, 1");
        assertEquals(List.of(0L, 2L, 4L), asked.stream()
                .map(m -> m.value().get("filter").path("offset").asLong(0)).toList());
        // the wire's expense, with the writers (not recorded here: null) always present, as every
        // field of a document is
        ObjectNode wire = LedgerCodec.expenseToJson(cluster.log().expenses().get(0));
        wire.putNull("created_by");
        wire.putNull("updated_by");
        assertEquals(Codec.toJson(wire), Codec.toJson(doc.get("expenses").get(0)));
    }

    @Test
    void limitStopsEarly() throws Exception {
        cluster.log().pageLimit(2);

        Run run = Run.of(home, cluster.args("expense", "list", "--limit", "3"));

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().endsWith("3 of 5 expenses; from leader Node3 at applied index 4\n"), run.out());
        assertEquals(2, cluster.node("Node3").received("EXPENSES").size());
    }

    @Test
    void filtersGoToTheNode() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "expense", "list", "--category", "food", "--payer", "bo",
                "--from", "2026-11-01", "--to", "2026-11-30", "--text", ""));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals(1, doc.get("expenses").size());
        assertEquals("E3", doc.get("expenses").get(0).get("id").asText());
        JsonNode filter = cluster.node("Node3").received("EXPENSES").get(0).value().get("filter");
        assertEquals("food", filter.get("category").asText());
        assertEquals("2026-11-01", filter.get("from").asText());
    }

    @Test
    void textFilter() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "expense", "list", "--text", "WHITE"));

        assertEquals("E1", Codec.readTree(run.out()).get("expenses").get(0).get("id").asText());
    }

    @Test
    void emptyListSaysSo() {
        Run run = Run.of(home, cluster.args("expense", "list", "--category", "rent"));

        assertEquals(0, run.code());
        assertEquals("no expenses; from leader Node3 at applied index 4", run.out().strip());
    }

    @Test
    void staleListIsAnsweredByAnyNode() throws Exception {
        cluster.node("Node1").silent();

        Run run = Run.of(home, cluster.args("--json", "expense", "list", "--stale"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertTrue(doc.get("stale").asBoolean());
        assertEquals("Node2", doc.get("node").asText(), "a follower answers");
        assertEquals(4, doc.get("commit_index").asLong());
        assertEquals(0, cluster.node("Node3").received("EXPENSES").size());
        assertTrue(cluster.node("Node2").received("EXPENSES").get(0).value().get("stale").asBoolean());
        Run text = Run.of(home, cluster.args("expense", "list", "--stale", "--limit", "1"));
        assertTrue(text.out().endsWith("stale, from Node2 at applied index 4 of commit index 4\n"), text.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--from=2026-13-01                   | --from: ",
        "--to=yesterday                      | --to: must be an ISO 8601 date",
        "--from=2026-12-01 --to=2026-11-01   | --from 2026-12-01 is after --to 2026-11-01",
        "--limit=0                           | --limit must be at least 1",
        "--category=                         | --category: must not be empty"})
    void badFiltersAreUsageErrors(String options, String message) {
        List<String> args = new ArrayList<>(List.of("expense", "list"));
        args.addAll(List.of(options.split(" ")));

        Run run = Run.of(home, cluster.args(args.toArray(new String[0])));

        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("raftctl: " + message), run.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void reportTotalsPerGroupAndCurrencyNeverAcrossCurrencies() {
        Run run = Run.of(home, cluster.args("expense", "report", "--by", "category"));

        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("CATEGORY  CURRENCY  TOTAL",
                "coffee    USD        3.00",
                "food      EUR       25.50",
                "food      JPY        1000",
                "travel    EUR       40.00",
                "all: 65.50 EUR, 1000 JPY, 3.00 USD; from leader Node3 at applied index 4"),
                run.out().lines().toList());
    }

    @Test
    void reportJsonIsTheTotalsDocument() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "expense", "report", "--by", "month", "--payer", "bo"));

        assertEquals(0, run.code(), run.err());
        JsonNode doc = Codec.readTree(run.out());
        assertEquals("month", doc.get("by").asText());
        assertEquals("1000", doc.get("groups").get("2026-10").get("JPY").asText());
        assertEquals("3.00", doc.get("groups").get("2026-11").get("USD").asText());
        assertEquals("13.00", doc.get("groups").get("2026-11").get("EUR").asText());
        assertEquals(2, doc.get("groups").get("2026-11").size(), "one sum per currency");
        assertEquals("13.00", doc.get("overall").get("EUR").asText());
        assertEquals(4, doc.get("applied_index").asLong());
        assertFalse(doc.get("stale").asBoolean());
        JsonNode q = cluster.node("Node3").received("EXPENSES").get(0).value();
        assertEquals("totals", q.get("query").asText());
        assertEquals("month", q.get("by").asText());
    }

    @Test
    void reportByPayerStale() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "expense", "report", "--by", "PAYER", "--stale"));

        JsonNode doc = Codec.readTree(run.out());
        assertEquals("payer", doc.get("by").asText());
        assertEquals("52.50", doc.get("groups").get("ana").get("EUR").asText());
        assertTrue(doc.get("stale").asBoolean());
        assertEquals("Node1", doc.get("node").asText());
    }

    @Test
    void reportNeedsAValidBy() {
        Run missing = Run.of(home, cluster.args("expense", "report"));
        Run bad = Run.of(home, cluster.args("expense", "report", "--by", "year"));

        assertEquals(2, missing.code());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("raftctl: --by: must be one of category, month, payer, got 'year'"), bad.err());
        assertTrue(cluster.nothingReceived());
    }

    @Test
    void aReadWithNoLeaderFails() {
        cluster.nodes().forEach(n -> n.leader(null).state("follower"));

        Run run = Run.of(home, cluster.args("expense", "list"));

        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("raftctl: expense list: EXPENSES: no leader"), run.err());
    }

    @Test
    void anInvalidQueryRefusedByTheNodeIsExitStatusOne() {
        FakeNode leader = cluster.node("Node3");
        leader.once("EXPENSES", r -> leader.error("INVALID", "filter: unknown field"));

        Run run = Run.of(home, cluster.args("expense", "list"));

        assertEquals(1, run.code());
        assertTrue(run.err().contains("Node3 refused EXPENSES: INVALID: filter: unknown field"), run.err());
    }
}
