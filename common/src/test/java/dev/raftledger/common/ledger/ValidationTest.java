package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.draft;
import static dev.raftledger.common.ledger.Fixtures.money;
import static dev.raftledger.common.ledger.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    interface TextRule {
        String check(String s) throws LedgerException;
    }

    private static TextRule rule(String field) {
        switch (field) {
            case "category":
                return Validation::category;
            case "payer":
                return Validation::payer;
            case "description":
                return Validation::description;
            default:
                throw new IllegalArgumentException(field);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"category", "payer"})
    void requiredShortText(String field) throws Exception {
        TextRule r = rule(field);
        assertEquals("food", r.check("food"));
        assertEquals("food court", r.check("  food court \t"));
        assertEquals("x".repeat(64), r.check("x".repeat(64)));
        // 64 emoji are 64 characters although 128 Java chars
        assertEquals(64, r.check("\uD83C\uDF55".repeat(64)).codePointCount(0, 128));
        refused(field, "is required", () -> r.check(null));
        refused(field, "must not be empty", () -> r.check(""));
        refused(field, "must not be empty", () -> r.check("   "));
        refused(field, "must be at most 64 characters, got 65", () -> r.check("x".repeat(65)));
        refused(field, "must be at most 64 characters, got 65", () -> r.check("\uD83C\uDF55".repeat(65)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"category", "payer", "description"})
    void controlCharactersAndBrokenUnicodeAreRefused(String field) {
        TextRule r = rule(field);
        refused(field, "control characters (found U+0009 at position 3)", () -> r.check("ab\tcd"));
        refused(field, "control characters (found U+000A", () -> r.check("a\nb"));
        refused(field, "control characters (found U+0000", () -> r.check("a\u0000b"));
        refused(field, "control characters (found U+007F", () -> r.check("a\u007Fb"));
        refused(field, "control characters (found U+0085", () -> r.check("a\u0085b"));
        refused(field, "line or paragraph separators", () -> r.check("a\u2028b"));
        refused(field, "unpaired surrogate U+D800", () -> r.check("a\uD800b"));
        refused(field, "unpaired surrogate U+DC00", () -> r.check("a\uDC00"));
    }

    @Test
    void descriptionMayBeEmptyOrAbsent() throws Exception {
        assertEquals("", Validation.description(null));
        assertEquals("", Validation.description(""));
        assertEquals("", Validation.description("  "));
        assertEquals("lunch", Validation.description(" lunch "));
        assertEquals("d".repeat(500), Validation.description("d".repeat(500)));
        refused("description", "must be at most 500 characters, got 501", () -> Validation.description("d".repeat(501)));
        // surrounding line breaks are white space and stripped; inside the text they are refused
        assertEquals("lunch", Validation.description("\nlunch\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25", "2024-02-29", "1900-01-01", "2999-12-31", " 2026-01-01 "})
    void goodDates(String text) throws Exception {
        assertEquals(LocalDate.parse(text.strip()), Validation.date(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00"})
    void impossibleDatesAreRefused(String text) {
        refused("date", text + " is not a valid calendar date", () -> Validation.date(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"25/11/2026", "2026/11/25", "2026-1-5", "20261125", "2026-11-25T10:00", "+2026-11-25",
        "26-11-25", "2026-11-25Z", "tomorrow", "\u0662\u0660\u0662\u0666-11-25"})
    void nonIsoDatesAreRefused(String text) {
        refused("date", "must be an ISO 8601 date yyyy-MM-dd", () -> Validation.date(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1899-12-31", "3000-01-01", "0001-01-01", "9999-12-31"})
    void yearsOutOfRangeAreRefused(String text) {
        refused("date", "year must be between 1900 and 2999, got " + text, () -> Validation.date(text));
        refused("date", "year must be between 1900 and 2999", () -> Validation.date(LocalDate.parse(text)));
    }

    @Test
    void missingDateIsRefused() {
        refused("date", "is required", () -> Validation.date((String) null));
        refused("date", "is required", () -> Validation.date((LocalDate) null));
        refused("date", "must not be empty", () -> Validation.date(""));
    }

    @Test
    void clientIds() throws Exception {
        assertEquals("c1", Validation.clientId("c1"));
        assertEquals("node-1.client_2:x", Validation.clientId("node-1.client_2:x"));
        assertEquals("c".repeat(64), Validation.clientId("c".repeat(64)));
        refused("client_id", "is required", () -> Validation.clientId(null));
        refused("client_id", "must not be empty", () -> Validation.clientId(""));
        refused("client_id", "at most 64 characters, got 65", () -> Validation.clientId("c".repeat(65)));
        refused("client_id", "only letters, digits and . _ : -", () -> Validation.clientId("a b"));
        refused("client_id", "only letters, digits", () -> Validation.clientId(" c1"));
        refused("client_id", "only letters, digits", () -> Validation.clientId("ü"));
        refused("client_id", "only letters, digits", () -> Validation.clientId("c/1"));
    }

    @Test
    void sequenceNumbers() throws Exception {
        assertEquals(1, Validation.seq(1));
        assertEquals(Validation.MAX_COUNTER, Validation.seq(Validation.MAX_COUNTER));
        refused("seq", "must be between 1 and 9007199254740991, got 0", () -> Validation.seq(0));
        refused("seq", "got -1", () -> Validation.seq(-1));
        refused("seq", "got 9007199254740992", () -> Validation.seq(Validation.MAX_COUNTER + 1));
    }

    @Test
    void expenseIds() throws Exception {
        assertEquals("E0", ExpenseId.of(0));
        assertEquals("E42", ExpenseId.of(42));
        assertEquals(42, ExpenseId.index("E42"));
        assertEquals(Validation.MAX_COUNTER, ExpenseId.index(ExpenseId.of(Validation.MAX_COUNTER)));
        assertTrue(ExpenseId.isValid("E0"));
        for (String bad : new String[] {"e42", "E042", "E", "42", "E-1", "E+1", " E1", "E1 ", "E99999999999999999", "E9007199254740992", ""}) {
            assertFalse(ExpenseId.isValid(bad), bad);
            refused("id", "", () -> ExpenseId.index(bad));
        }
        refused("id", "such as E42, got 'x'", () -> ExpenseId.index("x"));
        refused("id", "is required", () -> ExpenseId.index(null));
    }

    @Test
    void draftsAreNormalisedAndCheckedInOrder() throws Exception {
        ExpenseDraft d = Validation.draft(new ExpenseDraft(money("3", "EUR"), " food ", null, " ana ", date("2026-01-02")));
        assertEquals(new ExpenseDraft(money("3.00", "EUR"), "food", "", "ana", date("2026-01-02")), d);
        refused(null, "the expense to add is missing", () -> Validation.draft(null));
        refused("amount", "is required", () -> Validation.draft(new ExpenseDraft(null, "", "", "", null)));
        refused("category", "must not be empty", () -> Validation.draft(new ExpenseDraft(money("1", "EUR"), "", "", "", null)));
        refused("payer", "is required", () -> Validation.draft(new ExpenseDraft(money("1", "EUR"), "f", "", null, null)));
        refused("date", "is required", () -> Validation.draft(new ExpenseDraft(money("1", "EUR"), "f", "", "p", null)));
    }

    @Test
    void changesNeedAtLeastOneField() throws Exception {
        refused(null, "nothing to change", () -> Validation.changes(ExpenseChanges.NONE));
        refused(null, "nothing to change", () -> Validation.changes(null));
        assertEquals(ExpenseChanges.NONE.withDescription(""), Validation.changes(ExpenseChanges.NONE.withDescription("  ")));
        assertEquals(ExpenseChanges.NONE.withPayer("bo"), Validation.changes(ExpenseChanges.NONE.withPayer(" bo")));
        refused("payer", "must not be empty", () -> Validation.changes(ExpenseChanges.NONE.withPayer(" ")));
        refused("date", "year must be between", () -> Validation.changes(ExpenseChanges.NONE.withDate(date("1800-01-01"))));
    }

    @Test
    void commandsCheckClientAndSeqFirst() throws Exception {
        refused(null, "the command is missing", () -> Validation.command(null));
        refused("client_id", "is required", () -> Validation.command(new LedgerCommand.Add(null, 0, null)));
        refused("seq", "got 0", () -> Validation.command(new LedgerCommand.Add("c1", 0, null)));
        refused("id", "such as E42", () -> Validation.command(new LedgerCommand.Delete("c1", 1, "7")));
        refused("id", "is required", () -> Validation.command(new LedgerCommand.Edit("c1", 1, null, ExpenseChanges.NONE)));
        refused(null, "nothing to change", () -> Validation.command(new LedgerCommand.Edit("c1", 1, "E1", null)));
        LedgerCommand ok = Validation.command(new LedgerCommand.Add("c1", 1,
                new ExpenseDraft(money("1", "EUR"), " f ", " d ", " p ", date("2026-01-01"))));
        assertEquals(new LedgerCommand.Add("c1", 1, draft("1", "EUR", "f", "d", "p", "2026-01-01")), ok);
    }

    @Test
    void storedExpensesAreCheckedWhole() throws Exception {
        Expense good = new Expense("E3", money("1", "EUR"), "f", "", "p", date("2026-01-01"), 1, 3, 2, 5);
        assertEquals(good, Validation.expense(good));
        refused("id", "must be E3 for an expense created at index 3, got E4",
                () -> Validation.expense(new Expense("E4", money("1", "EUR"), "f", "", "p", date("2026-01-01"), 1, 3, 1, 3)));
        refused("updated_index", "must not be below created_index 3",
                () -> Validation.expense(new Expense("E3", money("1", "EUR"), "f", "", "p", date("2026-01-01"), 1, 3, 1, 2)));
        refused("created_term", "got -1",
                () -> Validation.expense(new Expense("E3", money("1", "EUR"), "f", "", "p", date("2026-01-01"), -1, 3, 1, 3)));
        refused("category", "must not be empty",
                () -> Validation.expense(new Expense("E3", money("1", "EUR"), " ", "", "p", date("2026-01-01"), 1, 3, 1, 3)));
    }

    @Test
    void messagesQuoteInputSafely() {
        LedgerException e = refused("client_id", "only letters", () -> Validation.clientId("a\u0000" + "x".repeat(50)));
        assertTrue(e.getMessage().contains("a\\u0000xxx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("...'"), e.getMessage());
        LedgerException generic = refused("note", "must be at most 5 characters, got 6", () -> Validation.text("note", "abcdef", 0, 5));
        assertEquals("note", generic.field());
    }
}
