package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient readers for the fields of a decoded JSON object. The seed writes some numbers as
 * strings ({@code "last_log_index":"-1"}), so a number field accepts a JSON integer or a string
 * holding one; anything else (floats, booleans, out-of-range values) is malformed.
 */
final class Fields {

    /** Terms and indices stay below 2^53 so every JSON implementation reads them exactly. */
    static final long MAX_COUNTER = (1L << 53) - 1;

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?[0-9]{1,19}");

    /** Node names are short printable identifiers; anything else is not a member. */
    static final int MAX_NAME_LENGTH = 64;

    private Fields() {}

    static long requiredLong(JsonNode obj, String field, long min, long max) throws MalformedMessageException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw new MalformedMessageException("missing field '" + field + "'");
        }
        return toLong(n, field, min, max);
    }

    static Long optionalLong(JsonNode obj, String field, long min, long max) throws MalformedMessageException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return toLong(n, field, min, max);
    }

    private static long toLong(JsonNode n, String field, long min, long max) throws MalformedMessageException {
        long v;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (n.isTextual()) {
            String text = n.textValue().trim();
            // ASCII digits only: Long.parseLong would also take "+3" and non-ASCII digits
            if (!DECIMAL.matcher(text).matches()) {
                throw new MalformedMessageException("field '" + field + "' is not an integer: " + abbreviate(n.textValue()));
            }
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new MalformedMessageException("field '" + field + "' is out of range: " + abbreviate(n.textValue()));
            }
        } else {
            throw new MalformedMessageException("field '" + field + "' must be an integer, got " + n.getNodeType());
        }
        if (v < min || v > max) {
            throw new MalformedMessageException("field '" + field + "' out of range [" + min + ", " + max + "]: " + v);
        }
        return v;
    }

    static boolean requiredFlag(JsonNode obj, String field) throws MalformedMessageException {
        JsonNode n = obj.get(field);
        if (n != null && n.isBoolean()) {
            return n.booleanValue();
        }
        if (n == null || n.isNull()) {
            throw new MalformedMessageException("missing field '" + field + "'");
        }
        return requiredLong(obj, field, 0, 1) == 1;
    }

    static String requiredName(JsonNode obj, String field) throws MalformedMessageException {
        String s = optionalString(obj, field);
        if (s == null) {
            throw new MalformedMessageException("missing field '" + field + "'");
        }
        if (s.isEmpty() || s.length() > MAX_NAME_LENGTH) {
            throw new MalformedMessageException("field '" + field + "' must be 1-" + MAX_NAME_LENGTH + " characters");
        }
        return s;
    }

    static String optionalString(JsonNode obj, String field) throws MalformedMessageException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new MalformedMessageException("field '" + field + "' must be a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
