package dev.raftledger.common.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;

/**
 * The ledger's snapshot document ({@link Ledger#toSnapshot()}'s shape) streamed: written one
 * expense at a time through a generator and read one expense at a time from a parser, so that
 * a ledger of a million expenses is never doubled in memory as a JSON tree. Only one expense's
 * or session's small tree exists at a time while reading; it is decoded and validated by the
 * same {@link LedgerCodec} methods as everywhere else.
 *
 * <p>There is one reader: {@link Ledger#fromSnapshot} runs it over its tree, so a tree and a
 * stream are validated alike by construction.
 */
final class LedgerSnapshot {

    private LedgerSnapshot() {}

    /** Writes the document as one JSON value; the generator is neither flushed nor closed. */
    static void write(JsonGenerator g, Ledger l, Iterable<Expense> expenses,
                      Map<String, Ledger.Session> sessions) throws IOException {
        boolean timed = l.format() >= 2;
        g.writeStartObject();
        g.writeNumberField("format", l.format());
        g.writeNumberField("applied_index", l.appliedIndex());
        g.writeNumberField("applied_term", l.appliedTerm());
        if (timed) {
            g.writeNumberField("clock", l.clock());
            g.writeNumberField("session_ttl", l.sessionTtlMs());
            g.writeNumberField("sessions_expired", l.sessionsExpired());
        }
        g.writeArrayFieldStart("expenses");
        for (Expense e : expenses) {
            LedgerCodec.writeExpense(g, e);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sessions");
        // in client id order, whatever order of activity the ledger keeps them in, so that equal
        // states write equal bytes; an array of references to sort (8 bytes a session), no map
        @SuppressWarnings("unchecked")
        Map.Entry<String, Ledger.Session>[] byClient = sessions.entrySet().toArray(new Map.Entry[0]);
        Arrays.sort(byClient, Map.Entry.comparingByKey());
        for (Map.Entry<String, Ledger.Session> s : byClient) {
            g.writeStartObject();
            g.writeStringField("client_id", s.getKey());
            g.writeNumberField("seq", s.getValue().seq());
            g.writeFieldName("result");
            LedgerCodec.writeResult(g, s.getValue().result());
            if (timed) {
                g.writeNumberField("last_active", s.getValue().lastActive());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Reads one document: the value at the parser's current token (or, if it has none yet, at
     * its next token), leaving the parser on that value's closing brace. With
     * {@code wholeStream}, anything after the document is refused.
     *
     * <p>Fields may come in any order, as in a tree; unknown ones are skipped. A field named
     * twice is refused. Format 1 (before sessions expired) has no clock, TTL, count of expired
     * sessions or last activity: each reads as 0; format 2 requires them. Malformed or truncated JSON is a {@link LedgerException} that says where;
     * an {@link IOException} is the stream's own failure (a read error, a checksum).
     */
    static Ledger read(JsonParser p, boolean wholeStream) throws LedgerException, IOException {
        try {
            Ledger l = readObject(p);
            if (wholeStream && p.nextToken() != null) {
                throw LedgerException.invalid(null, "snapshot: trailing content after the document" + at(p.currentLocation()));
            }
            return l;
        } catch (JsonProcessingException e) {
            // one message for both: Jackson reports a cut-short document with more than one
            // exception type ("Unexpected end-of-input ...", "Unrecognized token 'nu'")
            throw LedgerException.invalid(null, "snapshot: malformed or truncated JSON: " + e.getOriginalMessage()
                    + at(e.getLocation()));
        }
    }

    private static Ledger readObject(JsonParser p) throws LedgerException, IOException {
        JsonToken first = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (first != JsonToken.START_OBJECT) {
            throw LedgerException.invalid(null, "a snapshot must be a JSON object, got " + describe(first));
        }
        // the scalar header fields, kept as a small tree so that they are read by the same helpers
        ObjectNode header = Codec.objectNode();
        Set<String> seen = new HashSet<>();
        ExpenseTable expenses = null;
        List<Map.Entry<String, Ledger.Session>> sessions = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            if (!seen.add(name)) {
                // a stream from a lenient parser could otherwise let the last of two say
                throw LedgerException.invalid(null, "snapshot: field '" + Validation.quote(name) + "' appears twice");
            }
            JsonToken value = p.nextToken();
            switch (name) {
                case "format":
                case "applied_index":
                case "applied_term":
                case "clock":
                case "session_ttl":
                case "sessions_expired":
                    header.set(name, Codec.readValue(p));
                    checkHeader(header, name);
                    break;
                case "expenses":
                    if (value != JsonToken.START_ARRAY) {
                        throw LedgerException.invalid("expenses", "must be a JSON array");
                    }
                    expenses = readExpenses(p, header.has("applied_index") ? appliedIndex(header) : null);
                    break;
                case "sessions":
                    if (value != JsonToken.START_ARRAY) {
                        throw LedgerException.invalid("sessions", "must be a JSON array");
                    }
                    sessions = readSessions(p);
                    break;
                default:
                    p.skipChildren(); // ignored, as a tree reader ignores unknown fields
            }
        }
        // what was absent, in the order a tree reader checks it
        long format = checkHeader(header, "format");
        long appliedIndex = appliedIndex(header);
        long appliedTerm = checkHeader(header, "applied_term");
        long clock = 0;
        long ttl = 0;
        long expired = 0;
        if (format >= 2) {
            clock = checkHeader(header, "clock");
            ttl = checkHeader(header, "session_ttl");
            expired = checkHeader(header, "sessions_expired");
            if (clock == 0 && (ttl != 0 || expired != 0)) {
                // a ledger gets its TTL and expires sessions only from stamps, which set the clock
                throw LedgerException.invalid("clock", "is 0 (no stamp applied) but session_ttl is " + ttl
                        + " and sessions_expired " + expired);
            }
        }
        if (expenses == null) {
            throw LedgerException.invalid("expenses", "must be a JSON array");
        }
        if (sessions == null) {
            throw LedgerException.invalid("sessions", "must be a JSON array");
        }
        // expenses read before the applied index was known are checked against it now
        for (Expense e : expenses) {
            if (e.updatedIndex() > appliedIndex) {
                throw changedAfter("expense " + e.id(), e, appliedIndex);
            }
        }
        return new Ledger(expenses, byActivity(sessions, format, clock), appliedIndex, appliedTerm, clock, ttl, expired);
    }

    /**
     * The sessions as the ledger keeps them: least recently active first (ties by client id;
     * within a tie the order does not matter, they expire together). Checks each session's
     * last activity against the format and the clock.
     */
    private static LinkedHashMap<String, Ledger.Session> byActivity(List<Map.Entry<String, Ledger.Session>> read,
            long format, long clock) throws LedgerException {
        for (ListIterator<Map.Entry<String, Ledger.Session>> it = read.listIterator(); it.hasNext(); ) {
            Map.Entry<String, Ledger.Session> s = it.next();
            long last = s.getValue().lastActive();
            if (format < 2) {
                last = 0; // before the ledger had a clock
                it.set(Map.entry(s.getKey(), new Ledger.Session(s.getValue().seq(), s.getValue().result(), 0)));
            } else if (last < 0) {
                throw LedgerException.invalid("last_active", "snapshot sessions: client " + s.getKey()
                        + " has no last_active, required in format " + format);
            }
            if (last > clock) {
                throw LedgerException.invalid("last_active", "snapshot sessions: client " + s.getKey()
                        + " was last active at " + last
                        + ", after the clock " + clock);
            }
        }
        read.sort(Comparator.comparingLong((Map.Entry<String, Ledger.Session> s) -> s.getValue().lastActive())
                .thenComparing(Map.Entry::getKey));
        LinkedHashMap<String, Ledger.Session> out = new LinkedHashMap<>(Math.max(16, read.size() * 4 / 3 + 1));
        for (Map.Entry<String, Ledger.Session> s : read) {
            out.put(s.getKey(), s.getValue());
        }
        return out;
    }

    /** Validates one header field (required), returning its value. */
    private static long checkHeader(ObjectNode header, String name) throws LedgerException {
        switch (name) {
            case "format": {
                long format = LedgerCodec.requiredLong(header, "format");
                if (format != 1 && format != Ledger.SNAPSHOT_FORMAT) {
                    throw LedgerException.invalid("format", "unsupported snapshot format " + format
                            + " (this version reads 1 and " + Ledger.SNAPSHOT_FORMAT + ")");
                }
                return format;
            }
            case "applied_index":
                return appliedIndex(header);
            case "clock":
            case "session_ttl":
            case "sessions_expired":
                return Validation.counter(name, LedgerCodec.requiredLong(header, name), 0);
            default:
                return Validation.counter("applied_term", LedgerCodec.requiredLong(header, "applied_term"), 0);
        }
    }

    private static long appliedIndex(ObjectNode header) throws LedgerException {
        return Validation.counter("applied_index", LedgerCodec.requiredLong(header, "applied_index"), -1);
    }

    /** The expenses array, from its START_ARRAY; {@code appliedIndex} null if not known yet. */
    private static ExpenseTable readExpenses(JsonParser p, Long appliedIndex) throws LedgerException, IOException {
        ExpenseTable out = new ExpenseTable();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            JsonNode n = Codec.readValue(p);
            Expense e;
            try {
                e = Ledger.withSharedText(LedgerCodec.expenseFromJson(n));
            } catch (LedgerException bad) {
                throw located("expenses[" + i + "]", bad);
            }
            if (appliedIndex != null && e.updatedIndex() > appliedIndex) {
                throw changedAfter("expenses[" + i + "] " + e.id(), e, appliedIndex);
            }
            if (out.put(e.createdIndex(), e) != null) {
                throw LedgerException.invalid("expenses", "expense " + e.id() + " appears twice");
            }
        }
        return out;
    }

    /**
     * The sessions array, from its START_ARRAY, in the document's order; a session's
     * {@code last_active} is -1 where absent (format 1), checked once the format is known.
     */
    private static List<Map.Entry<String, Ledger.Session>> readSessions(JsonParser p)
            throws LedgerException, IOException {
        List<Map.Entry<String, Ledger.Session>> out = new ArrayList<>();
        Set<String> clients = new HashSet<>();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            JsonNode n = Codec.readValue(p);
            try {
                JsonNode s = LedgerCodec.object(n, "a session");
                String client = Validation.clientId(LedgerCodec.optText(s, "client_id"));
                long seq = Validation.seq(LedgerCodec.requiredLong(s, "seq"));
                LedgerResult result = LedgerCodec.resultFromJson(s.get("result"));
                long lastActive = LedgerCodec.optLong(s, "last_active", 0, Validation.MAX_COUNTER, -1);
                if (!clients.add(client)) {
                    throw LedgerException.invalid("client_id", "client " + client + " appears twice");
                }
                out.add(Map.entry(client, new Ledger.Session(seq, result, lastActive)));
            } catch (LedgerException bad) {
                throw located("sessions[" + i + "]", bad);
            }
        }
        return out;
    }

    private static LedgerException changedAfter(String what, Expense e, long appliedIndex) {
        return LedgerException.invalid("expenses", what + " changed at index " + e.updatedIndex()
                + ", after the applied index " + appliedIndex);
    }

    /** The rule's code and field kept, the place in the snapshot added. */
    private static LedgerException located(String where, LedgerException e) {
        return new LedgerException(e.code(), e.field(), "snapshot " + where + ": " + e.getMessage());
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_ARRAY:
                return "array";
            case VALUE_STRING:
                return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** " (at byte N)" where the parser knows it (a stream), nothing for a tree. */
    private static String at(JsonLocation where) {
        return where == null || where.getByteOffset() < 0 ? "" : " (at byte " + where.getByteOffset() + ")";
    }
}
