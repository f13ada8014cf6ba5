package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ledger's replies (EXPENSE, EXPENSES list and totals) as raftd writes them and raftctl reads
 * them: what is written reads back the same; fields a reader does not know are ignored; what a
 * reply cannot do without is a MalformedMessageException. raftd's bytes are pinned by
 * LedgerRepliesGoldenTest.
 */
class ExpenseRepliesTest {

    private static final Expense LUNCH = new Expense("E3", Fixtures.money("12.50", "EUR"), "food", "lunch", "ana",
            LocalDate.parse("2026-11-25"), 1, 3, 2, 9);

    private static JsonNode json(String text) throws Exception {
        return Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode roundTrip(com.fasterxml.jackson.databind.node.ObjectNode o) throws Exception {
        return json(Codec.toJson(o));
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        ExpenseReply written = new ExpenseReply(LedgerResult.ok("E3", LUNCH), 9L, 2L);
        assertEquals(written, ExpenseReply.fromJson(roundTrip(written.toJson())));
        ExpenseReply refused = new ExpenseReply(LedgerResult.error(ErrorCode.NOT_FOUND, "E9", "no expense E9"), 10L, 2L);
        assertEquals(refused, ExpenseReply.fromJson(roundTrip(refused.toJson())));

        ExpenseListReply list = new ExpenseListReply(40L, 41L, "Node2", true, 57L, List.of(LUNCH));
        assertEquals(list, ExpenseListReply.fromJson(roundTrip(list.toJson())));

        TreeMap<String, java.util.SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        groups.put("food", new TreeMap<>(Map.of("EUR", new BigDecimal("25.50"), "USD", new BigDecimal("3.00"))));
        ExpenseTotalsReply totals = new ExpenseTotalsReply(40L, 41L, null, false, new Totals(GroupBy.CATEGORY, groups));
        assertEquals(totals, ExpenseTotalsReply.fromJson(roundTrip(totals.toJson())));
    }

    @Test
    void fieldsInTheirOrder() {
        assertEquals("{\"applied_index\":40,\"commit_index\":41,\"leader\":null,\"stale\":false,\"total\":0,\"expenses\":[]}",
                Codec.toJson(new ExpenseListReply(40L, 41L, null, false, 0L, List.of()).toJson()));
        assertEquals("{\"ok\":true,\"id\":\"E3\",\"expense\":null,\"error\":null,\"message\":null,\"index\":9,\"term\":2}",
                Codec.toJson(new ExpenseReply(LedgerResult.ok("E3", null), 9L, 2L).toJson()));
    }

    @Test
    void fieldsItDoesNotKnowAreIgnoredAndNumbersMayBeDigitStrings() throws Exception {
        ExpenseListReply list = ExpenseListReply.fromJson(json("{\"expenses\":[],\"applied_index\":\"40\","
                + "\"commit_index\":41,\"shard\":7,\"leader\":\"Node2\",\"stale\":true,\"total\":\" 3 \"}"));
        assertEquals(new ExpenseListReply(40L, 41L, "Node2", true, 3L, List.of()), list);
        ExpenseReply written = ExpenseReply.fromJson(json("{\"ok\":true,\"id\":\"E3\",\"expense\":null,"
                + "\"error\":null,\"message\":null,\"index\":\"9\",\"term\":2,\"trace\":\"x\"}"));
        assertEquals(9L, written.index());
        assertEquals(2L, written.term());
    }

    @Test
    void theNodesStateIsNullWhereNotSaid() throws Exception {
        ExpenseListReply list = ExpenseListReply.fromJson(json("{\"expenses\":[],\"stale\":\"yes\",\"leader\":5,"
                + "\"total\":1.5}"));
        assertNull(list.appliedIndex());
        assertNull(list.commitIndex());
        assertNull(list.leader(), "not a string");
        assertNull(list.stale(), "not a boolean");
        assertNull(list.total(), "not an integer");
        ExpenseReply written = ExpenseReply.fromJson(json("{\"ok\":true,\"id\":\"E3\"}"));
        assertNull(written.index());
        assertNull(written.term());
    }

    @Test
    void whatAReplyCannotDoWithoutIsMalformed() throws Exception {
        assertEquals("a reply without an object value", malformed(() -> ExpenseListReply.fromJson(json("[]"))));
        assertEquals("a reply without an object value", malformed(() -> ExpenseListReply.fromJson(null)));
        assertEquals("a list without \"expenses\"", malformed(() -> ExpenseListReply.fromJson(json("{\"total\":3}"))));
        assertTrue(malformed(() -> ExpenseListReply.fromJson(json("{\"expenses\":[{\"id\":\"E3\"}]}")))
                .startsWith("an unreadable expense: "));
        assertEquals("a reply without an object value", malformed(() -> ExpenseTotalsReply.fromJson(json("7"))));
        assertTrue(malformed(() -> ExpenseTotalsReply.fromJson(json("{\"applied_index\":4}")))
                .startsWith("unreadable totals: "));
        assertTrue(malformed(() -> ExpenseReply.fromJson(json("{\"index\":4,\"term\":1}"))).startsWith("ok: "));
        assertTrue(malformed(() -> ExpenseReply.fromJson(null)).contains("must be a JSON object"));
    }

    private interface Decode {
        Object run() throws Exception;
    }

    private static String malformed(Decode d) {
        return assertThrows(MalformedMessageException.class, d::run).getMessage();
    }
}
