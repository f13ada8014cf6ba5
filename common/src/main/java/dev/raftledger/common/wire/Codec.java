package dev.raftledger.common.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON codec for every message: one UTF-8 JSON object per datagram, the seed's field names.
 * Lenient on input (numeric strings, unknown fields ignored, nulls where the convention sends
 * them), strict on output (numbers as numbers, fields in a fixed order).
 *
 * <p>It reads through Jackson's tree model and writes through its streaming generator, so no
 * class is reflected on: the same code runs unchanged in a native image.
 */
public final class Codec {

    /**
     * The largest datagram a node accepts. UDP over IPv4 carries at most 65,507 bytes; this stays
     * well under it so that an oversized datagram is refused before any parsing work.
     */
    public static final int MAX_DATAGRAM_BYTES = 64_000;

    /** Messages are flat; anything nested deeper than this is hostile and refused early. */
    static final int MAX_NESTING_DEPTH = 16;

    private static final ObjectMapper MAPPER = newMapper();

    private Codec() {}

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(32)
                        .maxStringLength(MAX_DATAGRAM_BYTES)
                        .build())
                // {"term":1,"term":99} must not mean whatever the last key says
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // one object per datagram: '{...} trailing' or '{...}{...}' is not a message
        return new ObjectMapper(factory).enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The shared mapper, for building {@code key}/{@code value} trees of controller replies. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a datagram into a JSON object, refusing empty, oversized and non-object input. */
    public static JsonNode parseObject(byte[] data, int offset, int length) throws MalformedMessageException {
        if (length == 0) {
            throw new MalformedMessageException("empty datagram");
        }
        if (length > MAX_DATAGRAM_BYTES) {
            throw new MalformedMessageException("oversized datagram: " + length + " bytes > " + MAX_DATAGRAM_BYTES);
        }
        if (!startsLikeAnObject(data, offset, length)) {
            throw new MalformedMessageException("not a JSON object");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(data, offset, length);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + Fields.abbreviate(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new MalformedMessageException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        return root;
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
        JsonNode o = parseObject(data, offset, length);
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
                    Fields.requiredName(o, "sender_name"));
            case VoteAck.REQUEST -> new VoteAck(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredFlag(o, "vote"),
                    Fields.requiredName(o, "from"),
                    Fields.requiredName(o, "to"));
            case AppendEntry.REQUEST -> new AppendEntry(
                    Fields.requiredLong(o, "term", 0, max),
                    Fields.requiredName(o, "leaderId"),
                    Fields.requiredLong(o, "prev_log_index", -1, max),
                    Fields.requiredLong(o, "prev_log_term", 0, max),
                    Fields.requiredName(o, "sender_name"));
            default -> throw new MalformedMessageException("unknown request '" + Fields.abbreviate(request) + "'");
        };
    }

    /**
     * Decodes a controller-convention message (requests to port 5555, and the node's replies).
     * The request name is kept even when unknown, so the node can answer it with an error.
     */
    public static ControllerMessage decodeController(byte[] data, int offset, int length) throws MalformedMessageException {
        JsonNode o = parseObject(data, offset, length);
        String request = Fields.optionalString(o, "request");
        if (request == null || request.isEmpty()) {
            throw new MalformedMessageException("missing field 'request'");
        }
        return new ControllerMessage(
                Fields.optionalString(o, "sender_name"),
                request,
                Fields.optionalLong(o, "term", 0, Fields.MAX_COUNTER),
                nullIfJsonNull(o.get("key")),
                nullIfJsonNull(o.get("value")));
    }

    private static JsonNode nullIfJsonNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /** Encodes any message as one JSON object in UTF-8. */
    public static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (m instanceof RequestVote rv) {
                g.writeNumberField("term", rv.term());
                g.writeStringField("candidateId", rv.candidateId());
                g.writeNumberField("last_log_index", rv.lastLogIndex());
                g.writeNumberField("last_log_term", rv.lastLogTerm());
                g.writeStringField("sender_name", rv.senderName());
                g.writeStringField("request", rv.request());
            } else if (m instanceof VoteAck ack) {
                g.writeNumberField("vote", ack.granted() ? 1 : 0);
                g.writeStringField("from", ack.from());
                g.writeStringField("to", ack.to());
                g.writeStringField("request", ack.request());
                g.writeNumberField("term", ack.term());
            } else if (m instanceof AppendEntry ae) {
                g.writeNumberField("term", ae.term());
                g.writeStringField("leaderId", ae.leaderId());
                g.writeNumberField("prev_log_index", ae.prevLogIndex());
                g.writeNumberField("prev_log_term", ae.prevLogTerm());
                g.writeStringField("sender_name", ae.senderName());
                g.writeStringField("request", ae.request());
            } else if (m instanceof ControllerMessage c) {
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
                writeTree(g, c.value());
            } else {
                throw new IllegalArgumentException("unknown message type " + m.getClass());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeTree(JsonGenerator g, JsonNode n) throws IOException {
        if (n == null) {
            g.writeNull();
        } else {
            MAPPER.writeTree(g, n);
        }
    }
}
