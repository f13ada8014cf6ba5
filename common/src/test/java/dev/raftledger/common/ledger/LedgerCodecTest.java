package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.money;
import static dev.raftledger.common.ledger.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.math.BigDecimal;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerCodecTest {

    static final String ADD_JSON = "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":7,\"amount\":\"12.50\",\"currency\":\"EUR\","
            + "\"category\":\"food\",\"description\":\"lunch\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}";

    static Stream<LedgerCommand> commands() {
        return Stream.of(
                add("c1", 7, "12.50", "EUR", "food", "lunch", "ana", "2026-11-25"),
                add("client.with:all_chars-1", Validation.MAX_COUNTER, "1000000000", "JPY", "c".repeat(64),
                        "d".repeat(500), "p".repeat(64), "2999-12-31"),
                add("c2", 1, "0.001", "BHD", "caf\u00e9 \uD83C\uDF55", "", "Zo\u00eb", "1900-01-01"),
                edit("c1", 8, "E3", ExpenseChanges.NONE.withAmount(money("9.99", "USD"))),
                edit("c1", 9, "E3", ExpenseChanges.NONE.withCategory("rent")),
                edit("c1", 10, "E3", ExpenseChanges.NONE.withDescription("")),
                edit("c1", 11, "E0", ExpenseChanges.NONE.withPayer("bo")),
                edit("c1", 12, "E3", ExpenseChanges.NONE.withDate(date("2026-01-31"))),
                edit("c1", 13, "E3", new ExpenseChanges(money("1", "XAU"), "a", "b", "c", date("2026-02-01"))),
                delete("c1", 14, "E3"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void commandsSurviveEncodeDecode(LedgerCommand cmd) throws Exception {
        ObjectNode json = LedgerCodec.commandToJson(cmd);
        assertEquals(cmd, LedgerCodec.commandFromJson(json));
        assertEquals(cmd, LedgerCodec.commandFromJson(Codec.toJson(json)));
        assertEquals(cmd, LedgerCodec.commandFromJson(Codec.toBytes(json)));
        assertEquals(cmd.op(), json.get("op").textValue());
        if (json.has("amount")) {
            assertTrue(json.get("amount").isTextual(), "amounts travel as strings");
        }
    }

    @Test
    void addHasTheDocumentedShape() throws Exception {
        LedgerCommand cmd = add("c1", 7, "12.5", "EUR", "food", "lunch", "ana", "2026-11-25");
        assertEquals(ADD_JSON, Codec.toJson(LedgerCodec.commandToJson(cmd)));
        assertEquals(cmd, LedgerCodec.commandFromJson(ADD_JSON));
    }

    @Test
    void editWritesOnlyTheChangedFieldsAndDeleteOnlyTheId() {
        assertEquals("{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":2,\"id\":\"E3\",\"amount\":\"5.00\",\"currency\":\"USD\","
                        + "\"description\":\"\"}",
                Codec.toJson(LedgerCodec.commandToJson(edit("c1", 2, "E3",
                        ExpenseChanges.NONE.withAmount(money("5", "USD")).withDescription("")))));
        assertEquals("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":3,\"id\":\"E3\"}",
                Codec.toJson(LedgerCodec.commandToJson(delete("c1", 3, "E3"))));
    }

    @Test
    void decodingNormalisesAndAcceptsLenientForms() throws Exception {
        LedgerCommand cmd = LedgerCodec.commandFromJson("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":\" 7 \",\"amount\":\"12.5\","
                + "\"currency\":\"eur\",\"category\":\" food \",\"payer\":\"ana\",\"date\":\"2026-11-25\"}");
        assertEquals(add("c1", 7, "12.50", "EUR", "food", "", "ana", "2026-11-25"), cmd);
        // null means absent: a null description of an edit leaves it alone
        LedgerCommand e = LedgerCodec.commandFromJson("{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\","
                + "\"payer\":\"bo\",\"description\":null,\"amount\":null,\"currency\":null}");
        assertEquals(edit("c1", 1, "E1", ExpenseChanges.NONE.withPayer("bo")), e);
    }

    /** input | field (or none) | part of the message. Kept as text rows: the JSON is full of quotes. */
    private static final String[] INVALID = {
        "<empty>|<none>|not JSON",
        "null|<none>|must be a JSON object, got null",
        "[]|<none>|must be a JSON object, got array",
        "42|<none>|must be a JSON object, got number",
        "\"add\"|<none>|must be a JSON object, got string",
        "{}|op|is required",
        "{\"op\":1}|op|must be a JSON string, got number",
        "{\"op\":\"fly\",\"client_id\":\"c1\",\"seq\":1}|op|must be add, edit or delete, got 'fly'",
        "{\"op\":\"ADD\"}|op|must be add, edit or delete",
        "{\"op\":\"delete\",\"seq\":1,\"id\":\"E1\"}|client_id|is required",
        "{\"op\":\"delete\",\"client_id\":7,\"seq\":1,\"id\":\"E1\"}|client_id|must be a JSON string, got number",
        "{\"op\":\"delete\",\"client_id\":\"c 1\",\"seq\":1,\"id\":\"E1\"}|client_id|only letters",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"id\":\"E1\"}|seq|is required",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":\"x\",\"id\":\"E1\"}|seq|must be an integer, got 'x'",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":1.5,\"id\":\"E1\"}|seq|must be an integer, got a decimal number",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":true,\"id\":\"E1\"}|seq|must be an integer, got boolean",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":0,\"id\":\"E1\"}|seq|got 0",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":99999999999999999999,\"id\":\"E1\"}|seq|out of range",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":\"99999999999999999999\",\"id\":\"E1\"}|seq|must be an integer",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":1}|id|is required",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"7\"}|id|such as E42",
        "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"amount\":\"1\"}|<none>|unknown field 'amount' for op 'delete'",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"categroy\":\"x\"}|<none>|unknown field 'categroy' for op 'edit'; known: amount, category,",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\"}|<none>|nothing to change",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"amount\":\"5\"}|currency|is required with an amount",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"currency\":\"EUR\"}|amount|is required with a currency",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"payer\":\"\"}|payer|must not be empty",
        "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":1,\"id\":\"E1\",\"date\":\"2026-02-30\"}|date|not a valid calendar date",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":12.5,\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|must be sent as a JSON string such as \"12.50\", not as a JSON number",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":12,\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|not as a JSON number",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":true,\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|must be a JSON string such as \"12.50\", got boolean",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|is required",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"0\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|must be greater than 0",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1e3\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|amount|plain decimal number",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"ABC\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|currency|unknown ISO 4217 currency code 'ABC'",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|currency|is required",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"payer\":\"p\",\"date\":\"2026-01-01\"}|category|is required",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":[\"f\"],\"payer\":\"p\",\"date\":\"2026-01-01\"}|category|must be a JSON string, got array",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":\"f\",\"date\":\"2026-01-01\"}|payer|is required",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\"}|date|is required",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":\"25/11/2026\"}|date|ISO 8601",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"date\":20261125}|date|must be a JSON string, got number",
        "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\",\"category\":\"f\",\"payer\":\"p\",\"description\":\"a\\u0007b\",\"date\":\"2026-01-01\"}|description|control characters",
        "{\"op\":\"add\"} trailing|<none>|not JSON",
        "{\"op\":\"add\",\"op\":\"delete\"}|<none>|not JSON",
        "{\"op\":|<none>|not JSON",
    };

    static Stream<Arguments> invalidCommands() {
        return Stream.of(INVALID).map(row -> {
            String[] parts = row.split("\\|", 3);
            return Arguments.of(parts[0].equals("<empty>") ? "" : parts[0], parts[1], parts[2]);
        });
    }

    @ParameterizedTest
    @MethodSource("invalidCommands")
    void invalidCommandsAreRefusedWithAClearMessage(String json, String field, String part) {
        refused(field.equals("<none>") ? null : field, part, () -> LedgerCodec.commandFromJson(json));
    }

    @Test
    void deepNestingAndNullInputAreLedgerExceptions() {
        String deep = "{\"op\":" + "[".repeat(100) + "]".repeat(100) + "}";
        refused(null, "not JSON", () -> LedgerCodec.commandFromJson(deep));
        refused(null, "no JSON given", () -> LedgerCodec.commandFromJson((String) null));
        refused(null, "no JSON given", () -> LedgerCodec.commandFromJson((byte[]) null));
        refused(null, "got nothing", () -> LedgerCodec.commandFromJson((JsonNode) null));
        refused(null, "not JSON", () -> LedgerCodec.commandFromJson(new byte[] {(byte) 0xC3, (byte) 0x28}));
    }

    @Test
    void expensesSurviveEncodeDecode() throws Exception {
        Expense e = new Expense("E3", money("12.5", "EUR"), "food", "lunch", "ana", date("2026-11-25"), 1, 3, 2, 9);
        ObjectNode json = LedgerCodec.expenseToJson(e);
        assertEquals("{\"id\":\"E3\",\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"food\","
                + "\"description\":\"lunch\",\"payer\":\"ana\",\"date\":\"2026-11-25\",\"created_term\":1,"
                + "\"created_index\":3,\"updated_term\":2,\"updated_index\":9}", Codec.toJson(json));
        assertEquals(e, LedgerCodec.expenseFromJson(Codec.readTree(Codec.toBytes(json))));
        Expense pizza = new Expense("E4", money("1", "EUR"), "caf\u00e9", "\uD83C\uDF55 \u4E2D", "Zo\u00eb", date("2026-11-25"), 1, 4, 1, 4);
        assertEquals(pizza, LedgerCodec.expenseFromJson(Codec.readTree(Codec.toBytes(LedgerCodec.expenseToJson(pizza)))));
        json.put("created_index", 4);
        refused("id", "must be E4", () -> LedgerCodec.expenseFromJson(json));
        json.put("created_index", 3).put("amount", 12.5);
        refused("amount", "not as a JSON number", () -> LedgerCodec.expenseFromJson(json));
        json.put("amount", "12.50").remove("updated_term");
        refused("updated_term", "is required", () -> LedgerCodec.expenseFromJson(json));
    }

    @Test
    void resultsSurviveEncodeDecode() throws Exception {
        Expense e = new Expense("E3", money("7", "USD"), "food", "", "ana", date("2026-11-25"), 1, 3, 1, 3);
        LedgerResult[] results = {
            LedgerResult.ok("E3", e),
            LedgerResult.ok("E3", null),
            LedgerResult.error(ErrorCode.NOT_FOUND, "E9", "no expense E9 (it never existed or was deleted)"),
            LedgerResult.error(ErrorCode.SUPERSEDED, null, "sequence 1 already superseded by 2 (client c1)"),
            LedgerResult.error(LedgerException.invalid("amount", "must be greater than 0, got 0")),
        };
        for (LedgerResult r : results) {
            ObjectNode json = LedgerCodec.resultToJson(r);
            assertEquals(r, LedgerCodec.resultFromJson(Codec.readTree(Codec.toBytes(json))));
        }
        assertEquals("{\"ok\":false,\"id\":null,\"expense\":null,\"error\":\"INVALID\","
                + "\"message\":\"amount: must be greater than 0, got 0\"}", Codec.toJson(LedgerCodec.resultToJson(results[4])));
        assertEquals("{\"ok\":true,\"id\":\"E3\",\"expense\":null,\"error\":null,\"message\":null}",
                Codec.toJson(LedgerCodec.resultToJson(results[1])));
        refused("ok", "must be true or false", () -> LedgerCodec.resultFromJson(Codec.readTree("{\"ok\":1}")));
        refused("error", "unknown error code 'OOPS'",
                () -> LedgerCodec.resultFromJson(Codec.readTree("{\"ok\":false,\"error\":\"OOPS\",\"message\":\"m\"}")));
        refused(null, "an ok result must have an id",
                () -> LedgerCodec.resultFromJson(Codec.readTree("{\"ok\":true,\"error\":\"INVALID\"}")));
        refused(null, "an error result must have an error",
                () -> LedgerCodec.resultFromJson(Codec.readTree("{\"ok\":false,\"id\":\"E1\"}")));
        ObjectNode mismatch = LedgerCodec.resultToJson(results[0]).put("id", "E4");
        refused("id", "must match the expense's id E3", () -> LedgerCodec.resultFromJson(mismatch));
    }

    @Test
    void filtersSurviveEncodeDecode() throws Exception {
        ExpenseFilter all = ExpenseFilter.all();
        assertEquals("{}", Codec.toJson(LedgerCodec.filterToJson(all)));
        assertEquals(all, LedgerCodec.filterFromJson(Codec.readTree("{}")));
        ExpenseFilter f = ExpenseFilter.all().withCategory("food").withPayer("ana")
                .withDates(date("2026-01-01"), date("2026-12-31")).withText("Lunch").withPage(10, 5);
        ObjectNode json = LedgerCodec.filterToJson(f);
        assertEquals("{\"category\":\"food\",\"payer\":\"ana\",\"from\":\"2026-01-01\",\"to\":\"2026-12-31\","
                + "\"text\":\"Lunch\",\"offset\":10,\"limit\":5}", Codec.toJson(json));
        assertEquals(f, LedgerCodec.filterFromJson(json));
        refused("from", "not a valid calendar date", () -> LedgerCodec.filterFromJson(Codec.readTree("{\"from\":\"2026-02-30\"}")));
        refused("limit", "must be between 0 and", () -> LedgerCodec.filterFromJson(Codec.readTree("{\"limit\":-1}")));
        refused(null, "unknown field 'catgory' for a filter", () -> LedgerCodec.filterFromJson(Codec.readTree("{\"catgory\":\"x\"}")));
    }

    @Test
    void totalsSurviveEncodeDecode() throws Exception {
        SortedMap<String, SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        TreeMap<String, BigDecimal> food = new TreeMap<>();
        food.put("EUR", new BigDecimal("25.50"));
        food.put("USD", new BigDecimal("3.00"));
        groups.put("food", food);
        Totals t = new Totals(GroupBy.CATEGORY, groups);
        ObjectNode json = LedgerCodec.totalsToJson(t);
        assertEquals("{\"by\":\"category\",\"groups\":{\"food\":{\"EUR\":\"25.50\",\"USD\":\"3.00\"}}}", Codec.toJson(json));
        assertEquals(t, LedgerCodec.totalsFromJson(json));
        refused("amount", "not as a JSON number", () -> LedgerCodec.totalsFromJson(
                Codec.readTree("{\"by\":\"month\",\"groups\":{\"2026-01\":{\"EUR\":25.5}}}")));
        refused("by", "must be one of category, month, payer",
                () -> LedgerCodec.totalsFromJson(Codec.readTree("{\"by\":\"year\",\"groups\":{}}")));
    }

    @Test
    void decodingNeverThrowsAnythingButLedgerException() {
        // a sample of hostile trees: every decoder either decodes or refuses with LedgerException
        String[] trees = {"{}", "[]", "1", "\"s\"", "true", "null", "{\"op\":{}}", "{\"ok\":true,\"id\":{}}",
            "{\"groups\":[]}", "{\"by\":\"payer\",\"groups\":{\"x\":[]}}", "{\"expenses\":{},\"format\":1}",
            "{\"format\":\"1\",\"applied_index\":-1,\"applied_term\":0,\"expenses\":[null],\"sessions\":[]}",
            "{\"format\":1,\"applied_index\":-1,\"applied_term\":0,\"expenses\":[],\"sessions\":[1]}"};
        for (String t : trees) {
            JsonNode n = assertDoesNotThrowParse(t);
            for (ThrowingDecoder d : new ThrowingDecoder[] {LedgerCodec::commandFromJson, LedgerCodec::expenseFromJson,
                LedgerCodec::resultFromJson, LedgerCodec::filterFromJson, LedgerCodec::totalsFromJson, Ledger::fromSnapshot}) {
                try {
                    d.decode(n);
                } catch (LedgerException expected) {
                    assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
                } catch (RuntimeException e) {
                    throw new AssertionError("decoding " + t + " threw " + e, e);
                }
            }
        }
    }

    interface ThrowingDecoder {
        Object decode(JsonNode n) throws LedgerException;
    }

    private static JsonNode assertDoesNotThrowParse(String json) {
        try {
            return Codec.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ledgerExceptionsCarryNoStackTrace() {
        LedgerException e = assertThrows(LedgerException.class, () -> LedgerCodec.commandFromJson("{}"));
        assertEquals(0, e.getStackTrace().length);
    }
}
