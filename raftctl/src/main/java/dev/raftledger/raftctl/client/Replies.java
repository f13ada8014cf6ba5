package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Refusal;
import java.util.Optional;

/** Tells a usable reply from the ways a node can fail to give one. */
public final class Replies {

    private Replies() {}

    /**
     * Why {@code answer} is not a proper reply to {@code expected}, or null if it is. A node that
     * answers with an ERROR reply is up but refused (an older raftd without STATUS, say).
     */
    public static String problem(Answer answer, ControllerRequest expected) {
        return problem(answer, expected.name());
    }

    /** As above, for a request named as sent. */
    public static String problem(Answer answer, String expected) {
        if (!answer.answered()) {
            return answer.error();
        }
        ControllerMessage reply = answer.reply();
        Optional<Refusal> refused = Refusal.from(reply);
        if (refused.isPresent()) {
            return "refused: " + refused.get().describe();
        }
        if (!expected.equals(reply.request())) {
            return "unexpected reply '" + reply.request() + "' to " + expected;
        }
        return null;
    }
}
