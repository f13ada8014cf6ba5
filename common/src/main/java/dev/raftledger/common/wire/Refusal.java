package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;

/**
 * A controller request refused: the {@code ERROR} reply, encoded by raftd ({@link #toReply}) and
 * decoded by raftctl ({@link #from}) in this one place. On the wire, {@code request} is
 * {@code ERROR}, {@code key} the code and {@code value} the message.
 *
 * <p>{@code code} is kept as the wire has it, so a reply from a newer node with a code this build
 * does not know is still shown as sent; {@link #known()} is the code as this build's enum.
 */
public record Refusal(String code, String message) {

    public Refusal(ControllerError code, String message) {
        this(code.name(), message);
    }

    /** The refusal an ERROR reply carries, or empty if {@code reply} is no ERROR reply. */
    public static Optional<Refusal> from(ControllerMessage reply) {
        if (!ControllerRequest.ERROR.name().equals(reply.request())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(reply.keyText(), reply.valueText()));
    }

    /** The code as this build knows it; empty for a code it does not (or none at all). */
    public Optional<ControllerError> known() {
        return ControllerError.fromWire(code);
    }

    /** Whether the code is {@code error}. */
    public boolean is(ControllerError error) {
        return error.name().equals(code);
    }

    /** The ERROR reply of {@code node} in {@code term}. */
    public ControllerMessage toReply(String node, long term) {
        return new ControllerMessage(node, ControllerRequest.ERROR.name(), term, TextNode.valueOf(code),
                TextNode.valueOf(message));
    }

    /** "CODE: message", for people ("ERROR" where a reply carried no code). */
    public String describe() {
        return (code == null ? "ERROR" : code) + (message == null ? "" : ": " + message);
    }
}
