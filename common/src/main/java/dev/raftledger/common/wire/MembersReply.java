package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a MEMBERS reply ({@link ReplyKey#MEMBERS}): the configuration in force at the
 * answering node and, from the leader, how far each member has caught up. The list of members is
 * also part of the reply to a committed membership change. Encoded by raftd and decoded by
 * raftctl here, once; every member field is always written (null where unknown).
 *
 * @param configIndex  the log index of the configuration in force
 * @param committed    whether that configuration is committed
 * @param lastLogIndex the answering node's last log index
 * @param stamps       from the leader: whether it stamps ledger writes with its clock (sessions
 *                     expire) and which members it waits for; null from any other node, or a
 *                     leader of a release before the field
 */
public record MembersReply(String leader, Long configIndex, boolean committed, Long lastLogIndex,
                           List<Member> members, Stamps stamps) {

    /** Without the leader's stamps (null: not said). */
    public MembersReply(String leader, Long configIndex, boolean committed, Long lastLogIndex, List<Member> members) {
        this(leader, configIndex, committed, lastLogIndex, members, null);
    }

    /**
     * Whether the leader stamps its clock into ledger writes now ({@code on}), and the members it
     * waits for before it may: those that have not said in its term that their release reads
     * stamps (docs/design.md, "Upgrades"). Empty with {@code on} false: stamps are turned off
     * ({@code --session-ttl 0}).
     */
    public record Stamps(boolean on, List<String> waitingFor) {
        public Stamps {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /**
     * One member. The numbers come from the leader only (else null): its match index, how far it
     * lags, how long ago the leader heard from it (null: not in this term, or the leader itself),
     * and for a learner whether it is caught up enough to be promoted.
     */
    public record Member(String name, String host, String role, Long matchIndex, Long lag, Long heardMs,
                         Boolean ready) {}

    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("leader", leader);
        v.put("config_index", configIndex);
        v.put("committed", committed);
        v.put("last_log_index", lastLogIndex);
        v.set("members", membersToJson(members));
        if (stamps != null) {
            ObjectNode st = v.putObject("session_stamps");
            st.put("on", stamps.on());
            ArrayNode w = st.putArray("waiting_for");
            stamps.waitingFor().forEach(w::add);
        }
        return v;
    }

    /** The MEMBERS object {@code v}; null if it is not one (no members array). */
    public static MembersReply fromJson(JsonNode v) {
        if (v == null || !v.isObject() || !v.path("members").isArray()) {
            return null;
        }
        return new MembersReply(text(v, "leader"), number(v, "config_index"), v.path("committed").asBoolean(false),
                number(v, "last_log_index"), membersFromJson(v.get("members")), stamps(v.get("session_stamps")));
    }

    /** The leader's {@code session_stamps}; null if absent or not an object with a boolean {@code on}. */
    private static Stamps stamps(JsonNode o) {
        if (o == null || !o.isObject() || !o.path("on").isBoolean()) {
            return null;
        }
        List<String> waiting = new ArrayList<>();
        for (JsonNode n : o.path("waiting_for")) {
            if (n.isTextual()) {
                waiting.add(n.asText());
            }
        }
        return new Stamps(o.get("on").asBoolean(), waiting);
    }

    /** The members as the wire lists them (also in a committed change's reply). */
    public static ArrayNode membersToJson(List<Member> members) {
        ArrayNode list = Codec.objectNode().arrayNode();
        for (Member m : members) {
            ObjectNode o = list.addObject();
            o.put("name", m.name());
            o.put("host", m.host());
            o.put("role", m.role());
            o.put("match_index", m.matchIndex());
            o.put("lag", m.lag());
            o.put("heard_ms", m.heardMs());
            o.put("ready", m.ready());
        }
        return list;
    }

    /** The members of a list as the wire has them; an empty list for anything but an array. */
    public static List<Member> membersFromJson(JsonNode list) {
        List<Member> out = new ArrayList<>();
        if (list == null || !list.isArray()) {
            return out;
        }
        for (JsonNode m : list) {
            out.add(new Member(text(m, "name"), text(m, "host"), text(m, "role"), number(m, "match_index"),
                    number(m, "lag"), number(m, "heard_ms"),
                    m.path("ready").isBoolean() ? m.get("ready").asBoolean() : null));
        }
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long number(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.canConvertToLong() ? n.asLong() : null;
    }
}
