package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.WhoamiReply;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * WHOAMI to every node at once (one reply timeout however many are down): who each node takes
 * this raftctl for. The answer shown is the first node's, in the cluster's order, that gave one;
 * the others are kept so that a node that sees the caller otherwise (an operators file that
 * differs, or was not reloaded) or that does not answer (down, or not accepting this key: a node
 * drops what it cannot open, unanswered) can be named.
 *
 * @param first the first node's view with a usable reply; null if none gave one
 * @param views every node's view, in the cluster's order
 */
public record WhoamiQuery(View first, List<View> views) {

    /**
     * One node's answer.
     *
     * @param node  the node asked
     * @param reply what it said (null: no usable reply)
     * @param error why there is no usable reply (no answer, a refusal); null when there is one
     * @param reached whether the node answered at all (a refusal counts: it is up and took the key)
     */
    public record View(String node, WhoamiReply reply, String error, boolean reached) {

        /** Whether this node sees the caller as {@code other} does (same key state, name, role). */
        public boolean agrees(View other) {
            return reply != null && other.reply != null && Objects.equals(reply.keyed(), other.reply.keyed())
                    && Objects.equals(reply.name(), other.reply.name()) && Objects.equals(reply.role(), other.reply.role());
        }
    }

    public WhoamiQuery {
        views = List.copyOf(views);
    }

    public static WhoamiQuery ask(Session session) {
        Map<String, Answer> answers = session.queries()
                .askAll(session.cluster(), ControllerMessage.request(ControllerRequest.WHOAMI.name()));
        List<View> views = new ArrayList<>();
        for (NodeAddress node : session.cluster().nodes()) {
            views.add(view(node.name(), answers.get(node.name())));
        }
        View first = views.stream().filter(v -> v.reply() != null).findFirst().orElse(null);
        return new WhoamiQuery(first, views);
    }

    static View view(String node, Answer answer) {
        String problem = Replies.problem(answer, ControllerRequest.WHOAMI);
        if (problem != null) {
            return new View(node, null, problem, answer.answered());
        }
        ControllerMessage reply = answer.reply();
        if (reply.value() == null || !reply.value().isObject()) {
            return new View(node, null, "WHOAMI reply without its value", true);
        }
        WhoamiReply r = WhoamiReply.fromJson(reply.value());
        if (r.role() == null) {
            return new View(node, null, "WHOAMI reply without a role", true);
        }
        return new View(node, r, null, true);
    }

    /** The nodes that gave a usable reply seeing the caller otherwise than {@link #first}. */
    public List<View> differing() {
        return first == null ? List.of() : views.stream().filter(v -> v.reply() != null && !v.agrees(first)).toList();
    }

    /** The nodes without a usable reply. */
    public List<View> unanswered() {
        return views.stream().filter(v -> v.reply() == null).toList();
    }
}
