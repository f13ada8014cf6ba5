package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The controller convention's single shape, used for requests to port 5555 and for the
 * node's replies. {@code term} is null where the controller sends null (or anything that is
 * not a usable term: a controller's term means nothing to a node); {@code key} and
 * {@code value} are arbitrary JSON (strings, numbers or objects in requests, an object or
 * array in some replies), or null. Unknown request names are representable so that the node
 * can answer them with an error instead of dropping them silently.
 *
 * <p>{@code ack} is this project's addition, never in the convention's messages: a request
 * with {@code "ack": true} asks for a reply to TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN, which
 * the convention leaves unanswered ({@link ControllerRequest#unansweredByConvention}).
 */
public record ControllerMessage(String senderName, String request, Long term, JsonNode key,
                                JsonNode value, boolean ack) implements Message {

    public static final String CONTROLLER = "Controller";

    /** A message without {@code ack}, as every convention message and every reply is. */
    public ControllerMessage(String senderName, String request, Long term, JsonNode key, JsonNode value) {
        this(senderName, request, term, key, value, false);
    }

    /** This request, asking for the node's acknowledgement ({@code "ack": true}). */
    public ControllerMessage withAck() {
        return new ControllerMessage(senderName, request, term, key, value, true);
    }

    /** A request from a controller, every other field null, as the convention sends it. */
    public static ControllerMessage request(String request) {
        return new ControllerMessage(CONTROLLER, request, null, null, null);
    }

    /** The key as text, or null where it is JSON null or absent. */
    public String keyText() {
        return key == null || key.isNull() ? null : key.asText();
    }

    /** The value as text, or null where it is JSON null or absent. */
    public String valueText() {
        return value == null || value.isNull() ? null : value.asText();
    }
}
