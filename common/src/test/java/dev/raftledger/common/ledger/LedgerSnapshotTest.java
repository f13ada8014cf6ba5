package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static dev.raftledger.common.ledger.Fixtures.money;
import static dev.raftledger.common.ledger.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed snapshot ({@link Ledger#writeSnapshot}, {@link Ledger#readSnapshot}) is the tree
 * snapshot's document byte for byte, reads back to the same state, refuses what the tree reader
 * refuses; {@link Ledger#copy} is a point-in-time copy.
 */
class LedgerSnapshotTest {

    /** Adds, an edit, deletes (one of an unknown id: a remembered NOT_FOUND), a no-op, a new term. */
    private static Ledger sample() {
        Ledger l = new Ledger();
        l.apply(0, 1, lunch("c1", 1));
        l.apply(1, 1, add("c2", 4, "3", "USD", "coffee", "", "bo", "2026-01-03"));
        l.apply(2, 2, edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer("chen").withAmount(money("7.5", "GBP"))));
        l.apply(3, 2, delete("c2", 5, "E9"));
        l.apply(4, 2, add("c3", 1, "1000", "JPY", "travel", "bus", "ana", "2026-02-01"));
        l.apply(5, 2, delete("c3", 2, "E4"));
        l.applyNoop(7, 3);
        return l;
    }

    /**
     * Text that JSON must escape or encode as multi-byte UTF-8, and a remembered refusal (control
     * characters are refused by validation, so they appear only in refusal messages).
     */
    private static Ledger unicode() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, add("c1", 1, "4.20", "EUR", "café", "crème brûlée \"deux\" \\ back </script>", "Zoë", "2026-03-01"));
        l.apply(1, 1, add("c2", 1, "900", "JPY", "寿司", "回転寿司 🍣 and 🍕 (astral plane)", "山田", "2026-03-02"));
        l.apply(2, 1, add("c3", 1, "1", "CHF", "x", "escaped: \\u0041 \\\" / end", "Ünal", "2999-12-31"));
        // a write that fails validation is remembered with its message
        l.apply(3, 1, add("c5", 1, "1", "EUR", "x", "tab\there", "a", "2026-01-01"));
        l.apply(4, 2, Codec.readTree("{\"op\":\"add\",\"client_id\":\"c4\",\"seq\":9,\"amount\":\"-1\",\"currency\":\"EUR\","
                + "\"category\":\"ü\",\"payer\":\"a\",\"date\":\"2026-01-01\"}"));
        l.apply(5, 2, edit("c1", 2, "E0", ExpenseChanges.NONE.withDescription("ändert ✓")));
        assertEquals(3, l.size(), "the three adds were valid");
        assertEquals(ErrorCode.INVALID, l.session("c4").orElseThrow().result().error());
        assertTrue(l.session("c5").orElseThrow().result().message().contains("U+0009"));
        return l;
    }

    /** A seeded mix of many writes from several clients, as a longer-running node sees. */
    private static Ledger random(long seed, int writes) {
        Random r = new Random(seed);
        String[] currencies = {"EUR", "USD", "JPY", "GBP"};
        Ledger l = new Ledger();
        long[] seqs = new long[20];
        long index = 0;
        long term = 1;
        for (int i = 0; i < writes; i++) {
            if (r.nextInt(50) == 0) {
                term++;
                l.applyNoop(index++, term);
            }
            int c = r.nextInt(seqs.length);
            String client = "client-" + c;
            long seq = ++seqs[c];
            int op = r.nextInt(10);
            String someId = "E" + (index == 0 ? 0 : r.nextLong(index));
            LedgerCommand cmd;
            if (op < 7) {
                String cur = currencies[r.nextInt(currencies.length)];
                String amount = cur.equals("JPY") ? String.valueOf(1 + r.nextInt(9999)) : (1 + r.nextInt(500)) + "." + r.nextInt(10) + "5";
                cmd = add(client, seq, amount, cur, "cat" + r.nextInt(12), "item " + i, "payer" + r.nextInt(7),
                        LocalDate.of(2025 + r.nextInt(2), 1 + r.nextInt(12), 1 + r.nextInt(28)).toString());
            } else if (op < 9) {
                cmd = edit(client, seq, someId, ExpenseChanges.NONE.withCategory("edited" + r.nextInt(3)));
            } else {
                cmd = delete(client, seq, someId);
            }
            l.apply(index++, term, cmd);
        }
        return l;
    }

    private static byte[] streamed(Ledger l) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.writeSnapshot(out);
        return out.toByteArray();
    }

    private static Ledger read(byte[] bytes) throws LedgerException, IOException {
        return Ledger.readSnapshot(new ByteArrayInputStream(bytes));
    }

    private static Ledger read(String json) throws LedgerException, IOException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Ledger l) throws IOException {
        return new String(streamed(l), StandardCharsets.UTF_8);
    }

    private static List<Ledger> ledgers() throws Exception {
        return List.of(new Ledger(), sample(), unicode(), random(7, 3_000));
    }

    @Test
    void theStreamIsTheTreeSnapshotByteForByte() throws Exception {
        for (Ledger l : ledgers()) {
            assertArrayEquals(Codec.toBytes(l.toSnapshot()), streamed(l), () -> "ledger at index " + l.appliedIndex());
        }
        // as the tree writer does (same factory): UTF-8 text, astral characters as escaped surrogates
        assertTrue(json(unicode()).contains("回転寿司 \\uD83C\\uDF63"), json(unicode()));
    }

    @Test
    void theDigestIsStillTheHashOfTheTreeSnapshot() throws Exception {
        for (Ledger l : ledgers()) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(Codec.toBytes(l.toSnapshot()));
            assertEquals(HexFormat.of().formatHex(sha), l.stateDigest());
        }
    }

    @Test
    void aStreamReadsBackToTheSameState() throws Exception {
        for (Ledger original : ledgers()) {
            Ledger back = read(streamed(original));
            assertEquals(original.stateDigest(), back.stateDigest());
            assertEquals(original.appliedIndex(), back.appliedIndex());
            assertEquals(original.appliedTerm(), back.appliedTerm());
            assertEquals(original.list(ExpenseFilter.all()), back.list(ExpenseFilter.all()));
            assertEquals(original.sessions(), back.sessions());
            // and the tree reader agrees with the stream reader
            assertEquals(original.stateDigest(), Ledger.fromSnapshot(original.toSnapshot()).stateDigest());
        }
        // a restored ledger goes on exactly as the original
        Ledger a = random(11, 500);
        Ledger b = read(streamed(a));
        LedgerCommand next = lunch("client-3", 1_000);
        assertEquals(a.apply(a.appliedIndex() + 1, 9, next), b.apply(b.appliedIndex() + 1, 9, next));
        assertEquals(a.stateDigest(), b.stateDigest());
    }

    @Test
    void theDocumentCanBeOneValueOfALargerDocument() throws Exception {
        Ledger l = sample();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Codec.generator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeFieldName("ledger");
            l.writeSnapshot(g);
            g.writeFieldName("stores");
            Codec.writeValue(g, Codec.readTree("[{\"key\":\"k\",\"value\":[1,\"é\"]}]"));
            g.writeEndObject();
        }
        try (JsonParser p = Codec.parser(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            assertEquals(JsonToken.FIELD_NAME, p.nextToken());
            p.nextToken();
            assertEquals(JsonToken.FIELD_NAME, p.nextToken());
            assertEquals("ledger", p.currentName());
            p.nextToken();
            assertEquals(l.stateDigest(), Ledger.readSnapshot(p).stateDigest());
            assertEquals(JsonToken.END_OBJECT, p.currentToken(), "left on the snapshot's closing brace");
            assertEquals(JsonToken.FIELD_NAME, p.nextToken());
            assertEquals("stores", p.currentName());
            p.nextToken();
            assertEquals("[{\"key\":\"k\",\"value\":[1,\"é\"]}]", Codec.toJson(Codec.readValue(p)));
            assertEquals(JsonToken.END_OBJECT, p.nextToken());
            assertEquals(null, p.nextToken());
        }
    }

    @Test
    void fieldsInAnyOrderAndUnknownFieldsAreRead() throws Exception {
        Ledger l = sample();
        ObjectNode tree = l.toSnapshot();
        ObjectNode reordered = Codec.objectNode();
        reordered.set("sessions", tree.get("sessions"));
        reordered.set("comment", Codec.readTree("{\"x\":[1,{\"y\":null}],\"z\":\"ignored\"}"));
        reordered.set("expenses", tree.get("expenses"));
        reordered.set("applied_term", tree.get("applied_term"));
        reordered.set("applied_index", tree.get("applied_index"));
        reordered.set("format", tree.get("format"));
        assertEquals(l.stateDigest(), read(Codec.toBytes(reordered)).stateDigest());
        assertEquals(l.stateDigest(), Ledger.fromSnapshot(reordered).stateDigest());
        // the applied-index check still holds when the index comes after the expenses
        reordered.put("applied_index", 1);
        refused("expenses", "expense E0 changed at index 2, after the applied index 1", () -> read(Codec.toBytes(reordered)));
    }

    @Test
    void wrongFormatAndInconsistentStateAreRefused() throws Exception {
        String good = json(sample());
        refused("format", "unsupported snapshot format 3", () -> read(good.replace("\"format\":1", "\"format\":3")));
        refused("format", "is required", () -> read(good.replace("\"format\":1,", "")));
        refused("format", "must be an integer, got array", () -> read(good.replace("\"format\":1", "\"format\":[1]")));
        refused("applied_index", "got -2", () -> read(good.replace("\"applied_index\":7", "\"applied_index\":-2")));
        refused("applied_term", "is required", () -> read(good.replace("\"applied_term\":3,", "")));
        refused("expenses", "expenses[0] E0 changed at index 2, after the applied index 1",
                () -> read(good.replace("\"applied_index\":7", "\"applied_index\":1")));
        refused("expenses", "must be a JSON array", () -> read(good.replace("\"expenses\":[", "\"expenses\":{\"x\":[")
                .replace("],\"sessions\"", "]},\"sessions\"")));
        refused("sessions", "must be a JSON array", () -> read(good.replace("\"sessions\":[", "\"nosessions\":[")));
        refused(null, "a snapshot must be a JSON object, got array", () -> read("[]"));
        refused(null, "a snapshot must be a JSON object, got nothing", () -> read(""));

        ObjectNode dup = sample().toSnapshot();
        ((ArrayNode) dup.get("expenses")).add(dup.get("expenses").get(0).deepCopy());
        refused("expenses", "expense E0 appears twice", () -> read(Codec.toBytes(dup)));

        ObjectNode badAmount = sample().toSnapshot();
        ((ObjectNode) badAmount.get("expenses").get(1)).put("amount", "-1");
        LedgerException e = refusedAnywhere("snapshot expenses[1]: amount: must be greater than 0", () -> read(Codec.toBytes(badAmount)));
        assertEquals("amount", e.field());

        ObjectNode dupClient = sample().toSnapshot();
        ((ArrayNode) dupClient.get("sessions")).add(dupClient.get("sessions").get(0).deepCopy());
        refusedAnywhere("snapshot sessions[3]: client_id: client c1 appears twice", () -> read(Codec.toBytes(dupClient)));

        ObjectNode noResult = sample().toSnapshot();
        ((ObjectNode) noResult.get("sessions").get(2)).remove("result");
        refusedAnywhere("snapshot sessions[2]: a result must be a JSON object", () -> read(Codec.toBytes(noResult)));
    }

    @Test
    void malformedTruncatedAndDuplicatedJsonIsRefused() throws Exception {
        byte[] good = streamed(sample());
        // every cut of the document, anywhere, is a clear refusal (never a crash, never a ledger)
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            LedgerException e = assertThrows(LedgerException.class, () -> read(cut), "cut at " + n);
            assertEquals(ErrorCode.INVALID, e.code());
            if (n > 0) {
                assertTrue(e.getMessage().startsWith("snapshot: malformed or truncated JSON: "), e.getMessage());
                assertTrue(e.getMessage().contains("(at byte "), e.getMessage());
            }
        }
        String text = new String(good, StandardCharsets.UTF_8);
        refusedAnywhere("snapshot: trailing content after the document", () -> read(text + " {}"));
        refusedAnywhere("snapshot: malformed or truncated JSON", () -> read(text.replace("\"expenses\":[", "\"expenses\":[,")));
        refusedAnywhere("snapshot: malformed or truncated JSON", () -> read(text.replace("\"applied_term\":3", "\"applied_term\":1e99999999999")));
        // the codec's parser refuses a repeated key anywhere, an expense's included ...
        refusedAnywhere("Duplicate field 'payer'", () -> read(text.replace("\"payer\":\"chen\"", "\"payer\":\"chen\",\"payer\":\"x\"")));
        refusedAnywhere("Duplicate field 'format'", () -> read("{\"format\":1," + text.substring(1)));
        // ... and a lenient parser's stream still cannot name a top-level field twice
        String twice = "{\"applied_index\":0," + text.substring(1);
        try (JsonParser lenient = new JsonFactory().createParser(twice)) {
            refusedAnywhere("snapshot: field 'applied_index' appears twice", () -> Ledger.readSnapshot(lenient));
        }
    }

    @Test
    void theStreamsOwnFailureIsAnIoExceptionNotABadSnapshot() throws Exception {
        byte[] good = streamed(random(3, 200));
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == good.length / 2) {
                    throw new IOException("disk on fire");
                }
                return good[at++] & 0xFF;
            }
        };
        IOException e = assertThrows(IOException.class, () -> Ledger.readSnapshot(failing));
        assertEquals("disk on fire", e.getMessage());
    }

    @Test
    void aCopyIsIndependentOfLaterWritesEitherWay() throws Exception {
        Ledger original = sample();
        String before = original.stateDigest();
        Ledger copy = original.copy();
        assertEquals(before, copy.stateDigest());
        assertSame(original.get("E0").orElseThrow(), copy.get("E0").orElseThrow(), "records are shared, not copied");

        // writes to the original: add, edit, delete, a new client, a client's next seq, a no-op
        original.apply(8, 3, lunch("c9", 1));
        original.apply(9, 3, edit("c1", 3, "E0", ExpenseChanges.NONE.withCategory("changed")));
        original.apply(10, 3, delete("c2", 6, "E1"));
        original.applyNoop(11, 4);
        assertEquals(before, copy.stateDigest());
        assertEquals(7, copy.appliedIndex());
        assertEquals(3, copy.appliedTerm());
        assertEquals(2, copy.size());
        assertEquals("food", copy.get("E0").orElseThrow().category());
        assertTrue(copy.session("c9").isEmpty());
        assertEquals(2, copy.session("c1").orElseThrow().seq());

        // and writes to the copy do not reach the original
        String originalNow = original.stateDigest();
        copy.apply(8, 3, lunch("other", 1));
        assertEquals(originalNow, original.stateDigest());
        assertNotEquals(before, copy.stateDigest());
    }

    @Test
    void aCopyWritesTheSnapshotTheOriginalHadWhenItWasTaken() throws Exception {
        Ledger original = random(5, 2_000);
        byte[] atCopy = streamed(original);
        Ledger copy = original.copy();
        for (int i = 0; i < 100; i++) {
            original.apply(original.appliedIndex() + 1, 99, lunch("late", i + 1));
        }
        assertArrayEquals(atCopy, streamed(copy));
    }

    @Test
    void repeatedCategoriesAndPayersAreHeldOnceWhetherAppliedEditedOrRestored() throws Exception {
        Ledger l = new Ledger();
        // each entry parsed from its own bytes, as on a node: equal strings, distinct instances
        String add = "{\"op\":\"add\",\"client_id\":\"c%d\",\"seq\":1,\"amount\":\"1\",\"currency\":\"EUR\","
                + "\"category\":\"food\",\"description\":\"d\",\"payer\":\"ana\",\"date\":\"2026-01-01\"}";
        l.apply(0, 1, Codec.readTree(String.format(add, 0)));
        l.apply(1, 1, Codec.readTree(String.format(add, 1)));
        l.apply(2, 1, Codec.readTree("{\"op\":\"edit\",\"client_id\":\"c2\",\"seq\":1,\"id\":\"E1\","
                + "\"category\":\"" + new String("food".toCharArray()) + "\"}"));
        assertSame(l.get("E0").orElseThrow().category(), l.get("E1").orElseThrow().category());
        assertSame(l.get("E0").orElseThrow().payer(), l.get("E1").orElseThrow().payer());
        Ledger back = read(streamed(l));
        assertSame(l.get("E0").orElseThrow().category(), back.get("E1").orElseThrow().category());
        assertSame(l.get("E1").orElseThrow().payer(), back.get("E0").orElseThrow().payer());
        assertEquals(l.stateDigest(), back.stateDigest());
    }

    /** Refused as INVALID with a message containing {@code part} (any field). */
    private static LedgerException refusedAnywhere(String part, org.junit.jupiter.api.function.Executable call) {
        LedgerException e = assertThrows(LedgerException.class, call);
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        return e;
    }
}
