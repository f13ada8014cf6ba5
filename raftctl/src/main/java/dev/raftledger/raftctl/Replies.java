package dev.raftledger.raftctl;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;

/** Tells a usable reply from the ways a node can fail to give one. */
final class Replies {

    private Replies() {}

    /**
     * Why {@code answer} is not a proper reply to {@code expected}, or null if it is. A node that
     * answers with an ERROR reply is up but refused (an older raftd without STATUS, say).
     */
    static String problem(Answer answer, ControllerRequest expected) {
        return problem(answer, expected.name());
    }

    /** As above, for requests the enum does not name (EXPENSE, EXPENSES, LOG). */
    static String problem(Answer answer, String expected) {
        if (!answer.answered()) {
            return answer.error();
        }
        ControllerMessage reply = answer.reply();
        if (ControllerRequest.ERROR.name().equals(reply.request())) {
            String key = reply.keyText();
            String value = reply.valueText();
            return "refused: " + (key == null ? "ERROR" : key) + (value == null ? "" : ": " + value);
        }
        if (!expected.equals(reply.request())) {
            return "unexpected reply '" + reply.request() + "' to " + expected;
        }
        return null;
    }
}
