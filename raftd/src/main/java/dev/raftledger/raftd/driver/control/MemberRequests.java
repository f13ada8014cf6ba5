package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.CommittedReply;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.MembersReply;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.raftd.core.RaftCore.ConfigChange;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The membership requests on the controller port (docs/protocol.md, "Membership"): MEMBERS, which
 * any node answers with the configuration in force; MEMBER_ADD, MEMBER_PROMOTE and MEMBER_REMOVE,
 * which the leader turns into a configuration entry (one change at a time) and answers once it
 * commits, as a STORE.
 */
final class MemberRequests {

    private final RaftCore core;
    private final PendingWrites pending;
    private final Replies replies;

    /** Whether the leader stamps ledger writes, for MEMBERS (none: not said). */
    private final java.util.function.Supplier<MembersReply.Stamps> stamps;

    MemberRequests(RaftCore core, PendingWrites pending, Replies replies) {
        this(core, pending, replies, () -> null);
    }

    MemberRequests(RaftCore core, PendingWrites pending, Replies replies,
                   java.util.function.Supplier<MembersReply.Stamps> stamps) {
        this.core = core;
        this.pending = pending;
        this.replies = replies;
        this.stamps = stamps;
    }

    static boolean isChange(String request) {
        return request.equals(ControllerRequest.MEMBER_ADD.name()) || request.equals(ControllerRequest.MEMBER_PROMOTE.name())
                || request.equals(ControllerRequest.MEMBER_REMOVE.name());
    }

    /** MEMBERS: the configuration in force here; on the leader, how far each member has caught up. */
    ControllerMessage members(long now) {
        MembersReply v = new MembersReply(core.leader(), core.configIndex(), core.configIndex() <= core.commitIndex(),
                core.lastIndex(), describe(core.config(), true, now), stamps.get());
        return replies.reply(ControllerRequest.MEMBERS, ReplyKey.MEMBERS, v.toJson());
    }

    /**
     * Each member; on the leader (and with {@code progress}) with its match index, lag, last
     * answer and (learners) readiness, else those null.
     */
    private List<MembersReply.Member> describe(ClusterConfig config, boolean progress, long now) {
        boolean leading = progress && core.role() == Role.LEADER;
        Map<String, RaftCore.Replica> replicas = core.replicas(now);
        List<MembersReply.Member> list = new ArrayList<>();
        for (ClusterConfig.Member m : config.members()) {
            RaftCore.Replica r = replicas.get(m.name());
            boolean self = m.name().equals(core.name());
            Long match = null;
            Long lag = null;
            Long heard = null;
            if (leading && (self || r != null)) {
                match = self ? core.lastIndex() : r.match();
                lag = Math.max(0, core.lastIndex() - match);
                heard = self || r.heardAgoMs() < 0 ? null : r.heardAgoMs();
            }
            Boolean ready = leading && !m.isVoter() ? core.learnerReady(m.name(), now) : null;
            list.add(new MembersReply.Member(m.name(), m.host(), m.suffrage().wireName(), match, lag, heard, ready));
        }
        return list;
    }

    /**
     * MEMBER_ADD {@code {"name", "host"}}, MEMBER_PROMOTE and MEMBER_REMOVE {@code {"name"}}: the
     * leader appends the new configuration and answers once it commits; anyone else answers
     * LEADER_INFO; a change the core refuses is answered at once with its ERROR code.
     */
    ControllerHandler.Result change(ControllerMessage request, InetSocketAddress replyTo, long now) {
        if (core.role() != Role.LEADER) {
            return ControllerHandler.answer(replies.leaderInfo());
        }
        String kind = request.request();
        JsonNode v = request.value();
        boolean add = kind.equals(ControllerRequest.MEMBER_ADD.name());
        if (v == null || !v.isObject() || !v.path("name").isTextual() || (add && !v.path("host").isTextual())) {
            return ControllerHandler.answer(replies.error(ControllerError.MALFORMED, kind + " takes {\"name\": NODE"
                    + (add ? ", \"host\": HOST" : "") + "}"));
        }
        String name = v.get("name").asText();
        ConfigChange c = add ? ConfigChange.addLearner(name, v.get("host").asText())
                : kind.equals(ControllerRequest.MEMBER_PROMOTE.name()) ? ConfigChange.promote(name)
                : ConfigChange.remove(name);
        RaftCore.Reconfiguration r = core.changeConfig(c, now);
        if (!r.accepted()) {
            return new ControllerHandler.Result(replies.error(r.refusal(), kind + ": " + r.reason()), r.output(), false);
        }
        pending.add(new PendingWrites.Pending(r.entry().index(), r.entry().term(), replyTo, kind, null, now));
        return new ControllerHandler.Result(null, r.output(), false);
    }

    /** The reply to a change whose entry committed: where it is, and the members it made. */
    ControllerMessage committed(String request, long index, long term) {
        return replies.reply(request, ReplyKey.COMMITTED,
                new CommittedReply(index, term, describe(core.configAt(index), false, 0)).toJson());
    }
}
