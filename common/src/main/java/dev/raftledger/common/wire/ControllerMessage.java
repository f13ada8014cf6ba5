package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The controller convention's single shape, used for requests to port 5555 and for the
 * node's replies. {@code term} is null where the controller sends null; {@code key} and
 * {@code value} are arbitrary JSON (strings in requests, an object or array in some replies),
 * or null. Unknown request names are representable so that the node can answer them with an
 * error instead of dropping them silently.
 */
public record ControllerMessage(String senderName, String request, Long term, JsonNode key,
                                JsonNode value) implements Message {

    public static final String CONTROLLER = "Controller";

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
