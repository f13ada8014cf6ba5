package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.CommittedReply;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MembersReply;
import dev.raftledger.raftctl.Polling;
import dev.raftledger.raftctl.Session;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The membership requests of docs/protocol.md: MEMBERS read from the leader (or one node), and
 * the changes MEMBER_ADD, MEMBER_PROMOTE and MEMBER_REMOVE, each sent once to the leader (a change
 * whose outcome is unknown is not sent again: the operator looks with {@code member list}).
 */
public final class MemberClient {

    static final String MEMBERS = "MEMBERS";
    /** Refusals after which nothing was done and that pass by themselves: worth asking again with --wait. */
    static final Set<ControllerError> PASSING = EnumSet.of(ControllerError.NOT_READY, ControllerError.CHANGE_IN_PROGRESS);
    private static final long RETRY_MS = 200;


    /** A MEMBERS reply. */
    public record Listing(String node, String leader, Long configIndex, boolean committed, Long lastLogIndex,
                   List<MembersReply.Member> members, MembersReply.Stamps stamps) {

        public long voters() {
            return members.stream().filter(m -> "voter".equals(m.role())).count();
        }
    }

    /** A change the leader committed. */
    public record Changed(String request, String name, Long index, Long term, String node, List<MembersReply.Member> members) {}

    private final Session session;
    private final LeaderRouter router;

    public MemberClient(Session session) {
        this.session = session;
        this.router = session.router();
    }

    /** MEMBERS from {@code node}, or from the leader (found with LEADER_INFO) if null. */
    public Listing list(NodeAddress node) throws LeaderRouter.Failure {
        NodeAddress target = node != null ? node
                : router.locateLeader(MEMBERS, System.nanoTime() + session.readBudget().toNanos());
        LeaderRouter.Reply reply = router.readFrom(target, ControllerMessage.request(MEMBERS), MEMBERS,
                session.readBudget());
        MembersReply v = MembersReply.fromJson(reply.message().value());
        if (v == null) {
            throw new LeaderRouter.Failure(LeaderRouter.Failure.Kind.BAD_REPLY, null, MEMBERS + ": "
                    + reply.node().name() + " answered without a member list");
        }
        return new Listing(reply.node().name(), v.leader(), v.configIndex(), v.committed(), v.lastLogIndex(),
                v.members(), v.stamps());
    }

    /**
     * Each member's version, from one STATUS round to all of them at once (null: no answer):
     * the members this session's cluster names at their addresses there, others (added since)
     * at their host with the cluster's ports. In the members' order.
     */
    public java.util.Map<String, String> versions(List<MembersReply.Member> members) {
        ControllerMessage status = ControllerMessage.request(dev.raftledger.common.wire.ControllerRequest.STATUS.name());
        java.util.Map<String, dev.raftledger.common.client.Answer> answers =
                new java.util.HashMap<>(session.queries().askAll(session.cluster(), status));
        StringBuilder others = new StringBuilder();
        for (MembersReply.Member m : members) {
            if (!session.cluster().contains(m.name()) && m.host() != null) {
                others.append(others.length() == 0 ? "" : ",").append(m.name()).append('=').append(m.host());
            }
        }
        if (others.length() > 0) {
            try {
                answers.putAll(session.queries().askAll(dev.raftledger.common.cluster.ClusterSpec.parse(
                        others.toString(), session.cluster().ports()), status));
            } catch (IllegalArgumentException e) {
                // a host the spec refuses: those members' versions stay unknown
            }
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (MembersReply.Member m : members) {
            var a = answers.get(m.name());
            String v = null;
            if (a != null && a.answered() && "STATUS".equals(a.reply().request()) && a.reply().value() != null) {
                dev.raftledger.common.wire.StatusReply s = dev.raftledger.common.wire.StatusReply.fromJson(a.reply().value());
                v = s == null ? null : s.version();
            }
            out.put(m.name(), v);
        }
        return out;
    }

    /**
     * Sends a change once to the leader. With {@code wait}, a refusal that passes by itself
     * ({@link #PASSING}: nothing was done) is asked again every {@value #RETRY_MS} ms until then.
     */
    public Changed change(String request, ObjectNode value, Duration wait) throws LeaderRouter.Failure {
        long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
        while (true) {
            try {
                LeaderRouter.Reply reply = router.writeOnce(
                        new ControllerMessage(ControllerMessage.CONTROLLER, request, null, null, value), request,
                        session.writeTimeout());
                CommittedReply v = CommittedReply.fromJson(reply.message().value());
                return new Changed(request, value.get("name").asText(), v.index(), v.term(), reply.node().name(),
                        v.members() == null ? List.of() : v.members());
            } catch (LeaderRouter.Failure f) {
                boolean passes = ControllerError.fromWire(f.code()).map(PASSING::contains).orElse(false);
                boolean again = wait != null && f.kind() == LeaderRouter.Failure.Kind.REFUSED && passes
                        && System.nanoTime() - deadline < 0;
                if (!again || !Polling.sleepUntil(Math.min(deadline,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS)))) {
                    throw f;
                }
            }
        }
    }

    public static ObjectNode named(String name) {
        ObjectNode v = Codec.objectNode();
        v.put("name", name);
        return v;
    }
}
