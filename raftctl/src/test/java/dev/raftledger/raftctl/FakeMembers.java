package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake cluster's membership, shared by its nodes: every fake node a voter at first. The
 * leader serves MEMBER_ADD, MEMBER_PROMOTE and MEMBER_REMOVE as raftd does (docs/protocol.md),
 * committing each at once; MEMBERS is answered by any node, with match index and lag from the
 * leader only.
 */
public final class FakeMembers {

    public record Member(String name, String host, String role) {}

    private final List<Member> members = new ArrayList<>();
    private long configIndex = -1;
    /** Entries each member is behind the log, as the leader reports it (0 unless set). */
    private final java.util.Map<String, Long> lag = new java.util.HashMap<>();

    public synchronized void add(String name, String host, String role) {
        members.add(new Member(name, host, role));
    }

    public synchronized void lag(String name, long entries) {
        lag.put(name, entries);
    }

    public synchronized List<Member> members() {
        return List.copyOf(members);
    }

    /** The MEMBERS reply's value as {@code node} (the leader or not) gives it. */
    /** The leader's session_stamps (null: not said, as an older raftd). */
    private ObjectNode stamps;

    /** Makes the leader say whether it stamps ledger writes and whom it waits for. */
    public synchronized FakeMembers stamps(boolean on, String... waitingFor) {
        stamps = JsonNodeFactory.instance.objectNode().put("on", on);
        ArrayNode w = stamps.putArray("waiting_for");
        for (String n : waitingFor) {
            w.add(n);
        }
        return this;
    }

    public synchronized ObjectNode describe(String leader, boolean leading, long lastIndex) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("leader", leader);
        v.put("config_index", configIndex);
        v.put("committed", true);
        v.put("last_log_index", lastIndex);
        v.set("members", list(leading, lastIndex));
        if (leading && stamps != null) {
            v.set("session_stamps", stamps.deepCopy());
        }
        return v;
    }

    private ArrayNode list(boolean leading, long lastIndex) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Member m : members) {
            ObjectNode o = a.addObject();
            o.put("name", m.name());
            o.put("host", m.host());
            o.put("role", m.role());
            long behind = lag.getOrDefault(m.name(), 0L);
            if (leading) {
                o.put("match_index", lastIndex - behind);
                o.put("lag", behind);
                o.put("heard_ms", 7);
            } else {
                o.putNull("match_index");
                o.putNull("lag");
                o.putNull("heard_ms");
            }
            if (leading && m.role().equals("learner")) {
                o.put("ready", behind <= 100);
            } else {
                o.putNull("ready");
            }
        }
        return a;
    }

    /**
     * A change on the leader: null if it is made (then {@link #committedValue}), else the ERROR
     * code and text as {@code String[2]}.
     */
    public synchronized String[] change(String request, JsonNode value) {
        String name = value == null ? null : value.path("name").asText(null);
        if (name == null || (request.equals("MEMBER_ADD") && !value.path("host").isTextual())) {
            return new String[] {"MALFORMED", request + " takes {\"name\": NODE" + (request.equals("MEMBER_ADD")
                    ? ", \"host\": HOST" : "") + "}"};
        }
        Member m = members.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        switch (request) {
            case "MEMBER_ADD":
                if (m != null) {
                    return new String[] {"ALREADY_MEMBER", request + ": " + name + " is already a " + m.role()};
                }
                members.add(new Member(name, value.get("host").asText(), "learner"));
                return null;
            case "MEMBER_PROMOTE":
                if (m == null) {
                    return new String[] {"UNKNOWN_NODE", request + ": " + name + " is not a member"};
                }
                if (m.role().equals("voter")) {
                    return new String[] {"ALREADY_VOTER", request + ": " + name + " is already a voter"};
                }
                if (lag.getOrDefault(name, 0L) > 100) {
                    return new String[] {"NOT_READY", request + ": " + name + " is not caught up: it is "
                            + lag.get(name) + " entries behind (at most 100 allowed)"};
                }
                members.set(members.indexOf(m), new Member(name, m.host(), "voter"));
                return null;
            default:
                if (m == null) {
                    return new String[] {"UNKNOWN_NODE", request + ": " + name + " is not a member"};
                }
                members.remove(m);
                return null;
        }
    }

    /** The COMMITTED reply's value for a change made at {@code index}. */
    public synchronized ObjectNode committedValue(long index, long term) {
        configIndex = index;
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("index", index);
        v.put("term", term);
        v.set("members", list(false, index));
        return v;
    }
}
