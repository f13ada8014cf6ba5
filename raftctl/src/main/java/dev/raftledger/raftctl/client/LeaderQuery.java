package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Who leads, as every node says: one LEADER_INFO round to all at once, as a {@link LeaderView}. */
public final class LeaderQuery {

    private LeaderQuery() {}

    /** One LEADER_INFO round to every node at once; also the shell's prompt. */
    public static LeaderView ask(Session session, ControllerClient client) {
        Map<String, Answer> answers = client.askAll(session.cluster(),
                ControllerMessage.request(ControllerRequest.LEADER_INFO.name()));
        List<LeaderView.Claim> claims = new ArrayList<>();
        for (NodeAddress node : session.cluster().nodes()) {
            Answer a = answers.get(node.name());
            String problem = Replies.problem(a, ControllerRequest.LEADER_INFO);
            claims.add(problem == null
                    ? new LeaderView.Claim(node.name(), true, a.reply().valueText(), a.reply().term(), null)
                    : new LeaderView.Claim(node.name(), a.answered(), null, null, problem));
        }
        return LeaderView.of(claims);
    }
}
