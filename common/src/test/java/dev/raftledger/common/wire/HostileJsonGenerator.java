package dev.raftledger.common.wire;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A seeded generator of hostile datagrams for the codec, the node's listeners and raftctl.
 *
 * <p>Every sample starts from a plausible, valid message of one of the wire's types (RequestVote,
 * VoteAck, AppendEntry with entries, AppendReply, and the controller requests including STORE,
 * EXPENSE, EXPENSES and LOG, see docs/protocol.md) and is then attacked in one way, its
 * {@link Kind}: truncated at a chosen class of position, bytes flipped, invalid UTF-8, duplicate
 * keys, garbage around the object, huge strings, wide objects, deep nesting, numbers as floats,
 * exponents, huge or negative values or strings of non-ASCII digits, wrong types for a field,
 * nulls, missing fields, unknown requests, absurd terms and indices (inside and outside the
 * accepted range), names that are not members, broken {@code entries}, datagrams beyond the
 * 64,000-byte limit, non-objects and plain random bytes. {@link Kind#VALID} samples are left
 * intact, so decoders are also exercised on what they must accept.
 *
 * <p>Same seed, same options: the same sequence of samples, byte for byte (only
 * {@link SplittableRandom} is used). Nothing is bigger than a UDP datagram can be
 * ({@link #UDP_MAX_PAYLOAD}).
 *
 * <p>This class uses only public API (none of the package's internals), so that raftd's
 * integration tests can load it from common's test classes with a class loader of their own
 * (it is a {@code Supplier<byte[]>} for that reason).
 */
public final class HostileJsonGenerator implements Supplier<byte[]> {

    /** The largest payload a UDP datagram over IPv4 can carry. */
    public static final int UDP_MAX_PAYLOAD = 65_507;

    /** The codec's limit (Codec.MAX_DATAGRAM_BYTES): anything larger is malformed. */
    public static final int LIMIT = 64_000;

    /** Terms and indices above this are out of range on the wire. */
    public static final long MAX_COUNTER = (1L << 53) - 1;

    public static final List<String> DEFAULT_MEMBERS = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    /**
     * Names that are not members but look like them, or are not names at all: lookalikes (case,
     * blanks, a Cyrillic 'о', a NUL), the controller's name, an overlong name, a line break.
     */
    public static final List<String> DEFAULT_STRANGERS = List.of("Mallory", "Node9", "node1", "Node1 ", " Node1",
            "N\u043ede1", "Node1\u0000", "Controller", "Node1\nNode2", "x".repeat(64), "y".repeat(65),
            "\uD83D\uDE00".repeat(32), "\uD83D\uDE00".repeat(33), "", "\u202eNode1");

    /** How a sample attacks its base message. */
    public enum Kind {
        /** Left as it is: a valid message (of any sender name). */
        VALID(5),
        /** Terms and indices at or beyond the edge: 2^53-1, 2^53, 2^63-1, -1, -2^63, 2^64, ... */
        ABSURD_NUMBERS(8),
        /** A valid-looking peer message with an absurd term whose names are not members. */
        STRANGER(8),
        /** Cut short at a chosen class of position ({@link TruncationClass}). */
        TRUNCATED(9),
        /** Bits flipped, bytes replaced, inserted, deleted, duplicated or swapped. */
        BYTE_FLIP(8),
        /** Invalid UTF-8 (overlong, surrogates, stray continuation bytes, cut sequences) or UTF-16/32. */
        BAD_UTF8(5),
        /** A key given twice, directly or through an escape ({@code "\u0074erm"}). */
        DUPLICATE_KEY(5),
        /** Something before or after the object: a BOM, a second object, a comment, a NUL, a brace. */
        GARBAGE_AROUND(5),
        /** A string of 65 to ~63,000 characters in a name, a value or an unknown field. */
        HUGE_STRING(3),
        /** Thousands of fields, array items or entries. */
        WIDE(2),
        /** Arrays and objects nested 15 to 60,000 deep, balanced or not. */
        DEEP_NESTING(4),
        /** A number as a float, an exponent, a huge or negative value, or a string of odd digits. */
        BAD_NUMBER(8),
        /** A field of the wrong JSON type. */
        WRONG_TYPE(8),
        /** Fields set to null. */
        NULLS(5),
        /** Fields left out. */
        MISSING_FIELD(6),
        /** A request name nobody knows, or another message type's name. */
        UNKNOWN_REQUEST(4),
        /** AppendEntry entries of the wrong shape, terms or count. */
        BAD_ENTRIES(5),
        /** Padded to beyond (or exactly to) the 64,000-byte limit. */
        OVERSIZED(1),
        /** A JSON value that is not an object, or no JSON at all but blanks. */
        NOT_AN_OBJECT(3),
        /** Random bytes, sometimes starting with a brace. */
        RANDOM_BYTES(3),
        /** Valid JSON with every string written in backslash-u escapes. */
        ESCAPED(2),
        /** Two or three of the attacks above at once. */
        COMBINED(5);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** Where a {@link Kind#TRUNCATED} sample was cut: the bytes before that position are kept. */
    public enum TruncationClass {
        EMPTY, AFTER_OPEN, IN_KEY, AFTER_KEY, AFTER_COLON, IN_STRING, MID_ESCAPE, MID_UTF8, IN_NUMBER,
        IN_LITERAL, AFTER_VALUE, AFTER_COMMA, NESTED, BEFORE_LAST
    }

    /** The message types samples start from. */
    public enum Base {
        REQUEST_VOTE, VOTE_ACK, APPEND_ENTRY, APPEND_REPLY, CONTROLLER
    }

    /**
     * One hostile datagram.
     *
     * @param detail what exactly was done, for failure messages ("TRUNCATED IN_NUMBER at 17")
     */
    public record Sample(Kind kind, Base base, String detail, byte[] bytes) {}

    /** The controller's requests; the ledger's, which carry the most structure, more often. */
    private static final String[] CONTROLLER_REQUESTS = {"LEADER_INFO", "TIMEOUT", "CONVERT_FOLLOWER", "SHUTDOWN",
        "STORE", "RETRIEVE", "STATUS", "EXPENSE", "EXPENSE", "EXPENSE", "EXPENSES", "EXPENSES", "LOG", "ERROR"};

    private static final String[] UNKNOWN_REQUESTS = {"FOO", "vote_request", "VOTE_REQUEST ", " APPEND_RPC",
        "APPEND_RPC\u0000", "", "ERROR", "Status", "SHUTDOWN\n", "\uD800", "LEADER_INFO", "STATUS", "VOTE_ACK",
        "APPEND_REPLY", "VOTE_REQUEST", "APPEND_RPC", "R".repeat(1000)};

    private static final long[] ABSURD_IN_RANGE = {MAX_COUNTER, MAX_COUNTER - 1, 1_000_000_000_000_000L,
        4_294_967_296L, 2_147_483_648L, 0, -1};

    private static final Object[] ABSURD_OUT_OF_RANGE = {MAX_COUNTER + 1, Long.MAX_VALUE, Long.MIN_VALUE, -2L,
        BigInteger.TWO.pow(64), BigInteger.TEN.pow(30), BigInteger.TEN.pow(31).negate()};

    /** Numbers written raw: floats, exponents, huge, negative zero, and tokens that are not JSON. */
    private static final String[] RAW_NUMBERS = {"3.0", "3.5", "-0", "-0.0", "1e3", "1E400", "-1e-400", "3e0",
        "0.0", "1.7976931348623157e309", "123456789012345678901234567890", "1" + "0".repeat(40),
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "01", "+3", "0x10", "NaN",
        "Infinity", "-Infinity", ".5", "5.", "1e", "--1", "1e2147483647", "123456789012345678901234567890e9",
        "4.9e-324", "9007199254740993", "-9007199254740992"};

    /**
     * Exponents beyond the range of an int: Jackson cannot make a BigDecimal of them and throws
     * a NumberFormatException, which the codec does not turn into a MalformedMessageException (see
     * the disabled tests named for it). Only emitted when asked for.
     */
    static final String[] OVERFLOWING_EXPONENTS = {"1e9999999999", "0e9999999999", "1e-9999999999",
        "1e2147483648", "1e-2147483648", "0.1e-2147483647", "-1.5E+3000000000"};

    /** Numbers as strings: odd digits (fullwidth, Arabic-Indic, Devanagari, mathematical), blanks, signs. */
    private static final String[] STRING_NUMBERS = {"\uFF13", "\u0663", "\u0969", "\uD835\uDFD1", " 3 ", "\t3\n",
        "+3", "3 ", "", " ", "-", "3.0", "1e3", "0x3", "9223372036854775808", "-9223372036854775808",
        "99999999999999999999", "\u00A03", "3\u00A0", "\uFF13 ", "-1", "-2", "9007199254740992", "0003", "-0",
        "3abc", "1_000", "\u0000", "NaN"};

    private static final String[] WRONG_TYPED = {"\"text\"", "true", "false", "[]", "{}", "[1]", "{\"a\":1}", "1.5",
        "0", "\"\"", "null", "[null]", "{\"term\":1}", "\"1\"", "-1", "[[[]]]"};

    /** Invalid (or unexpected) encodings of text. */
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xA2},
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {0x01}, {0x00}, {0x1F}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xE2, (byte) 0x80, (byte) 0xA8}};

    /** Bytes worth inserting: JSON's structure, quotes, escapes, digits, letters of literals. */
    private static final String SPICE = "{}[]\":,\\-+.eE0123456789 nultrfa";

    private static final String[] PREFIXES = {"\uFEFF", "\u0000", "x", "[", "//c\n", "/*c*/", "{", ",", "\"",
        "\u00A0"};
    private static final String[] SUFFIXES = {" x", "}", "{}", ",", "]", "\u0000", "null", " \n", "\r\n", "//",
        "#", "/* */", "\"", " {\"request\":\"SHUTDOWN\"}", "\t\t"};

    private static final String[] CURRENCIES = {"EUR", "JPY", "USD", "XTS", "eur", "EURO", "", "ABC", "BHD"};
    private static final String[] AMOUNTS = {"12.50", "12.5", "0", "-5", "1e3", "1.234", "1000000000", "1000000000.01",
        "0.01", "1,50", " 3", "\uFF13", "12.", ".5", "99999999999999999999999"};
    private static final String[] DATES = {"2026-11-25", "2026-02-30", "1899-12-31", "3000-01-01", "2026-1-5",
        "25.11.2026", "", "2026-11-25T00:00"};

    private final SplittableRandom rnd;
    private final List<String> members;
    private final List<String> strangers;
    private final boolean overflowingExponents;
    private final int totalWeight;
    private Sample last;

    /** The default members Node1-Node5 and strangers; no overflowing exponents. */
    public HostileJsonGenerator(long seed) {
        this(seed, DEFAULT_MEMBERS, DEFAULT_STRANGERS, false);
    }

    /**
     * @param members              names the messages use as senders, candidates and leaders when
     *                             they mean to look genuine
     * @param strangers            names that are not members
     * @param overflowingExponents whether numbers may carry exponents beyond an int's range (a
     *                             known codec bug: they escape as NumberFormatException)
     */
    public HostileJsonGenerator(long seed, List<String> members, List<String> strangers, boolean overflowingExponents) {
        if (members.isEmpty() || strangers.isEmpty()) {
            throw new IllegalArgumentException("need at least one member and one stranger");
        }
        this.rnd = new SplittableRandom(seed);
        this.members = List.copyOf(members);
        this.strangers = List.copyOf(strangers);
        this.overflowingExponents = overflowingExponents;
        int w = 0;
        for (Kind k : Kind.values()) {
            w += k.weight;
        }
        this.totalWeight = w;
    }

    /** The next sample's bytes. */
    @Override
    public byte[] get() {
        return next().bytes();
    }

    /** The kind of the last sample, by name (for callers that load this class on their own). */
    public String lastKind() {
        return last == null ? null : last.kind().name();
    }

    /** The detail of the last sample. */
    public String lastDetail() {
        return last == null ? null : last.detail();
    }

    /** The next sample. */
    public Sample next() {
        Kind kind = pickKind();
        Base base = Base.values()[rnd.nextInt(Base.values().length)];
        Sample s = make(kind, base);
        last = s;
        return s;
    }

    /** A sample of the given kind (and a random base). */
    public Sample next(Kind kind) {
        Sample s = make(kind, Base.values()[rnd.nextInt(Base.values().length)]);
        last = s;
        return s;
    }

    private Kind pickKind() {
        int r = rnd.nextInt(totalWeight);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    private Sample make(Kind kind, Base base) {
        Obj msg = base(base);
        StringBuilder detail = new StringBuilder(kind.name());
        byte[] bytes;
        switch (kind) {
            case VALID:
                bytes = utf8(msg);
                break;
            case COMBINED: {
                int n = 2 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    treeAttack(msg, base, detail);
                }
                bytes = utf8(msg);
                if (rnd.nextInt(3) == 0) {
                    bytes = byteAttack(bytes, detail);
                }
                break;
            }
            case TRUNCATED:
            case BYTE_FLIP:
            case BAD_UTF8:
            case GARBAGE_AROUND:
            case OVERSIZED:
            case NOT_AN_OBJECT:
            case RANDOM_BYTES:
            case ESCAPED:
                bytes = byteLevel(kind, msg, detail);
                break;
            default:
                treeLevel(kind, msg, base, detail);
                bytes = utf8(msg);
        }
        if (bytes.length > UDP_MAX_PAYLOAD) {
            bytes = Arrays.copyOf(bytes, UDP_MAX_PAYLOAD);
            detail.append(" (cut to the UDP maximum)");
        }
        return new Sample(kind, base, detail.toString(), bytes);
    }

    // ---- base messages -----------------------------------------------------------------------

    private Obj base(Base base) {
        switch (base) {
            case REQUEST_VOTE: {
                String candidate = name();
                return new Obj().put("term", term()).put("candidateId", candidate)
                        .put("last_log_index", index()).put("last_log_term", term())
                        .put("sender_name", rnd.nextInt(8) == 0 ? name() : candidate).put("request", "VOTE_REQUEST");
            }
            case VOTE_ACK:
                return new Obj().put("vote", flag()).put("from", name()).put("to", name())
                        .put("request", "VOTE_ACK").put("term", term());
            case APPEND_ENTRY: {
                String leader = name();
                Obj o = new Obj().put("term", term()).put("leaderId", leader).put("prev_log_index", index())
                        .put("prev_log_term", term()).put("sender_name", rnd.nextInt(8) == 0 ? name() : leader)
                        .put("request", "APPEND_RPC");
                if (rnd.nextBoolean()) {
                    o.put("read_seq", (long) rnd.nextInt(100));
                }
                if (rnd.nextInt(3) > 0) {
                    o.put("leader_commit", index());
                    List<Object> entries = new ArrayList<>();
                    int n = rnd.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        entries.add(new Obj().put("term", 1L + rnd.nextInt(5)).put("data", entryData()));
                    }
                    o.put("entries", entries);
                }
                return o;
            }
            case APPEND_REPLY: {
                Obj o = new Obj().put("term", term()).put("success", rnd.nextBoolean()).put("from", name())
                        .put("to", name()).put("match_index", index()).put("reject_index", index())
                        .put("conflict_index", index()).put("conflict_term", term());
                if (rnd.nextBoolean()) {
                    o.put("read_seq", (long) rnd.nextInt(100));
                }
                return o.put("request", "APPEND_REPLY");
            }
            default:
                return controller();
        }
    }

    private Obj controller() {
        String request = CONTROLLER_REQUESTS[rnd.nextInt(CONTROLLER_REQUESTS.length)];
        Obj o = new Obj().put("sender_name", rnd.nextInt(4) == 0 ? pick(strangers) : "Controller")
                .put("request", request).put("term", rnd.nextInt(3) == 0 ? term() : NULL);
        Object key = NULL;
        Object value = NULL;
        switch (request) {
            case "STORE":
                key = rnd.nextInt(6) == 0 ? NULL : "k" + rnd.nextInt(100);
                value = rnd.nextInt(6) == 0 ? NULL : rnd.nextInt(4) == 0 ? new Obj().put("v", 1L) : "v" + rnd.nextInt(100);
                break;
            case "EXPENSE":
                value = ledgerCommand();
                break;
            case "EXPENSES": {
                Obj filter = new Obj();
                if (rnd.nextBoolean()) {
                    filter.put("category", rnd.nextBoolean() ? "food" : NULL);
                }
                if (rnd.nextBoolean()) {
                    filter.put("from", pick(DATES));
                }
                if (rnd.nextBoolean()) {
                    filter.put("offset", (long) rnd.nextInt(10)).put("limit", (long) rnd.nextInt(200));
                }
                Obj q = new Obj().put("query", rnd.nextInt(5) == 0 ? "frob" : rnd.nextBoolean() ? "list" : "totals")
                        .put("filter", filter).put("stale", rnd.nextBoolean());
                if (rnd.nextBoolean()) {
                    q.put("by", pick(new String[] {"category", "month", "payer", "year"}));
                }
                value = q;
                break;
            }
            case "LOG":
                value = new Obj().put("from", (long) rnd.nextInt(50) - 1).put("limit", (long) rnd.nextInt(300) - 1);
                break;
            default:
                if (rnd.nextInt(4) == 0) {
                    key = "k";
                    value = "v";
                }
        }
        return o.put("key", key).put("value", value);
    }

    /** An EXPENSE command: mostly plausible, sometimes with values the ledger refuses. */
    private Obj ledgerCommand() {
        String op = pick(new String[] {"add", "add", "edit", "delete", "frob"});
        Obj c = new Obj().put("op", op).put("client_id", rnd.nextInt(10) == 0 ? "c".repeat(65) : "c-hostile")
                .put("seq", rnd.nextInt(10) == 0 ? 0L : 1L + rnd.nextInt(1000));
        boolean plausible = rnd.nextBoolean();
        if (!op.equals("add")) {
            c.put("id", plausible ? "E" + rnd.nextInt(10) : pick(new String[] {"E-1", "X1", "", "E99999999999999999999"}));
        }
        if (!op.equals("delete")) {
            c.put("amount", plausible ? "12.50" : pick(AMOUNTS)).put("currency", plausible ? "EUR" : pick(CURRENCIES))
                    .put("category", plausible ? "food" : pick(new String[] {"", "a\nb", "c".repeat(65)}))
                    .put("description", "lunch").put("payer", "ana")
                    .put("date", plausible ? "2026-11-25" : pick(DATES));
        }
        if (rnd.nextInt(8) == 0) {
            c.put("hack", true);
        }
        return c;
    }

    private Object entryData() {
        switch (rnd.nextInt(4)) {
            case 0:
                return new Obj();
            case 1:
                return new Obj().put("key", "k").put("value", "v");
            case 2:
                return ledgerCommand();
            default:
                return new Obj().put("nested", new Obj().put("a", list(1L, 2L, new Obj())));
        }
    }

    private String name() {
        return rnd.nextInt(5) == 0 ? pick(strangers) : pick(members);
    }

    private Object term() {
        return rnd.nextInt(10) == 0 ? (Object) String.valueOf(rnd.nextInt(10)) : (Object) (long) rnd.nextInt(10);
    }

    private Object index() {
        long v = rnd.nextInt(60) - 1;
        return rnd.nextInt(10) == 0 ? (Object) String.valueOf(v) : (Object) v;
    }

    private Object flag() {
        switch (rnd.nextInt(4)) {
            case 0:
                return true;
            case 1:
                return false;
            case 2:
                return (long) rnd.nextInt(2);
            default:
                return String.valueOf(rnd.nextInt(2));
        }
    }

    // ---- attacks on the tree -----------------------------------------------------------------

    private void treeLevel(Kind kind, Obj msg, Base base, StringBuilder detail) {
        switch (kind) {
            case ABSURD_NUMBERS:
                absurd(msg, detail);
                break;
            case STRANGER:
                stranger(msg, base, detail);
                break;
            case DUPLICATE_KEY:
                duplicate(msg, detail);
                break;
            case HUGE_STRING:
                huge(msg, detail);
                break;
            case WIDE:
                wide(msg, detail);
                break;
            case DEEP_NESTING:
                deep(msg, detail);
                break;
            case BAD_NUMBER:
                badNumber(msg, detail);
                break;
            case WRONG_TYPE:
                wrongType(msg, detail);
                break;
            case NULLS:
                nulls(msg, detail);
                break;
            case MISSING_FIELD:
                missing(msg, detail);
                break;
            case UNKNOWN_REQUEST:
                unknownRequest(msg, detail);
                break;
            case BAD_ENTRIES:
                badEntries(msg, detail);
                break;
            default:
                throw new IllegalArgumentException(kind + " is not a tree attack");
        }
    }

    /** One tree attack at random, for {@link Kind#COMBINED}. */
    private void treeAttack(Obj msg, Base base, StringBuilder detail) {
        Kind[] tree = {Kind.ABSURD_NUMBERS, Kind.STRANGER, Kind.DUPLICATE_KEY, Kind.HUGE_STRING, Kind.DEEP_NESTING,
            Kind.BAD_NUMBER, Kind.WRONG_TYPE, Kind.NULLS, Kind.MISSING_FIELD, Kind.UNKNOWN_REQUEST, Kind.BAD_ENTRIES};
        Kind k = tree[rnd.nextInt(tree.length)];
        detail.append(" +").append(k.name());
        treeLevel(k, msg, base, detail);
    }

    private void absurd(Obj msg, StringBuilder detail) {
        List<Slot> numbers = slots(msg, v -> v instanceof Long || v instanceof BigInteger || isDigitString(v));
        if (numbers.isEmpty()) {
            msg.put("term", MAX_COUNTER);
            detail.append(" term=2^53-1");
            return;
        }
        int n = 1 + rnd.nextInt(numbers.size());
        boolean inRange = rnd.nextInt(3) > 0;
        for (int i = 0; i < n; i++) {
            Slot s = numbers.get(rnd.nextInt(numbers.size()));
            Object v = inRange ? (Object) ABSURD_IN_RANGE[rnd.nextInt(ABSURD_IN_RANGE.length)]
                    : ABSURD_OUT_OF_RANGE[rnd.nextInt(ABSURD_OUT_OF_RANGE.length)];
            if (rnd.nextInt(4) == 0) {
                v = v.toString();
            }
            s.set(v);
            detail.append(' ').append(s.name()).append('=').append(v);
        }
    }

    /** Every name a stranger's, and the term absurd: what must be dropped as an unknown sender. */
    private void stranger(Obj msg, Base base, StringBuilder detail) {
        boolean all = rnd.nextBoolean();
        for (String field : new String[] {"sender_name", "candidateId", "leaderId", "from", "to"}) {
            int i = msg.keys.indexOf(field);
            if (i >= 0 && (all || rnd.nextBoolean())) {
                String s = pick(strangers);
                msg.values.set(i, s);
                detail.append(' ').append(field).append("='").append(s).append('\'');
            }
        }
        if (base != Base.CONTROLLER) {
            long term = ABSURD_IN_RANGE[rnd.nextInt(ABSURD_IN_RANGE.length - 1)]; // not -1: stays in range
            msg.put("term", term);
            detail.append(" term=").append(term);
        }
    }

    private void duplicate(Obj msg, StringBuilder detail) {
        Obj target = msg;
        List<Slot> objects = slots(msg, v -> v instanceof Obj && !((Obj) v).keys.isEmpty());
        if (!objects.isEmpty() && rnd.nextInt(4) == 0) {
            target = (Obj) objects.get(rnd.nextInt(objects.size())).get();
        }
        if (target.keys.isEmpty()) {
            target.add("request", "VOTE_REQUEST").add("request", "STATUS");
            detail.append(" request");
            return;
        }
        int i = rnd.nextInt(target.keys.size());
        Object k = target.keys.get(i);
        String key = k instanceof Raw raw ? raw.text.replace("\"", "") : (String) k;
        Object value = rnd.nextBoolean() ? target.values.get(i) : rnd.nextBoolean() ? MAX_COUNTER : "Mallory";
        String written = key;
        if (rnd.nextInt(3) == 0 && !key.isEmpty()) {
            // the same name through an escape: duplicate only once decoded
            written = String.format("\\u%04x", (int) key.charAt(0)) + key.substring(1);
            target.add(new Raw("\"" + written + "\""), value);
        } else {
            target.add(key, value);
        }
        if (rnd.nextBoolean()) {
            target.moveLastTo(rnd.nextInt(target.keys.size()));
        }
        detail.append(' ').append(written);
    }

    private void huge(Obj msg, StringBuilder detail) {
        int[] lengths = {65, 1_000, 10_000, 40_000, 63_000};
        String[] units = {"A", "\u00e9", "\u20ac", "\uD83D\uDE00", "\u0000", "\"", "\\"};
        int length = lengths[rnd.nextInt(lengths.length)];
        String unit = units[rnd.nextInt(units.length)];
        int budget = 63_900 - utf8(msg).length;
        int perUnit = unit.equals("\u0000") ? 6 : unit.equals("\"") || unit.equals("\\") ? 2
                : unit.getBytes(StandardCharsets.UTF_8).length;
        int count = Math.max(1, Math.min(length / unit.length(), budget / perUnit));
        String s = unit.repeat(count);
        List<Slot> strings = slots(msg, v -> v instanceof String);
        if (strings.isEmpty() || rnd.nextInt(3) == 0) {
            msg.put(rnd.nextBoolean() ? "pad" : "comment", s);
            detail.append(" pad");
        } else {
            Slot slot = strings.get(rnd.nextInt(strings.size()));
            slot.set(s);
            detail.append(' ').append(slot.name());
        }
        detail.append(" of ").append(count).append(" x U+").append(Integer.toHexString(unit.codePointAt(0)));
    }

    private void wide(Obj msg, StringBuilder detail) {
        int n = new int[] {100, 1_000, 5_000}[rnd.nextInt(3)];
        switch (rnd.nextInt(3)) {
            case 0:
                for (int i = 0; i < n; i++) {
                    msg.add("f" + i, (long) i);
                }
                detail.append(' ').append(n).append(" fields");
                break;
            case 1: {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n * 2; i++) {
                    items.add((long) (i % 10));
                }
                msg.put(rnd.nextBoolean() ? "value" : "extra", items);
                detail.append(' ').append(n * 2).append(" array items");
                break;
            }
            default: {
                List<Object> entries = new ArrayList<>();
                for (int i = 0; i < Math.min(n, 3_000); i++) {
                    entries.add(new Obj().put("term", 1L).put("data", new Obj()));
                }
                msg.put("entries", entries);
                detail.append(' ').append(entries.size()).append(" entries");
            }
        }
    }

    private void deep(Obj msg, StringBuilder detail) {
        int[] depths = {14, 15, 16, 17, 18, 64, 1_000, 5_000, 20_000};
        int depth = depths[rnd.nextInt(depths.length)];
        String nested;
        int style = rnd.nextInt(4);
        switch (style) {
            case 0:
                nested = "[".repeat(depth) + "]".repeat(depth);
                break;
            case 1:
                nested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                break;
            case 2:
                nested = "[{\"a\":".repeat(depth / 2) + "null" + "}]".repeat(depth / 2);
                break;
            default:
                nested = "[".repeat(Math.min(depth, 60_000)); // never closed
        }
        List<Slot> all = slots(msg, v -> true);
        if (all.isEmpty() || rnd.nextInt(3) == 0) {
            msg.put(pick(new String[] {"value", "data", "entries", "extra", "key"}), new Raw(nested));
            detail.append(" field");
        } else {
            Slot s = all.get(rnd.nextInt(all.size()));
            s.set(new Raw(nested));
            detail.append(' ').append(s.name());
        }
        detail.append(" depth ").append(depth).append(" style ").append(style);
    }

    private void badNumber(Obj msg, StringBuilder detail) {
        List<Slot> numbers = slots(msg, v -> v instanceof Long || v instanceof BigInteger || isDigitString(v));
        if (numbers.isEmpty()) {
            numbers = nonEmptySlots(msg);
        }
        Slot s = numbers.get(rnd.nextInt(numbers.size()));
        Object v;
        int r = rnd.nextInt(10);
        if (overflowingExponents && r == 0) {
            v = new Raw(pick(OVERFLOWING_EXPONENTS));
        } else if (r < 6) {
            v = new Raw(pick(RAW_NUMBERS));
        } else {
            v = pick(STRING_NUMBERS);
        }
        s.set(v);
        detail.append(' ').append(s.name()).append('=').append(v instanceof Raw raw ? raw.text : "\"" + v + "\"");
    }

    private void wrongType(Obj msg, StringBuilder detail) {
        List<Slot> all = nonEmptySlots(msg);
        int n = 1 + rnd.nextInt(Math.min(3, all.size()));
        for (int i = 0; i < n; i++) {
            Slot s = all.get(rnd.nextInt(all.size()));
            String replacement = pick(WRONG_TYPED);
            s.set(new Raw(replacement));
            detail.append(' ').append(s.name()).append('=').append(replacement);
        }
    }

    private void nulls(Obj msg, StringBuilder detail) {
        if (rnd.nextInt(4) == 0) {
            for (int i = 0; i < msg.values.size(); i++) {
                msg.values.set(i, NULL);
            }
            detail.append(" all");
            return;
        }
        List<Slot> all = nonEmptySlots(msg);
        int n = 1 + rnd.nextInt(Math.min(3, all.size()));
        for (int i = 0; i < n; i++) {
            Slot s = all.get(rnd.nextInt(all.size()));
            s.set(NULL);
            detail.append(' ').append(s.name());
        }
    }

    private void missing(Obj msg, StringBuilder detail) {
        int r = rnd.nextInt(6);
        if (r == 0) {
            Object request = msg.keys.contains("request") ? msg.get("request") : "X";
            msg.keys.clear();
            msg.values.clear();
            if (rnd.nextBoolean()) {
                msg.put("request", request);
            }
            detail.append(" all but request");
            return;
        }
        List<Slot> all = nonEmptySlots(msg);
        int n = 1 + rnd.nextInt(Math.min(3, all.size()));
        for (int i = 0; i < n && !all.isEmpty(); i++) {
            Slot s = all.remove(rnd.nextInt(all.size()));
            detail.append(' ').append(s.name());
            s.remove();
            all = slots(msg, v -> true);
        }
    }

    private void unknownRequest(Obj msg, StringBuilder detail) {
        Object request;
        int r = rnd.nextInt(6);
        if (r == 0) {
            request = new Raw(pick(WRONG_TYPED));
        } else if (r == 1) {
            request = pick(CONTROLLER_REQUESTS);
        } else {
            request = pick(UNKNOWN_REQUESTS);
        }
        msg.put("request", request);
        detail.append(" request=").append(request instanceof Raw raw ? raw.text : "'" + request + "'");
    }

    private void badEntries(Obj msg, StringBuilder detail) {
        if (!"APPEND_RPC".equals(msg.get("request"))) {
            Obj ae = base(Base.APPEND_ENTRY);
            msg.keys.clear();
            msg.values.clear();
            msg.keys.addAll(ae.keys);
            msg.values.addAll(ae.values);
        }
        Object entries;
        switch (rnd.nextInt(16)) {
            case 0:
                entries = "x";
                break;
            case 1:
                entries = 5L;
                break;
            case 2:
                entries = new Obj().put("term", 1L).put("data", new Obj());
                break;
            case 3:
                entries = list(1L);
                break;
            case 4:
                entries = list(NULL);
                break;
            case 5:
                entries = list(new Obj().put("term", 1L));
                break;
            case 6:
                entries = list(new Obj().put("data", new Obj()));
                break;
            case 7:
                entries = list(new Obj().put("term", 0L).put("data", new Obj()));
                break;
            case 8:
                entries = list(new Obj().put("term", -1L).put("data", new Obj()));
                break;
            case 9:
                entries = list(new Obj().put("term", MAX_COUNTER + 1).put("data", new Obj()));
                break;
            case 10:
                entries = list(new Obj().put("term", 1L).put("data", "x"));
                break;
            case 11:
                entries = list(new Obj().put("term", 1L).put("data", list(1L)));
                break;
            case 12:
                // indices are implied by prev_log_index; an index field claiming otherwise is ignored
                entries = list(new Obj().put("index", 99L).put("term", 1L).put("data", new Obj()),
                        new Obj().put("index", -5L).put("term", 2L).put("data", new Obj()));
                break;
            case 13:
                // terms going backwards, absurd prev_log_index: well-formed, for the core to judge
                msg.put("prev_log_index", MAX_COUNTER);
                entries = list(new Obj().put("term", 5L).put("data", new Obj()),
                        new Obj().put("term", 1L).put("data", new Obj()));
                break;
            case 14:
                entries = list(new Obj().put("term", MAX_COUNTER).put("data", new Obj().put("key", "k")));
                break;
            default:
                entries = new Raw("[{\"term\":1,\"data\":{}}" + ",{\"term\":1,\"data\":{}}".repeat(rnd.nextInt(2_000)) + "]");
        }
        msg.put("entries", entries);
        detail.append(" entries=").append(entries instanceof Raw raw ? "[" + raw.text.length() + " chars]" : entries);
    }

    // ---- attacks on the bytes ----------------------------------------------------------------

    private byte[] byteLevel(Kind kind, Obj msg, StringBuilder detail) {
        byte[] b = utf8(msg);
        switch (kind) {
            case TRUNCATED:
                return truncate(b, detail);
            case BYTE_FLIP:
                return flip(b, detail);
            case BAD_UTF8:
                return badUtf8(msg, b, detail);
            case GARBAGE_AROUND:
                return around(b, detail);
            case OVERSIZED:
                return oversized(b, detail);
            case NOT_AN_OBJECT:
                return notAnObject(b, detail);
            case RANDOM_BYTES: {
                byte[] r = new byte[rnd.nextInt(513)];
                rnd.nextBytes(r);
                if (r.length > 0 && rnd.nextBoolean()) {
                    r[0] = '{';
                }
                detail.append(' ').append(r.length).append(" bytes");
                return r;
            }
            case ESCAPED:
                detail.append(" all strings escaped");
                return write(msg, true).getBytes(StandardCharsets.UTF_8);
            default:
                throw new IllegalArgumentException(kind + " is not a byte attack");
        }
    }

    private byte[] byteAttack(byte[] b, StringBuilder detail) {
        switch (rnd.nextInt(4)) {
            case 0:
                detail.append(" +TRUNCATED");
                return truncate(b, detail);
            case 1:
                detail.append(" +BYTE_FLIP");
                return flip(b, detail);
            case 2:
                detail.append(" +GARBAGE_AROUND");
                return around(b, detail);
            default:
                detail.append(" +BAD_UTF8");
                return insert(b, rnd.nextInt(b.length + 1), BAD_UTF8[rnd.nextInt(BAD_UTF8.length)]);
        }
    }

    private byte[] truncate(byte[] b, StringBuilder detail) {
        Map<TruncationClass, List<Integer>> classes = truncationPoints(b);
        List<TruncationClass> present = new ArrayList<>(classes.keySet());
        TruncationClass c = present.get(rnd.nextInt(present.size()));
        List<Integer> points = classes.get(c);
        int at = points.get(rnd.nextInt(points.size()));
        detail.append(' ').append(c).append(" at ").append(at);
        return Arrays.copyOf(b, at);
    }

    /**
     * Every position of {@code json} (a cut there keeps the bytes before it), by what the cut
     * falls into. A small scanner, good enough for the generator's own output.
     */
    public static Map<TruncationClass, List<Integer>> truncationPoints(byte[] json) {
        Map<TruncationClass, List<Integer>> out = new EnumMap<>(TruncationClass.class);
        List<Character> stack = new ArrayList<>();
        boolean inString = false;
        boolean isKey = false;
        boolean escape = false;
        int unicodeLeft = 0;
        boolean inNumber = false;
        boolean inLiteral = false;
        boolean afterKey = false;
        char lastSignificant = 0;
        for (int i = 0; i < json.length; i++) {
            int b = json[i] & 0xFF;
            boolean numberChar = (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
            boolean letter = b >= 'a' && b <= 'z';
            if (inNumber && !numberChar) {
                inNumber = false;
                lastSignificant = '1';
            }
            if (inLiteral && !letter) {
                inLiteral = false;
                lastSignificant = 'l';
            }
            TruncationClass c;
            if (i == 0) {
                c = TruncationClass.EMPTY;
            } else if (i == json.length - 1) {
                c = TruncationClass.BEFORE_LAST;
            } else if (inString) {
                if (escape || unicodeLeft > 0) {
                    c = TruncationClass.MID_ESCAPE;
                } else if ((b & 0xC0) == 0x80) {
                    c = TruncationClass.MID_UTF8;
                } else {
                    c = isKey ? TruncationClass.IN_KEY : TruncationClass.IN_STRING;
                }
            } else if (inNumber) {
                c = TruncationClass.IN_NUMBER;
            } else if (inLiteral) {
                c = TruncationClass.IN_LITERAL;
            } else if (stack.size() >= 2) {
                c = TruncationClass.NESTED;
            } else if (lastSignificant == '{') {
                c = TruncationClass.AFTER_OPEN;
            } else if (lastSignificant == ':') {
                c = TruncationClass.AFTER_COLON;
            } else if (lastSignificant == ',') {
                c = TruncationClass.AFTER_COMMA;
            } else if (lastSignificant == '"' && afterKey) {
                c = TruncationClass.AFTER_KEY;
            } else {
                c = TruncationClass.AFTER_VALUE;
            }
            out.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
            // consume the byte
            if (inString) {
                if (unicodeLeft > 0) {
                    unicodeLeft--;
                } else if (escape) {
                    escape = false;
                    if (b == 'u') {
                        unicodeLeft = 4;
                    }
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    inString = false;
                    afterKey = isKey;
                    lastSignificant = '"';
                }
                continue;
            }
            if (inNumber || inLiteral) {
                continue;
            }
            switch (b) {
                case '{':
                case '[':
                    stack.add((char) b);
                    lastSignificant = (char) b;
                    break;
                case '}':
                case ']':
                    if (!stack.isEmpty()) {
                        stack.remove(stack.size() - 1);
                    }
                    lastSignificant = (char) b;
                    break;
                case ':':
                    afterKey = false;
                    lastSignificant = ':';
                    break;
                case ',':
                    lastSignificant = ',';
                    break;
                case '"':
                    inString = true;
                    isKey = !stack.isEmpty() && stack.get(stack.size() - 1) == '{'
                            && (lastSignificant == '{' || lastSignificant == ',');
                    break;
                default:
                    if (numberChar) {
                        inNumber = true;
                    } else if (letter) {
                        inLiteral = true;
                    }
            }
        }
        return out;
    }

    private byte[] flip(byte[] in, StringBuilder detail) {
        byte[] b = in;
        int rounds = 1 + rnd.nextInt(6);
        for (int i = 0; i < rounds; i++) {
            if (b.length == 0) {
                b = new byte[] {'{'};
            }
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0:
                    b = b.clone();
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                    detail.append(" flip@").append(at);
                    break;
                case 1:
                    b = b.clone();
                    b[at] = (byte) rnd.nextInt(256);
                    detail.append(" set@").append(at);
                    break;
                case 2:
                    b = insert(b, at, new byte[] {(byte) SPICE.charAt(rnd.nextInt(SPICE.length()))});
                    detail.append(" insert@").append(at);
                    break;
                case 3: {
                    int to = Math.min(b.length, at + 1 + rnd.nextInt(8));
                    byte[] n = new byte[b.length - (to - at)];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, to, n, at, b.length - to);
                    b = n;
                    detail.append(" delete@").append(at);
                    break;
                }
                case 4: {
                    int to = Math.min(b.length, at + 1 + rnd.nextInt(16));
                    b = insert(b, to, Arrays.copyOfRange(b, at, to));
                    detail.append(" repeat@").append(at);
                    break;
                }
                default: {
                    b = b.clone();
                    int other = rnd.nextInt(b.length);
                    byte t = b[at];
                    b[at] = b[other];
                    b[other] = t;
                    detail.append(" swap@").append(at);
                }
            }
        }
        return b;
    }

    private byte[] badUtf8(Obj msg, byte[] b, StringBuilder detail) {
        int r = rnd.nextInt(10);
        if (r == 0) {
            Charset cs = pick(new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                StandardCharsets.UTF_16, Charset.forName("UTF-32LE"), Charset.forName("UTF-32BE")});
            detail.append(" as ").append(cs.name());
            return write(msg, false).getBytes(cs);
        }
        byte[] seq = BAD_UTF8[rnd.nextInt(BAD_UTF8.length)];
        Map<TruncationClass, List<Integer>> points = truncationPoints(b);
        List<Integer> inStrings = new ArrayList<>();
        inStrings.addAll(points.getOrDefault(TruncationClass.IN_STRING, List.of()));
        inStrings.addAll(points.getOrDefault(TruncationClass.IN_KEY, List.of()));
        int at = inStrings.isEmpty() || r < 3 ? rnd.nextInt(b.length + 1) : inStrings.get(rnd.nextInt(inStrings.size()));
        detail.append(' ').append(hex(seq)).append('@').append(at);
        return insert(b, at, seq);
    }

    private byte[] around(byte[] b, StringBuilder detail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String prefix = rnd.nextInt(3) == 0 ? pick(PREFIXES) : "";
        String suffix = prefix.isEmpty() || rnd.nextBoolean() ? pick(SUFFIXES) : "";
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(b);
        if (rnd.nextInt(8) == 0) {
            out.writeBytes(b); // {...}{...}
            detail.append(" twice");
        }
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        detail.append(" prefix ").append(hex(prefix.getBytes(StandardCharsets.UTF_8)))
                .append(" suffix ").append(hex(suffix.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private byte[] oversized(byte[] b, StringBuilder detail) {
        int[] sizes = {LIMIT - 1, LIMIT, LIMIT + 1, 64_500, 65_000, UDP_MAX_PAYLOAD};
        int size = sizes[rnd.nextInt(sizes.length)];
        if (size <= b.length) {
            size = b.length + 1;
        }
        byte[] out;
        if (rnd.nextBoolean() || b.length < 2) {
            // blanks after the opening brace: still valid JSON, only too big
            out = new byte[size];
            out[0] = b.length == 0 ? (byte) '{' : b[0];
            Arrays.fill(out, 1, size - b.length + 1, (byte) ' ');
            System.arraycopy(b, 1, out, size - b.length + 1, b.length - 1);
            detail.append(" blanks to ").append(size);
        } else {
            // a padding field: {"pad":"xxxx...",<the message>}
            String head = "{\"pad\":\"";
            String tail = "\",";
            int fill = size - head.length() - tail.length() - (b.length - 1);
            if (fill < 0) {
                fill = 0;
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream(size);
            o.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            byte[] xs = new byte[fill];
            Arrays.fill(xs, (byte) 'x');
            o.writeBytes(xs);
            o.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
            o.write(b, 1, b.length - 1);
            out = o.toByteArray();
            detail.append(" pad field to ").append(out.length);
        }
        return out;
    }

    private byte[] notAnObject(byte[] b, StringBuilder detail) {
        String json = new String(b, StandardCharsets.UTF_8);
        String[] options = {"[]", "[" + json + "]", "\"VOTE_REQUEST\"", "42", "-1", "null", "true", "", " ", "\t\n",
            "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"", "[" + json + "," + json + "]", "{}",
            "{\"request\":\"" + "\\u0000" + "\"}"};
        String s = pick(options);
        detail.append(' ').append(s.length() > 20 ? s.substring(0, 20) + "..." : s);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- the JSON model and its writer ------------------------------------------------------

    /** Text written as it is: a literal, a number token, a pre-built nested value, or not JSON at all. */
    record Raw(String text) {}

    static final Raw NULL = new Raw("null");

    /** A JSON object whose keys may repeat, in order; a key is a String or a {@link Raw} (escaped) name. */
    static final class Obj {
        final List<Object> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Obj put(String key, Object value) {
            int i = keys.indexOf(key);
            if (i >= 0) {
                values.set(i, value);
            } else {
                keys.add(key);
                values.add(value);
            }
            return this;
        }

        Obj add(Object key, Object value) {
            keys.add(key);
            values.add(value);
            return this;
        }

        Object get(String key) {
            int i = keys.indexOf(key);
            return i < 0 ? null : values.get(i);
        }

        @Override
        public String toString() {
            return write(this, false);
        }

        void moveLastTo(int at) {
            int last = keys.size() - 1;
            keys.add(at, keys.remove(last));
            values.add(at, values.remove(last));
        }
    }

    /** A place in the tree: an object's member or an array's item. */
    private interface Slot {
        Object get();

        void set(Object v);

        void remove();

        String name();
    }

    /** Every slot of the tree; an empty object first gets a request field, so that there is one. */
    private static List<Slot> nonEmptySlots(Obj msg) {
        if (msg.keys.isEmpty()) {
            msg.put("request", "VOTE_ACK");
        }
        return slots(msg, v -> true);
    }

    /** Every slot of the tree (objects and arrays, not raw text) whose value passes {@code filter}. */
    private static List<Slot> slots(Object root, java.util.function.Predicate<Object> filter) {
        List<Slot> out = new ArrayList<>();
        collect(root, "", filter, out, 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, String path, java.util.function.Predicate<Object> filter, List<Slot> out,
                                int depth) {
        if (depth > 8) {
            return;
        }
        if (node instanceof Obj o) {
            for (int i = 0; i < o.keys.size(); i++) {
                final int at = i;
                String name = path + (path.isEmpty() ? "" : ".") + o.keys.get(i);
                Object v = o.values.get(i);
                if (filter.test(v)) {
                    out.add(new Slot() {
                        @Override public Object get() { return o.values.get(at); }
                        @Override public void set(Object x) { o.values.set(at, x); }
                        @Override public void remove() { o.keys.remove(at); o.values.remove(at); }
                        @Override public String name() { return name; }
                    });
                }
                collect(v, name, filter, out, depth + 1);
            }
        } else if (node instanceof List<?> list && !(list.size() > 64)) {
            List<Object> l = (List<Object>) list;
            for (int i = 0; i < l.size(); i++) {
                final int at = i;
                String name = path + "[" + i + "]";
                Object v = l.get(i);
                if (filter.test(v)) {
                    out.add(new Slot() {
                        @Override public Object get() { return l.get(at); }
                        @Override public void set(Object x) { mutable(l).set(at, x); }
                        @Override public void remove() { mutable(l).remove(at); }
                        @Override public String name() { return name; }
                    });
                }
                collect(v, name, filter, out, depth + 1);
            }
        }
    }

    /** Lists built with List.of are immutable; the tree's own lists are ArrayLists. */
    private static List<Object> mutable(List<Object> l) {
        if (!(l instanceof ArrayList)) {
            throw new UnsupportedOperationException("immutable list in the tree");
        }
        return l;
    }

    private static boolean isDigitString(Object v) {
        return v instanceof String s && !s.isEmpty() && s.matches("-?[0-9]+");
    }

    private static byte[] utf8(Obj o) {
        return write(o, false).getBytes(StandardCharsets.UTF_8);
    }

    /** Compact JSON of the tree; {@code escapeAll}: every string character as a backslash-u escape. */
    static String write(Object v, boolean escapeAll) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, v, escapeAll);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, boolean escapeAll) {
        if (v instanceof Raw r) {
            sb.append(r.text);
        } else if (v instanceof String s) {
            string(sb, s, escapeAll);
        } else if (v instanceof Obj o) {
            sb.append('{');
            for (int i = 0; i < o.keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object k = o.keys.get(i);
                if (k instanceof Raw raw) {
                    sb.append(raw.text);
                } else {
                    string(sb, (String) k, escapeAll);
                }
                sb.append(':');
                write(sb, o.values.get(i), escapeAll);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, l.get(i), escapeAll);
            }
            sb.append(']');
        } else if (v == null) {
            sb.append("null");
        } else {
            sb.append(v); // Long, BigInteger, Boolean
        }
    }

    private static void string(StringBuilder sb, String s, boolean escapeAll) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escapeAll || c < 0x20 || Character.isSurrogate(c) && !validPairAt(s, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair (so UTF-8 can encode it). */
    private static boolean validPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    // ---- small helpers ------------------------------------------------------------------------

    /** A mutable list, so that later attacks can change it too. */
    private static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] n = new byte[b.length + what.length];
        System.arraycopy(b, 0, n, 0, at);
        System.arraycopy(what, 0, n, at, what.length);
        System.arraycopy(b, at, n, at + what.length, b.length - at);
        return n;
    }

    private <T> T pick(T[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
