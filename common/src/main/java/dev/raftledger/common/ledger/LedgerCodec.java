package dev.raftledger.common.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Ledger values to and from JSON trees, with stable snake_case field names written in a fixed
 * order. Amounts are JSON strings of plain decimal text ("12.50"), never JSON numbers, so that
 * no reader on the way turns them into floats; counters (seq, terms, indices) are written as
 * JSON integers and read from integers or digit strings, as in the wire protocol.
 *
 * <p>Decoding validates everything with {@link Validation}, in the same order as
 * {@link Validation#command} (so a command refused here and the same command refused by
 * {@link Ledger#apply} get the same message), and throws only {@link LedgerException}, whatever
 * the input. Commands are strict: a field the operation does not know is refused, so that a
 * misspelt field of an edit is not silently ignored.
 *
 * <p>Shapes (fields in this order; optional ones omitted on output when absent):
 * <pre>
 * add:     {"op":"add","client_id":"c1","seq":7,"amount":"12.50","currency":"EUR",
 *           "category":"food","description":"lunch","payer":"ana","date":"2026-11-25"}
 * edit:    {"op":"edit","client_id":"c1","seq":8,"id":"E3", then any of
 *           "amount"+"currency" (together), "category","description","payer","date"}
 * delete:  {"op":"delete","client_id":"c1","seq":9,"id":"E3"}
 * expense: {"id":"E3","amount":"12.50","currency":"EUR","category":"food","description":"lunch",
 *           "payer":"ana","date":"2026-11-25","created_term":1,"created_index":3,
 *           "updated_term":1,"updated_index":3} then, where known, "created_by":"alice","updated_by":"bob"
 * stamp:   a log entry's command then, added by the leader, "time":MS,"session_ttl":MS and/or "by":"alice"
 * result:  {"ok":true,"id":"E3","expense":{...}|null,"error":null,"message":null}
 *          {"ok":false,"id":null,"expense":null,"error":"INVALID","message":"amount: must be greater than 0, got 0"}
 * filter:  {"category":..,"payer":..,"from":"2026-01-01","to":"2026-12-31","text":..,"offset":0,"limit":50}
 * totals:  {"by":"category","groups":{"food":{"EUR":"25.50","USD":"3.00"}}}
 * </pre>
 */
public final class LedgerCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?[0-9]{1,19}");

    private static final Set<String> ADD_FIELDS = Set.of("op", "client_id", "seq", "amount", "currency",
            "category", "description", "payer", "date");
    private static final Set<String> EDIT_FIELDS = Set.of("op", "client_id", "seq", "id", "amount", "currency",
            "category", "description", "payer", "date");
    private static final Set<String> DELETE_FIELDS = Set.of("op", "client_id", "seq", "id");
    /** The fields a leader adds to a command in its log entry ({@link #stamped}); never from a client. */
    private static final Set<String> STAMP_FIELDS = Set.of(Ledger.Stamp.TIME, Ledger.Stamp.SESSION_TTL, Ledger.Stamp.BY);
    private static final Set<String> FILTER_FIELDS = Set.of("category", "payer", "from", "to", "text",
            "offset", "limit");

    private LedgerCodec() {}

    // ---- commands ---------------------------------------------------------------------------

    /** A command as JSON. Null fields of an (invalid) in-memory command are written as JSON null. */
    public static ObjectNode commandToJson(LedgerCommand cmd) {
        ObjectNode o = NODES.objectNode();
        o.put("op", cmd.op());
        o.put("client_id", cmd.clientId());
        o.put("seq", cmd.seq());
        if (cmd instanceof LedgerCommand.Add add) {
            ExpenseDraft d = add.expense();
            putMoney(o, d == null ? null : d.amount(), true);
            o.put("category", d == null ? null : d.category());
            o.put("description", d == null ? null : d.description());
            o.put("payer", d == null ? null : d.payer());
            o.put("date", d == null || d.date() == null ? null : d.date().toString());
        } else if (cmd instanceof LedgerCommand.Edit edit) {
            o.put("id", edit.id());
            ExpenseChanges c = edit.changes() == null ? ExpenseChanges.NONE : edit.changes();
            putMoney(o, c.amount(), false);
            putIfNotNull(o, "category", c.category());
            putIfNotNull(o, "description", c.description());
            putIfNotNull(o, "payer", c.payer());
            putIfNotNull(o, "date", c.date() == null ? null : c.date().toString());
        } else if (cmd instanceof LedgerCommand.Delete delete) {
            o.put("id", delete.id());
        }
        return o;
    }

    public static LedgerCommand commandFromJson(String json) throws LedgerException {
        return commandFromJson(parse(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static LedgerCommand commandFromJson(byte[] json) throws LedgerException {
        return commandFromJson(parse(json));
    }

    /** Decodes and validates a command; the result is normalised (text stripped, amount at its currency's scale). */
    public static LedgerCommand commandFromJson(JsonNode n) throws LedgerException {
        return command(n, false);
    }

    /**
     * A command as a log entry holds it: {@link #commandFromJson(JsonNode)}, except that the
     * leader's stamp fields ({@link #stamped}) are allowed (and ignored here: {@link #stampFromJson}
     * reads them). A client's command carrying them is refused, so no client sets the ledger's
     * clock or says who wrote (a {@code by} of its own is refused with a message saying so).
     */
    static LedgerCommand commandFromLog(JsonNode n) throws LedgerException {
        return command(n, true);
    }

    /**
     * {@code command} (a command's JSON, {@link #commandToJson}) with the leader's stamp added
     * after the command's fields: {@code "time"} (its wall clock, ms since the epoch) and
     * {@code "session_ttl"} (ms, 0: never expire) if the stamp has a time, then {@code "by"} (the
     * writer's name) if it names one. {@link Ledger.Stamp#NONE} adds nothing. Returns
     * {@code command}, changed.
     */
    public static ObjectNode stamped(ObjectNode command, Ledger.Stamp stamp) {
        if (stamp.hasTime()) {
            command.put(Ledger.Stamp.TIME, stamp.time());
            command.put(Ledger.Stamp.SESSION_TTL, stamp.sessionTtlMs());
        }
        if (stamp.by() != null) {
            command.put(Ledger.Stamp.BY, stamp.by());
        }
        return command;
    }

    /**
     * A client's command ({@link #commandFromJson(JsonNode)}: decoded, validated and normalised
     * once) with the stamp the leader gives its entry: what the leader proposes
     * ({@link #entryBytes}) and, once the entry commits, applies without decoding it again.
     */
    public static LedgerWrite accept(JsonNode clientCommand, Ledger.Stamp stamp) throws LedgerException {
        return new LedgerWrite(commandFromJson(clientCommand), stamp);
    }

    /**
     * A log entry's write decoded as {@link Ledger#apply(long, long, JsonNode)} decodes it (stamp,
     * then command); for checking that what the leader kept is what its entry holds.
     */
    public static LedgerWrite writeFromLog(JsonNode entry) throws LedgerException {
        JsonNode o = object(entry, "a command");
        Ledger.Stamp stamp = stampFromJson(o);
        return new LedgerWrite(commandFromLog(o), stamp);
    }

    /**
     * The write a log entry holds, read token by token without building a tree, or null if it
     * is not one this reader takes: then the caller applies the entry through
     * {@link Ledger#apply(long, long, JsonNode)}, whose tree path gives every refusal its exact
     * message. Taken: a JSON object of string fields and integer {@code seq}, {@code time} and
     * {@code session_ttl} as leaders write them (a JSON null, a number as a string, a field the
     * operation does not know, or anything {@link Validation} refuses falls back to the tree).
     * What it returns is what {@link #writeFromLog} returns for the same bytes (LedgerWriteTest
     * holds the two together, also over mutated entries). Followers apply every write so, once.
     */
    public static LedgerWrite fastWriteFromLog(byte[] entry) {
        String op = null, client = null, id = null, amount = null, currency = null, category = null;
        String description = null, payer = null, date = null, by = null;
        long seq = 0, time = 0, ttl = 0;
        boolean hasSeq = false, hasTime = false, hasTtl = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (com.fasterxml.jackson.core.JsonParser p = Codec.parserForFlatObject(entry)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
                 t = p.nextToken()) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (!seen.add(name)) {
                    return null; // a duplicate key: the tree path refuses the entry
                }
                if (name.equals("seq") || name.equals(Ledger.Stamp.TIME) || name.equals(Ledger.Stamp.SESSION_TTL)) {
                    if (v != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
                            || p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER) {
                        return null;
                    }
                    long n = p.getLongValue();
                    switch (name) {
                        case "seq" -> { seq = n; hasSeq = true; }
                        case Ledger.Stamp.TIME -> { time = n; hasTime = true; }
                        default -> { ttl = n; hasTtl = true; }
                    }
                    continue;
                }
                if (v != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return null;
                }
                String text = p.getText();
                switch (name) {
                    case "op" -> op = text;
                    case "client_id" -> client = text;
                    case "id" -> id = text;
                    case "amount" -> amount = text;
                    case "currency" -> currency = text;
                    case "category" -> category = text;
                    case "description" -> description = text;
                    case "payer" -> payer = text;
                    case "date" -> date = text;
                    case Ledger.Stamp.BY -> by = text;
                    default -> {
                        return null;
                    }
                }
            }
            if (p.nextToken() != null) {
                return null;
            }
            Set<String> known = op == null ? null : switch (op) {
                case LedgerCommand.Add.OP -> ADD_FIELDS;
                case LedgerCommand.Edit.OP -> EDIT_FIELDS;
                case LedgerCommand.Delete.OP -> DELETE_FIELDS;
                default -> null;
            };
            if (known == null || !hasSeq) {
                return null;
            }
            for (String name : seen) {
                if (!known.contains(name) && !STAMP_FIELDS.contains(name)) {
                    return null;
                }
            }
            // as stampFromJson
            String writer = by == null ? null : Validation.writer(Ledger.Stamp.BY, by);
            Ledger.Stamp stamp;
            if (!hasTime && !hasTtl) {
                stamp = writer == null ? Ledger.Stamp.NONE : new Ledger.Stamp(0, 0, writer);
            } else if (!hasTime || !hasTtl) {
                return null;
            } else {
                stamp = new Ledger.Stamp(Validation.counter(Ledger.Stamp.TIME, time, 1),
                        Validation.counter(Ledger.Stamp.SESSION_TTL, ttl, 0), writer);
            }
            // as command(), fromLog
            String c = Validation.clientId(client);
            long s = Validation.seq(seq);
            LedgerCommand cmd;
            switch (op) {
                case LedgerCommand.Add.OP:
                    cmd = new LedgerCommand.Add(c, s, new ExpenseDraft(Validation.money(amount, currency),
                            Validation.category(category), Validation.description(description), Validation.payer(payer),
                            Validation.date(date)));
                    break;
                case LedgerCommand.Edit.OP: {
                    String eid = Validation.expenseId(id);
                    if (amount == null && currency == null && category == null && description == null && payer == null
                            && date == null) {
                        return null; // "nothing to change": the tree path says so
                    }
                    if ((amount == null) != (currency == null)) {
                        return null;
                    }
                    Money money = amount == null ? null : Validation.money(amount, currency);
                    cmd = new LedgerCommand.Edit(c, s, eid, new ExpenseChanges(money,
                            category == null ? null : Validation.category(category),
                            description == null ? null : Validation.description(description),
                            payer == null ? null : Validation.payer(payer),
                            date == null ? null : Validation.date(date)));
                    break;
                }
                default:
                    cmd = new LedgerCommand.Delete(c, s, Validation.expenseId(id));
            }
            return new LedgerWrite(cmd, stamp);
        } catch (LedgerException | IOException | RuntimeException e) {
            return null; // the tree path refuses it with its own message, or takes it
        }
    }

    /**
     * The log entry of {@code write}: the bytes of {@code Codec.toBytes(stamped(commandToJson(command),
     * stamp))}, streamed without building a tree (LedgerWriteTest checks they are the same). Change
     * the two together.
     */
    public static byte[] entryBytes(LedgerWrite write) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(192);
        try (JsonGenerator g = Codec.generator(out)) {
            LedgerCommand cmd = write.command();
            g.writeStartObject();
            g.writeStringField("op", cmd.op());
            writeStringOrNull(g, "client_id", cmd.clientId());
            g.writeNumberField("seq", cmd.seq());
            if (cmd instanceof LedgerCommand.Add add) {
                ExpenseDraft d = add.expense();
                writeMoney(g, d == null ? null : d.amount(), true);
                writeStringOrNull(g, "category", d == null ? null : d.category());
                writeStringOrNull(g, "description", d == null ? null : d.description());
                writeStringOrNull(g, "payer", d == null ? null : d.payer());
                writeStringOrNull(g, "date", d == null || d.date() == null ? null : d.date().toString());
            } else if (cmd instanceof LedgerCommand.Edit edit) {
                writeStringOrNull(g, "id", edit.id());
                ExpenseChanges c = edit.changes() == null ? ExpenseChanges.NONE : edit.changes();
                writeMoney(g, c.amount(), false);
                writeIfNotNull(g, "category", c.category());
                writeIfNotNull(g, "description", c.description());
                writeIfNotNull(g, "payer", c.payer());
                writeIfNotNull(g, "date", c.date() == null ? null : c.date().toString());
            } else if (cmd instanceof LedgerCommand.Delete delete) {
                writeStringOrNull(g, "id", delete.id());
            }
            Ledger.Stamp stamp = write.stamp();
            if (stamp.hasTime()) {
                g.writeNumberField(Ledger.Stamp.TIME, stamp.time());
                g.writeNumberField(Ledger.Stamp.SESSION_TTL, stamp.sessionTtlMs());
            }
            if (stamp.by() != null) {
                g.writeStringField(Ledger.Stamp.BY, stamp.by());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeMoney(JsonGenerator g, Money m, boolean always) throws IOException {
        if (m != null) {
            g.writeStringField("amount", m.amountText());
            g.writeStringField("currency", m.currencyCode());
        } else if (always) {
            g.writeNullField("amount");
            g.writeNullField("currency");
        }
    }

    private static void writeIfNotNull(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /**
     * The stamp of a log entry's command ({@link #stamped}); {@link Ledger.Stamp#NONE} for an
     * entry written before stamps existed (no {@code time}, no {@code by}). {@code time} and
     * {@code session_ttl} come both or neither; {@code by}, a writer's name
     * ({@link Validation#writer}), with them or alone.
     */
    static Ledger.Stamp stampFromJson(JsonNode o) throws LedgerException {
        boolean time = present(o, Ledger.Stamp.TIME);
        boolean ttl = present(o, Ledger.Stamp.SESSION_TTL);
        String by = optText(o, Ledger.Stamp.BY);
        by = by == null ? null : Validation.writer(Ledger.Stamp.BY, by);
        if (!time && !ttl) {
            return by == null ? Ledger.Stamp.NONE : new Ledger.Stamp(0, 0, by);
        }
        if (!time || !ttl) {
            throw LedgerException.invalid(time ? Ledger.Stamp.SESSION_TTL : Ledger.Stamp.TIME,
                    "is required with " + (time ? Ledger.Stamp.TIME : Ledger.Stamp.SESSION_TTL));
        }
        return new Ledger.Stamp(Validation.counter(Ledger.Stamp.TIME, requiredLong(o, Ledger.Stamp.TIME), 1),
                Validation.counter(Ledger.Stamp.SESSION_TTL, requiredLong(o, Ledger.Stamp.SESSION_TTL), 0), by);
    }

    private static LedgerCommand command(JsonNode n, boolean fromLog) throws LedgerException {
        JsonNode o = object(n, "a command");
        String op = optText(o, "op");
        if (op == null) {
            throw LedgerException.invalid("op", "is required: add, edit or delete");
        }
        Set<String> known;
        switch (op) {
            case LedgerCommand.Add.OP:
                known = ADD_FIELDS;
                break;
            case LedgerCommand.Edit.OP:
                known = EDIT_FIELDS;
                break;
            case LedgerCommand.Delete.OP:
                known = DELETE_FIELDS;
                break;
            default:
                throw LedgerException.invalid("op", "must be add, edit or delete, got '" + Validation.quote(op) + "'");
        }
        if (!fromLog && o.has(Ledger.Stamp.BY)) {
            // who wrote is the leader's to say, from the key that sealed the request
            throw LedgerException.invalid(Ledger.Stamp.BY, "is recorded by the leader from the key the request was"
                    + " sealed with; a client may not set it (leave the field out)");
        }
        refuseUnknown(o, known, fromLog ? STAMP_FIELDS : Set.of(), "op '" + op + "'");
        String client = Validation.clientId(optText(o, "client_id"));
        long seq = Validation.seq(requiredLong(o, "seq"));
        switch (op) {
            case LedgerCommand.Add.OP: {
                Money amount = Validation.money(amountText(o), optText(o, "currency"));
                String category = Validation.category(optText(o, "category"));
                String description = Validation.description(optText(o, "description"));
                String payer = Validation.payer(optText(o, "payer"));
                LocalDate date = Validation.date(optText(o, "date"));
                return new LedgerCommand.Add(client, seq, new ExpenseDraft(amount, category, description, payer, date));
            }
            case LedgerCommand.Edit.OP: {
                String id = Validation.expenseId(optText(o, "id"));
                boolean hasAmount = present(o, "amount");
                boolean hasCurrency = present(o, "currency");
                if (!hasAmount && !hasCurrency && !present(o, "category") && !present(o, "description")
                        && !present(o, "payer") && !present(o, "date")) {
                    Validation.changes(ExpenseChanges.NONE); // throws the one "nothing to change" message
                }
                Money amount = null;
                if (hasAmount || hasCurrency) {
                    if (!hasCurrency) {
                        throw LedgerException.invalid("currency", "is required with an amount (amount and currency change together)");
                    }
                    if (!hasAmount) {
                        throw LedgerException.invalid("amount", "is required with a currency (amount and currency change together)");
                    }
                    amount = Validation.money(amountText(o), optText(o, "currency"));
                }
                String category = optText(o, "category");
                category = category == null ? null : Validation.category(category);
                String description = optText(o, "description");
                description = description == null ? null : Validation.description(description);
                String payer = optText(o, "payer");
                payer = payer == null ? null : Validation.payer(payer);
                String dateText = optText(o, "date");
                LocalDate date = dateText == null ? null : Validation.date(dateText);
                return new LedgerCommand.Edit(client, seq, id, new ExpenseChanges(amount, category, description, payer, date));
            }
            default:
                return new LedgerCommand.Delete(client, seq, Validation.expenseId(optText(o, "id")));
        }
    }

    // ---- expenses ---------------------------------------------------------------------------

    public static ObjectNode expenseToJson(Expense e) {
        ObjectNode o = NODES.objectNode();
        o.put("id", e.id());
        putMoney(o, e.amount(), true);
        o.put("category", e.category());
        o.put("description", e.description());
        o.put("payer", e.payer());
        o.put("date", e.date().toString());
        o.put("created_term", e.createdTerm());
        o.put("created_index", e.createdIndex());
        o.put("updated_term", e.updatedTerm());
        o.put("updated_index", e.updatedIndex());
        putIfNotNull(o, "created_by", e.createdBy());
        putIfNotNull(o, "updated_by", e.updatedBy());
        return o;
    }

    public static ArrayNode expensesToJson(List<Expense> list) {
        ArrayNode a = NODES.arrayNode();
        for (Expense e : list) {
            a.add(expenseToJson(e));
        }
        return a;
    }

    /** Decodes and validates a stored expense (unknown fields are ignored; absent writers are null). */
    public static Expense expenseFromJson(JsonNode n) throws LedgerException {
        JsonNode o = object(n, "an expense");
        String id = Validation.expenseId(optText(o, "id"));
        Money amount = Validation.money(amountText(o), optText(o, "currency"));
        String category = Validation.category(optText(o, "category"));
        String description = Validation.description(optText(o, "description"));
        String payer = Validation.payer(optText(o, "payer"));
        LocalDate date = Validation.date(optText(o, "date"));
        long createdTerm = Validation.counter("created_term", requiredLong(o, "created_term"), 0);
        long createdIndex = Validation.counter("created_index", requiredLong(o, "created_index"), 0);
        long updatedTerm = Validation.counter("updated_term", requiredLong(o, "updated_term"), 0);
        long updatedIndex = Validation.counter("updated_index", requiredLong(o, "updated_index"), 0);
        String createdBy = optText(o, "created_by");
        String updatedBy = optText(o, "updated_by");
        return Validation.expense(new Expense(id, amount, category, description, payer, date,
                createdTerm, createdIndex, updatedTerm, updatedIndex, createdBy, updatedBy));
    }

    /**
     * Streams {@link #expenseToJson}'s object: through a {@link Codec#generator} it writes the
     * same bytes as {@code Codec.toBytes(expenseToJson(e))} (LedgerSnapshotTest checks), without
     * a tree. Change the two together.
     */
    static void writeExpense(JsonGenerator g, Expense e) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("amount", e.amount().amountText());
        g.writeStringField("currency", e.amount().currencyCode());
        g.writeStringField("category", e.category());
        g.writeStringField("description", e.description());
        g.writeStringField("payer", e.payer());
        g.writeStringField("date", e.date().toString());
        g.writeNumberField("created_term", e.createdTerm());
        g.writeNumberField("created_index", e.createdIndex());
        g.writeNumberField("updated_term", e.updatedTerm());
        g.writeNumberField("updated_index", e.updatedIndex());
        if (e.createdBy() != null) {
            g.writeStringField("created_by", e.createdBy());
        }
        if (e.updatedBy() != null) {
            g.writeStringField("updated_by", e.updatedBy());
        }
        g.writeEndObject();
    }

    // ---- results ----------------------------------------------------------------------------

    public static ObjectNode resultToJson(LedgerResult r) {
        ObjectNode o = NODES.objectNode();
        o.put("ok", r.ok());
        o.put("id", r.id());
        if (r.expense() == null) {
            o.putNull("expense");
        } else {
            o.set("expense", expenseToJson(r.expense()));
        }
        o.put("error", r.error() == null ? null : r.error().name());
        o.put("message", r.message());
        return o;
    }

    public static LedgerResult resultFromJson(JsonNode n) throws LedgerException {
        JsonNode o = object(n, "a result");
        JsonNode okNode = o.get("ok");
        if (okNode == null || !okNode.isBoolean()) {
            throw LedgerException.invalid("ok", "must be true or false, got " + type(okNode));
        }
        boolean ok = okNode.booleanValue();
        String id = optText(o, "id");
        if (id != null) {
            Validation.expenseId(id);
        }
        JsonNode expenseNode = o.get("expense");
        Expense expense = expenseNode == null || expenseNode.isNull() ? null : expenseFromJson(expenseNode);
        String errorText = optText(o, "error");
        ErrorCode error = null;
        if (errorText != null) {
            try {
                error = ErrorCode.valueOf(errorText);
            } catch (IllegalArgumentException e) {
                throw LedgerException.invalid("error", "unknown error code '" + Validation.quote(errorText) + "'");
            }
        }
        String message = optText(o, "message");
        if (ok && (id == null || error != null || message != null)) {
            throw LedgerException.invalid(null, "an ok result must have an id and no error or message");
        }
        if (!ok && (error == null || message == null || expense != null)) {
            throw LedgerException.invalid(null, "an error result must have an error and a message and no expense");
        }
        if (expense != null && !expense.id().equals(id)) {
            throw LedgerException.invalid("id", "must match the expense's id " + expense.id() + ", got " + id);
        }
        return new LedgerResult(ok, id, expense, error, message);
    }

    /** Streams {@link #resultToJson}'s object, byte for byte (see {@link #writeExpense}). */
    static void writeResult(JsonGenerator g, LedgerResult r) throws IOException {
        g.writeStartObject();
        writeResultFields(g, r);
        g.writeEndObject();
    }

    /** {@link #writeResult}'s fields, without the braces (an EXPENSE reply adds its own after them). */
    static void writeResultFields(JsonGenerator g, LedgerResult r) throws IOException {
        g.writeBooleanField("ok", r.ok());
        writeStringOrNull(g, "id", r.id());
        g.writeFieldName("expense");
        if (r.expense() == null) {
            g.writeNull();
        } else {
            writeExpense(g, r.expense());
        }
        writeStringOrNull(g, "error", r.error() == null ? null : r.error().name());
        writeStringOrNull(g, "message", r.message());
    }

    private static void writeStringOrNull(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    // ---- queries ----------------------------------------------------------------------------

    public static ObjectNode filterToJson(ExpenseFilter f) {
        ObjectNode o = NODES.objectNode();
        putIfNotNull(o, "category", f.category());
        putIfNotNull(o, "payer", f.payer());
        putIfNotNull(o, "from", f.from() == null ? null : f.from().toString());
        putIfNotNull(o, "to", f.to() == null ? null : f.to().toString());
        putIfNotNull(o, "text", f.text());
        if (f.offset() != 0) {
            o.put("offset", f.offset());
        }
        if (f.limit() != ExpenseFilter.NO_LIMIT) {
            o.put("limit", f.limit());
        }
        return o;
    }

    /** Every field optional; an absent limit means no limit. */
    public static ExpenseFilter filterFromJson(JsonNode n) throws LedgerException {
        JsonNode o = object(n, "a filter");
        refuseUnknown(o, FILTER_FIELDS, "a filter");
        String category = optText(o, "category");
        category = category == null ? null : Validation.category(category);
        String payer = optText(o, "payer");
        payer = payer == null ? null : Validation.payer(payer);
        String fromText = optText(o, "from");
        LocalDate from = fromText == null ? null : dateField("from", fromText);
        String toText = optText(o, "to");
        LocalDate to = toText == null ? null : dateField("to", toText);
        String text = optText(o, "text");
        text = text == null ? null : Validation.text("text", text, 0, Validation.MAX_DESCRIPTION_LENGTH);
        int offset = (int) optLong(o, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = (int) optLong(o, "limit", 0, Integer.MAX_VALUE, ExpenseFilter.NO_LIMIT);
        return new ExpenseFilter(category, payer, from, to, text, offset, limit);
    }

    public static ObjectNode totalsToJson(Totals t) {
        ObjectNode o = NODES.objectNode();
        o.put("by", t.by().wireName());
        ObjectNode groups = o.putObject("groups");
        for (Map.Entry<String, SortedMap<String, BigDecimal>> g : t.groups().entrySet()) {
            ObjectNode sums = groups.putObject(g.getKey());
            for (Map.Entry<String, BigDecimal> s : g.getValue().entrySet()) {
                sums.put(s.getKey(), s.getValue().toPlainString());
            }
        }
        return o;
    }

    public static Totals totalsFromJson(JsonNode n) throws LedgerException {
        JsonNode o = object(n, "totals");
        GroupBy by = GroupBy.fromWire(optText(o, "by"));
        JsonNode groups = object(o.get("groups"), "groups");
        TreeMap<String, SortedMap<String, BigDecimal>> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = groups.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> g = it.next();
            JsonNode sums = object(g.getValue(), "the sums of group '" + Validation.quote(g.getKey()) + "'");
            TreeMap<String, BigDecimal> bySum = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> si = sums.properties().iterator(); si.hasNext(); ) {
                Map.Entry<String, JsonNode> s = si.next();
                String code = Validation.currency(s.getKey()).getCurrencyCode();
                if (!s.getValue().isTextual()) {
                    throw LedgerException.invalid("amount", mustBeString(s.getValue()));
                }
                bySum.put(code, Validation.amount(s.getValue().textValue()));
            }
            out.put(g.getKey(), bySum);
        }
        return new Totals(by, out);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static JsonNode parse(byte[] json) throws LedgerException {
        if (json == null) {
            throw LedgerException.invalid(null, "no JSON given");
        }
        try {
            return Codec.readTree(json);
        } catch (MalformedMessageException e) {
            throw LedgerException.invalid(null, e.getMessage());
        }
    }

    static JsonNode object(JsonNode n, String what) throws LedgerException {
        if (n == null || !n.isObject()) {
            throw LedgerException.invalid(null, what + " must be a JSON object, got " + type(n));
        }
        return n;
    }

    private static void refuseUnknown(JsonNode o, Set<String> known, String what) throws LedgerException {
        refuseUnknown(o, known, Set.of(), what);
    }

    /** As above, {@code alsoAllowed} allowed too but not named in the message (the leader's stamp). */
    private static void refuseUnknown(JsonNode o, Set<String> known, Set<String> alsoAllowed, String what)
            throws LedgerException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name) && !alsoAllowed.contains(name)) {
                throw LedgerException.invalid(null, "unknown field '" + Validation.quote(name) + "' for " + what
                        + "; known: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static boolean present(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && !n.isNull();
    }

    /** A text field, or null where it is absent or JSON null. */
    static String optText(JsonNode o, String field) throws LedgerException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw LedgerException.invalid(field, "must be a JSON string, got " + type(n));
        }
        return n.textValue();
    }

    /** The amount's text; an amount sent as a JSON number is refused with a hint. */
    private static String amountText(JsonNode o) throws LedgerException {
        JsonNode n = o.get("amount");
        if (n != null && !n.isNull() && !n.isTextual()) {
            throw LedgerException.invalid("amount", mustBeString(n));
        }
        return n == null || n.isNull() ? null : n.textValue();
    }

    private static String mustBeString(JsonNode n) {
        if (n.isNumber()) {
            return "must be sent as a JSON string such as \"12.50\", not as a JSON number"
                    + " (numbers invite floating-point rounding)";
        }
        return "must be a JSON string such as \"12.50\", got " + type(n);
    }

    static long requiredLong(JsonNode o, String field) throws LedgerException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw LedgerException.invalid(field, "is required");
        }
        return toLong(n, field);
    }

    static long optLong(JsonNode o, String field, long min, long max, long absent) throws LedgerException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        long v = toLong(n, field);
        if (v < min || v > max) {
            throw LedgerException.invalid(field, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** An integer from a JSON integer or a string of ASCII digits (optional '-'), as the wire protocol reads numbers. */
    private static long toLong(JsonNode n, String field) throws LedgerException {
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw LedgerException.invalid(field, "is out of range: " + Validation.quote(n.asText()));
            }
            return n.longValue();
        }
        if (n.isTextual()) {
            String s = n.textValue().strip();
            if (INTEGER.matcher(s).matches()) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    // falls through to out of range
                }
            } else {
                throw LedgerException.invalid(field, "must be an integer, got '" + Validation.quote(n.textValue()) + "'");
            }
            throw LedgerException.invalid(field, "is out of range: " + Validation.quote(s));
        }
        throw LedgerException.invalid(field, "must be an integer, got " + type(n));
    }

    private static LocalDate dateField(String field, String text) throws LedgerException {
        try {
            return Validation.date(text);
        } catch (LedgerException e) {
            // the rule is the date rule, the field is this one
            throw LedgerException.invalid(field, e.getMessage().substring("date: ".length()));
        }
    }

    private static String type(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNumber() && !n.isIntegralNumber()) {
            return "a decimal number";
        }
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static void putMoney(ObjectNode o, Money m, boolean always) {
        if (m != null) {
            o.put("amount", m.amountText());
            o.put("currency", m.currencyCode());
        } else if (always) {
            o.putNull("amount");
            o.putNull("currency");
        }
    }

    private static void putIfNotNull(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
