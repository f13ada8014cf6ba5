package dev.raftledger.common.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON codec for every message: one UTF-8 JSON object per datagram, the seed's field names.
 * Lenient on input (numeric strings, unknown fields ignored, nulls where the convention sends
 * them), strict on output (numbers as numbers, fields in a fixed order).
 *
 * <p>It reads and writes Jackson trees through the streaming parser and generator
 * ({@link JsonTrees}), with no ObjectMapper: nothing is reflected on, so the same code runs
 * unchanged in a native image, and a node starts without loading the data-binding machinery.
 */
public final class Codec {

    /**
     * The largest datagram a node accepts. UDP over IPv4 carries at most 65,507 bytes; this stays
     * well under it so that an oversized datagram is refused before any parsing work.
     */
    public static final int MAX_DATAGRAM_BYTES = 64_000;

    /** Messages are flat; anything nested deeper than this is hostile and refused early. */
    static final int MAX_NESTING_DEPTH = 16;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(32)
                    .maxStringLength(MAX_DATAGRAM_BYTES)
                    .build())
            // {"term":1,"term":99} must not mean whatever the last key says
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Codec() {}

    /** A new empty object node, for building {@code key}/{@code value} trees and documents. */
    public static ObjectNode objectNode() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses one complete JSON value (object, array, string, ...) with the codec's limits:
     * nesting, duplicate keys and trailing content are refused.
     */
    public static JsonNode readTree(byte[] data, int offset, int length) throws MalformedMessageException {
        try (JsonParser p = FACTORY.createParser(data, offset, length)) {
            JsonNode root = JsonTrees.read(p, p.nextToken());
            if (p.nextToken() != null) {
                // one value per datagram: '{...} trailing' or '{...}{...}' is not a message
                throw new MalformedMessageException("not JSON: trailing content after the value");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    /**
     * What a parser's failure means for the datagram: not JSON, or unreadable. Jackson lets some
     * conversions escape as unchecked exceptions (a number like 1e9999999999 throws
     * NumberFormatException): bad input all the same.
     */
    private static MalformedMessageException unreadable(Exception e) {
        if (e instanceof JsonProcessingException j) {
            return new MalformedMessageException("not JSON: " + Fields.abbreviate(String.valueOf(j.getOriginalMessage())));
        }
        if (e instanceof IOException) {
            return new MalformedMessageException("unreadable: " + Fields.abbreviate(String.valueOf(e.getMessage())));
        }
        return new MalformedMessageException("not JSON: " + Fields.abbreviate(String.valueOf(e.getMessage())));
    }

    public static JsonNode readTree(byte[] data) throws MalformedMessageException {
        return readTree(data, 0, data.length);
    }

    public static JsonNode readTree(String json) throws MalformedMessageException {
        return readTree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Compact UTF-8 JSON of any tree. */
    public static byte[] toBytes(JsonNode tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            JsonTrees.write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * A generator for one long document written piece by piece to a stream (a snapshot's
     * payload), with the same output as {@link #toBytes}: the same value gives the same bytes.
     * Closing it flushes but does not close {@code out}.
     */
    public static JsonGenerator generator(java.io.OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /**
     * A parser with the codec's limits (nesting, string length, duplicate keys refused) for one
     * long document read piece by piece from a stream (a snapshot's payload). Closing it does
     * not close {@code in}.
     */
    public static JsonParser parser(java.io.InputStream in) throws IOException {
        JsonParser p = FACTORY.createParser(in);
        p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        return p;
    }

    /** As {@link #FACTORY}, but leaving duplicate keys to the caller ({@link #parserForFlatObject}). */
    private static final JsonFactory FLAT_FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(32)
                    .maxStringLength(MAX_DATAGRAM_BYTES)
                    .build())
            .build();

    /**
     * A parser with the codec's limits (nesting, number and string length) over one value in
     * {@code data}, for reading a flat object token by token without a tree. It does not refuse
     * duplicate keys: the caller, which sees every field name, must (a set of the names it has
     * seen costs less than the parser's general check). The caller closes it and checks that
     * nothing follows the value.
     */
    public static JsonParser parserForFlatObject(byte[] data) throws IOException {
        return FLAT_FACTORY.createParser(data);
    }

    /** Writes a tree as one value of a document being generated (e.g. next to a streamed ledger). */
    public static void writeValue(JsonGenerator g, JsonNode tree) throws IOException {
        JsonTrees.write(g, tree);
    }

    /**
     * The value that starts at the parser's current token, as a tree; the parser is left on the
     * value's last token. For reading a long document one small piece at a time. Malformed
     * input is a {@link JsonProcessingException}, whatever Jackson threw.
     */
    public static JsonNode readValue(JsonParser p) throws IOException {
        try {
            return JsonTrees.read(p, p.currentToken());
        } catch (RuntimeException e) {
            // as in readTree: a number like 1e9999999999 escapes as NumberFormatException
            throw new com.fasterxml.jackson.core.JsonParseException(p, "not JSON: " + e.getMessage());
        }
    }

    public static String toJson(JsonNode tree) {
        return new String(toBytes(tree), StandardCharsets.UTF_8);
    }

    /** Refuses an empty or oversized datagram, or one that does not start like a JSON object. */
    private static void checkObjectDatagram(byte[] data, int offset, int length) throws MalformedMessageException {
        if (length == 0) {
            throw new MalformedMessageException("empty datagram");
        }
        if (length > MAX_DATAGRAM_BYTES) {
            throw new MalformedMessageException("oversized datagram: " + length + " bytes > " + MAX_DATAGRAM_BYTES);
        }
        if (!startsLikeAnObject(data, offset, length)) {
            throw new MalformedMessageException("not a JSON object");
        }
    }

    /** Parses a datagram into a JSON object, refusing empty, oversized and non-object input. */
    public static JsonNode parseObject(byte[] data, int offset, int length) throws MalformedMessageException {
        checkObjectDatagram(data, offset, length);
        JsonNode root = readTree(data, offset, length);
        if (!root.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        return root;
    }

    /**
     * A peer message parsed by {@link #parsePeerObject}: its tree, in which each entry's
     * {@code data} object is an empty placeholder, and the bytes of those objects by the entry's
     * position in {@code entries} (null where an element had no {@code data} object).
     */
    public record PeerObject(JsonNode tree, List<byte[]> entryData) {

        /** The sender's cluster id ({@link Codec#clusterIdOf}). */
        public String clusterId() throws MalformedMessageException {
            return clusterIdOf(tree);
        }
    }

    /**
     * {@link #parseObject} for a peer message (ports 9000-9002), with the same checks and
     * errors, except that the {@code data} object of each of an AppendEntry's {@code entries} is
     * not built into a tree: the parser checks it (syntax, nesting, duplicate keys) while skipping
     * it, and the object's bytes are kept as they came, for {@link #decodePeer(PeerObject)} to
     * wrap as the entry's {@link Payload} without encoding a tree back (a leader writes compact
     * JSON, which is what that round trip gave). Everything else is a tree as before.
     */
    public static PeerObject parsePeerObject(byte[] data, int offset, int length) throws MalformedMessageException {
        checkObjectDatagram(data, offset, length);
        List<byte[]> raw = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(data, offset, length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("not a JSON object"); // cannot happen after startsLikeAnObject
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("entries") && value == JsonToken.START_ARRAY) {
                    raw.clear();
                    root.set(name, rawEntries(p, data, offset, raw));
                } else {
                    root.set(name, JsonTrees.read(p, value));
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedMessageException("not JSON: trailing content after the value");
            }
            return new PeerObject(root, raw);
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    /**
     * An entries array, each element's {@code data} object replaced by an empty object and its
     * bytes added to {@code raw} at the element's position (null for an element without one).
     */
    private static JsonNode rawEntries(JsonParser p, byte[] data, int offset, List<byte[]> raw) throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            byte[] bytes = null;
            if (t != JsonToken.START_OBJECT) {
                a.add(JsonTrees.read(p, t));
                raw.add(null);
                continue;
            }
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("data") && value == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren(); // every token read: syntax, nesting and duplicate keys checked
                    int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                    bytes = java.util.Arrays.copyOfRange(data, offset + start, offset + end);
                    e.set(name, JsonNodeFactory.instance.objectNode()); // a placeholder: the bytes are in raw
                } else {
                    e.set(name, JsonTrees.read(p, value));
                }
            }
            a.add(e);
            raw.add(bytes);
        }
        return a;
    }

    /** Cheap first check, before any parser is built: the first non-blank byte must be '{'. */
    private static boolean startsLikeAnObject(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /** Decodes a node-to-node message (ports 9000-9002). */
    public static PeerMessage decodePeer(byte[] data, int offset, int length) throws MalformedMessageException {
        return decodePeer(parsePeerObject(data, offset, length));
    }

    /** The field a peer message carries its sender's cluster id in (docs/protocol.md, "Cluster identity"). */
    public static final String CLUSTER_ID = "cluster_id";

    /**
     * A peer message's {@code cluster_id} (optional: null if absent). Must be a string of 1 to 64
     * characters if present, else the message is malformed.
     */
    public static String clusterIdOf(JsonNode o) throws MalformedMessageException {
        JsonNode n = o.get(CLUSTER_ID);
        if (n == null) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 64) {
            throw new MalformedMessageException("field '" + CLUSTER_ID + "' must be a string of 1 to 64 characters");
        }
        return n.textValue();
    }

    /**
     * {@code encoded} (one JSON object, as {@link #encode} writes it) with {@code "cluster_id":
     * id} as its first field; unchanged if {@code id} is null. {@code id} must need no escaping
     * (a cluster id is hex digits).
     */
    public static byte[] withClusterId(byte[] encoded, String id) {
        if (id == null) {
            return encoded;
        }
        byte[] field = ("\"" + CLUSTER_ID + "\":\"" + id + "\",").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[encoded.length + field.length];
        out[0] = encoded[0]; // '{'
        System.arraycopy(field, 0, out, 1, field.length);
        System.arraycopy(encoded, 1, out, 1 + field.length, encoded.length - 1);
        return out;
    }

    /** A peer message from its parsed object (see {@link #decodePeer(byte[], int, int)}). */
    public static PeerMessage decodePeer(JsonNode o) throws MalformedMessageException {
        return decodePeer(o, null);
    }

    /** A peer message from {@link #parsePeerObject}'s result: its entries' bytes as they came. */
    public static PeerMessage decodePeer(PeerObject o) throws MalformedMessageException {
        return decodePeer(o.tree(), o.entryData());
    }

    private static PeerMessage decodePeer(JsonNode o, List<byte[]> raw) throws MalformedMessageException {
        String request = Fields.optionalString(o, "request");
        if (request == null) {
            throw new MalformedMessageException("missing field 'request'");
        }
        long max = Fields.MAX_COUNTER;
        return switch (request) {
            case RequestVote.REQUEST -> new RequestVote(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredName(o, "candidateId"),
                    Fields.requiredLong(o, "last_log_index", -1, max),
                    Fields.requiredLong(o, "last_log_term", 0, max),
                    Fields.requiredName(o, "sender_name"),
                    preVote(o));
            case VoteAck.REQUEST -> new VoteAck(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredFlag(o, "vote"),
                    Fields.requiredName(o, "from"),
                    Fields.requiredName(o, "to"),
                    preVote(o),
                    flag(o, "no_space"));
            case AppendEntry.REQUEST -> {
                long prev = Fields.requiredLong(o, "prev_log_index", -1, max);
                Long commit = Fields.optionalLong(o, "leader_commit", -1, max);
                yield new AppendEntry(
                        Fields.requiredLong(o, "term", 0, max),
                        Fields.requiredName(o, "leaderId"),
                        prev,
                        Fields.requiredLong(o, "prev_log_term", 0, max),
                        Fields.requiredName(o, "sender_name"),
                        entries(o, prev, raw),
                        commit == null ? -1 : commit,
                        optional(o, "read_seq"));
            }
            case AppendReply.REQUEST -> new AppendReply(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredFlag(o, "success"),
                    Fields.requiredName(o, "from"),
                    Fields.requiredName(o, "to"),
                    Fields.requiredLong(o, "match_index", -1, max),
                    Fields.requiredLong(o, "reject_index", -1, max),
                    Fields.requiredLong(o, "conflict_index", -1, max),
                    Fields.requiredLong(o, "conflict_term", 0, max),
                    optional(o, "read_seq"),
                    optional(o, "incarnation"),
                    flag(o, "no_space"),
                    optional(o, "feature_level"));
            case InstallSnapshot.REQUEST -> new InstallSnapshot(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredName(o, "leaderId"),
                    Fields.requiredLong(o, "last_included_index", 0, max),
                    Fields.requiredLong(o, "last_included_term", 1, max),
                    Fields.requiredLong(o, "offset", 0, max),
                    Fields.requiredLong(o, "total_size", 0, max),
                    Fields.requiredLong(o, "crc", 0, 0xFFFF_FFFFL),
                    Fields.requiredFlag(o, "done"),
                    base64(o, "data"),
                    configuration(o));
            case SnapshotAck.REQUEST -> new SnapshotAck(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredName(o, "from"),
                    Fields.requiredName(o, "to"),
                    Fields.requiredLong(o, "last_included_index", 0, max),
                    Fields.requiredLong(o, "next_offset", 0, max));
            case TimeoutNow.REQUEST -> new TimeoutNow(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredName(o, "from"),
                    Fields.requiredName(o, "to"));
            default -> throw new MalformedMessageException("unknown request '" + Fields.abbreviate(request) + "'");
        };
    }

    /** A required base64 string field, decoded. */
    private static byte[] base64(JsonNode o, String field) throws MalformedMessageException {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new MalformedMessageException("field '" + field + "' must be a base64 string");
        }
        try {
            return java.util.Base64.getDecoder().decode(n.textValue());
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + field + "' is not valid base64");
        }
    }

    /**
     * An INSTALL_SNAPSHOT's optional {@code configuration} (empty when absent): it must be one
     * ({@link ClusterConfig#parse}), since a follower adopts it as its membership.
     */
    private static String configuration(JsonNode o) throws MalformedMessageException {
        String text = Fields.optionalString(o, "configuration");
        if (text == null || text.isEmpty()) {
            return "";
        }
        try {
            ClusterConfig.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field 'configuration': " + Fields.abbreviate(e.getMessage()));
        }
        return text;
    }

    /** The optional {@code pre_vote} flag: absent or false is a real vote. */
    private static boolean preVote(JsonNode o) throws MalformedMessageException {
        return flag(o, "pre_vote");
    }

    /** An optional flag: absent or null is false. */
    private static boolean flag(JsonNode o, String field) throws MalformedMessageException {
        JsonNode n = o.get(field);
        return n != null && !n.isNull() && Fields.requiredFlag(o, field);
    }

    /** An optional non-negative counter, 0 when absent. */
    private static long optional(JsonNode o, String field) throws MalformedMessageException {
        Long v = Fields.optionalLong(o, field, 0, Fields.MAX_COUNTER);
        return v == null ? 0 : v;
    }

    /** The optional {@code entries} of an AppendEntry: {@code [{"term": T, "data": {...}}, ...]}. */
    private static List<Entry> entries(JsonNode o, long prev, List<byte[]> raw) throws MalformedMessageException {
        JsonNode list = o.get("entries");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new MalformedMessageException("field 'entries' must be an array");
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw new MalformedMessageException("each entry must be an object");
            }
            JsonNode data = e.get("data");
            if (data == null || !data.isObject()) {
                throw new MalformedMessageException("each entry needs an object 'data'");
            }
            long term = Fields.requiredLong(e, "term", 1, Fields.MAX_COUNTER);
            byte[] bytes = raw == null ? null : raw.get(entries.size());
            entries.add(new Entry(prev + 1 + entries.size(), term,
                    bytes != null ? Payload.adopt(bytes) : Payload.ofJson(toBytes(data))));
        }
        return entries;
    }

    /**
     * Decodes a controller-convention message (requests to port 5555, and the node's replies).
     * The request name is kept even when unknown, so the node can answer it with an error.
     * Only {@code request} must be a non-empty string. The course's controllers send
     * {@code term} as null, a number, or strings such as "NULL", "" and "None", and a
     * controller's term means nothing to a node: a term that is not a usable number (a JSON
     * integer or numeric string in [0, 2^53-1]) is read as null, never a reason to refuse. A
     * {@code sender_name} that is not a string is read as null too. {@code key} and
     * {@code value} are taken as any JSON. {@code ack} is true only for a JSON {@code true}.
     * Peer messages ({@link #decodePeer}) stay strict.
     */
    public static ControllerMessage decodeController(byte[] data, int offset, int length) throws MalformedMessageException {
        JsonNode o = parseObject(data, offset, length);
        String request = Fields.optionalString(o, "request");
        if (request == null || request.isEmpty()) {
            throw new MalformedMessageException("missing field 'request'");
        }
        JsonNode sender = o.get("sender_name");
        JsonNode ack = o.get("ack");
        return new ControllerMessage(
                sender != null && sender.isTextual() ? sender.textValue() : null,
                request,
                controllerTerm(o),
                nullIfJsonNull(o.get("key")),
                nullIfJsonNull(o.get("value")),
                ack != null && ack.isBoolean() && ack.booleanValue());
    }

    /** A controller message's term if it is a usable one, else null (see {@link #decodeController}). */
    private static Long controllerTerm(JsonNode o) {
        try {
            return Fields.optionalLong(o, "term", 0, Fields.MAX_COUNTER);
        } catch (MalformedMessageException e) {
            return null;
        }
    }

    private static JsonNode nullIfJsonNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /** Encodes any message as one JSON object in UTF-8. */
    public static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (m instanceof RequestVote rv) {
                g.writeNumberField("term", rv.term());
                g.writeStringField("candidateId", rv.candidateId());
                g.writeNumberField("last_log_index", rv.lastLogIndex());
                g.writeNumberField("last_log_term", rv.lastLogTerm());
                g.writeStringField("sender_name", rv.senderName());
                g.writeStringField("request", rv.request());
                if (rv.preVote()) {
                    g.writeBooleanField("pre_vote", true);
                }
            } else if (m instanceof VoteAck ack) {
                g.writeNumberField("vote", ack.granted() ? 1 : 0);
                g.writeStringField("from", ack.from());
                g.writeStringField("to", ack.to());
                g.writeStringField("request", ack.request());
                g.writeNumberField("term", ack.term());
                if (ack.preVote()) {
                    g.writeBooleanField("pre_vote", true);
                }
                if (ack.noSpace()) {
                    g.writeBooleanField("no_space", true);
                }
            } else if (m instanceof AppendEntry ae) {
                g.writeNumberField("term", ae.term());
                g.writeStringField("leaderId", ae.leaderId());
                g.writeNumberField("prev_log_index", ae.prevLogIndex());
                g.writeNumberField("prev_log_term", ae.prevLogTerm());
                g.writeStringField("sender_name", ae.senderName());
                g.writeStringField("request", ae.request());
                if (ae.readSeq() > 0) {
                    g.writeNumberField("read_seq", ae.readSeq());
                }
                if (!ae.entries().isEmpty() || ae.leaderCommit() >= 0) {
                    g.writeNumberField("leader_commit", ae.leaderCommit());
                    g.writeArrayFieldStart("entries");
                    for (Entry e : ae.entries()) {
                        g.writeStartObject();
                        g.writeNumberField("term", e.term());
                        g.writeFieldName("data");
                        g.writeRawValue(new RawJson(e.data().raw())); // the entry's bytes as they are
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
            } else if (m instanceof AppendReply r) {
                g.writeNumberField("term", r.term());
                g.writeBooleanField("success", r.success());
                g.writeStringField("from", r.from());
                g.writeStringField("to", r.to());
                g.writeNumberField("match_index", r.matchIndex());
                g.writeNumberField("reject_index", r.rejectIndex());
                g.writeNumberField("conflict_index", r.conflictIndex());
                g.writeNumberField("conflict_term", r.conflictTerm());
                if (r.readSeq() > 0) {
                    g.writeNumberField("read_seq", r.readSeq());
                }
                if (r.incarnation() > 0) {
                    g.writeNumberField("incarnation", r.incarnation());
                }
                if (r.noSpace()) {
                    g.writeBooleanField("no_space", true);
                }
                if (r.featureLevel() > 0) {
                    g.writeNumberField("feature_level", r.featureLevel());
                }
                g.writeStringField("request", r.request());
            } else if (m instanceof InstallSnapshot s) {
                g.writeNumberField("term", s.term());
                g.writeStringField("leaderId", s.leaderId());
                g.writeNumberField("last_included_index", s.lastIncludedIndex());
                g.writeNumberField("last_included_term", s.lastIncludedTerm());
                g.writeNumberField("offset", s.offset());
                g.writeNumberField("total_size", s.totalSize());
                g.writeNumberField("crc", s.crc());
                g.writeBooleanField("done", s.done());
                g.writeStringField("data", java.util.Base64.getEncoder().encodeToString(s.data()));
                if (!s.configuration().isEmpty()) {
                    g.writeStringField("configuration", s.configuration());
                }
                g.writeStringField("request", s.request());
            } else if (m instanceof SnapshotAck a) {
                g.writeNumberField("term", a.term());
                g.writeStringField("from", a.from());
                g.writeStringField("to", a.to());
                g.writeNumberField("last_included_index", a.lastIncludedIndex());
                g.writeNumberField("next_offset", a.nextOffset());
                g.writeStringField("request", a.request());
            } else if (m instanceof TimeoutNow t) {
                g.writeNumberField("term", t.term());
                g.writeStringField("from", t.from());
                g.writeStringField("to", t.to());
                g.writeStringField("request", t.request());
            } else if (m instanceof ControllerMessage c) {
                writeController(g, c, null);
            } else {
                throw new IllegalArgumentException("unknown message type " + m.getClass());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * An entry's bytes (or a reply's value), written as they are: UTF-8 JSON, copied, never
     * decoded to a String and encoded back (what {@code writeRawValue(String)} would do for each
     * follower and each entry). Only the generator's raw-write path is used.
     */
    private static final class RawJson implements com.fasterxml.jackson.core.SerializableString {
        private final byte[] utf8;

        RawJson(byte[] utf8) {
            this.utf8 = utf8;
        }

        @Override public String getValue() { return new String(utf8, StandardCharsets.UTF_8); }
        @Override public int charLength() { return getValue().length(); }
        @Override public char[] asQuotedChars() { throw new UnsupportedOperationException(); }
        @Override public byte[] asUnquotedUTF8() { return utf8; }
        @Override public byte[] asQuotedUTF8() { throw new UnsupportedOperationException(); }
        @Override public int appendQuotedUTF8(byte[] buffer, int offset) { throw new UnsupportedOperationException(); }
        @Override public int appendQuoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override public int appendUnquoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }
        @Override public int writeQuotedUTF8(java.io.OutputStream out) { throw new UnsupportedOperationException(); }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override public int putQuotedUTF8(java.nio.ByteBuffer buffer) { throw new UnsupportedOperationException(); }
        @Override public int putUnquotedUTF8(java.nio.ByteBuffer buffer) { throw new UnsupportedOperationException(); }
    }

    /** A controller message's fields; its value from {@code rawValue} (one JSON value's UTF-8) unless null. */
    private static void writeController(JsonGenerator g, ControllerMessage c, byte[] rawValue) throws IOException {
        g.writeStringField("sender_name", c.senderName());
        g.writeStringField("request", c.request());
        if (c.term() == null) {
            g.writeNullField("term");
        } else {
            g.writeNumberField("term", c.term());
        }
        g.writeFieldName("key");
        writeTree(g, c.key());
        g.writeFieldName("value");
        if (rawValue != null) {
            g.writeRawValue(new RawJson(rawValue));
        } else {
            writeTree(g, c.value());
        }
        if (c.ack()) {
            g.writeBooleanField("ack", true);
        }
    }

    /**
     * {@link #encode} of {@code reply} with {@code value} (the UTF-8 of one JSON value, as
     * {@link #toBytes} writes it) in place of its tree value: the same bytes as encoding the tree,
     * without building it (a reply the node sends for every write).
     */
    public static byte[] encodeReply(ControllerMessage reply, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + value.length);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeController(g, reply, value);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeTree(JsonGenerator g, JsonNode n) throws IOException {
        JsonTrees.write(g, n);
    }
}
