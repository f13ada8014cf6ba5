package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Lenient readers for the fields of a reply's value, shared by the typed replies (the ledger's,
 * LOG, COMMITTED): a field that is absent or of another type reads as null, so that a reply
 * from a node of another version still reads as far as it goes. Which fields a reply cannot do
 * without is the reply's own decision ({@link MalformedMessageException}). Stateless.
 */
public final class ReplyFields {

    /** A number as the wire's input rule has it: a JSON integer, or a string of up to 18 digits. */
    private static final Pattern INTEGER = Pattern.compile("\\s*-?[0-9]{1,18}\\s*");

    private ReplyFields() {}

    /** A JSON integer or a string of digits (optional '-', surrounding blanks); else null. */
    public static Long number(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual() && INTEGER.matcher(n.textValue()).matches()) {
            return Long.parseLong(n.textValue().strip());
        }
        return null;
    }

    /** A JSON string; else null. */
    public static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** A JSON boolean; else null. */
    public static Boolean flag(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    /** {@code v} if it is a JSON object; else a MalformedMessageException. */
    public static JsonNode object(JsonNode v) throws MalformedMessageException {
        if (v == null || !v.isObject()) {
            throw new MalformedMessageException("a reply without an object value");
        }
        return v;
    }

    /** The array {@code o.field}; else a MalformedMessageException naming what the reply is. */
    public static JsonNode array(JsonNode o, String field, String what) throws MalformedMessageException {
        JsonNode n = o.get(field);
        if (n == null || !n.isArray()) {
            throw new MalformedMessageException(what + " without \"" + field + "\"");
        }
        return n;
    }
}
