package dev.raftledger.raftctl.client;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.raftctl.Session;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which reachable member is the most up to date, for disaster recovery ({@code raftd recover}):
 * one STATUS round, and among the members that answer, the one whose log is the most up to date
 * in Raft's sense (the higher last term, then the longer log), which holds every entry any
 * answering member holds that could have been acknowledged. {@link #of} is pure.
 *
 * @param members every member, in the cluster's order
 * @param best    the most up-to-date member that answered, or null if none did
 * @param tied    the members as up to date as {@code best} (it included); any of them will do
 */
public record Survivors(List<Member> members, String best, List<String> tied) {

    /** What one member said, or why it did not. */
    public record Member(String node, boolean reachable, String state, Long lastLogIndex, Long lastLogTerm,
                         Long commitIndex, String error) {}

    public static Survivors ask(Session session, ControllerClient client) {
        Map<String, Answer> answers = client.askAll(session.cluster(),
                ControllerMessage.request(ControllerRequest.STATUS.name()));
        List<Member> members = new ArrayList<>();
        for (NodeAddress node : session.cluster().nodes()) {
            Answer a = answers.get(node.name());
            String problem = Replies.problem(a, ControllerRequest.STATUS);
            if (problem != null) {
                members.add(new Member(node.name(), false, null, null, null, null, problem));
                continue;
            }
            StatusReply s = StatusReply.fromJson(a.reply().value());
            members.add(new Member(node.name(), true, s.state(), s.lastLogIndex(), s.lastLogTerm(), s.commitIndex(),
                    null));
        }
        return of(members);
    }

    /** The choice among {@code members} (see the class comment). */
    public static Survivors of(List<Member> members) {
        Comparator<Member> upToDate = Comparator.comparing((Member m) -> m.lastLogTerm() == null ? -1 : m.lastLogTerm())
                .thenComparing(m -> m.lastLogIndex() == null ? -2 : m.lastLogIndex());
        Member best = null;
        for (Member m : members) {
            if (m.reachable() && (best == null || upToDate.compare(m, best) > 0)) {
                best = m;
            }
        }
        List<String> tied = new ArrayList<>();
        for (Member m : members) {
            if (best != null && m.reachable() && upToDate.compare(m, best) == 0) {
                tied.add(m.node());
            }
        }
        return new Survivors(List.copyOf(members), best == null ? null : best.node(), List.copyOf(tied));
    }
}
