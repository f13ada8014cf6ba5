package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cluster configuration (Raft thesis, chapter 4): who the members are, where each listens, and
 * whether each votes. Voters count toward elections and commitment; learners receive the log but
 * count for nothing and never campaign. Immutable; members keep their order (the initial
 * {@code --cluster} order, new members at the end).
 *
 * <p>A configuration travels in the log as an entry whose data is
 * {@code {"config": {"members": [{"name": "Node6", "host": "127.0.0.6", "role": "learner"}, ...]}}},
 * and in a snapshot's metadata as the inner object's text ({@link #toJson()}). Every node starts
 * from its {@code --cluster} list and follows the latest configuration in its log from then on.
 */
public final class ClusterConfig {

    /** Whether a member votes. */
    public enum Suffrage {
        VOTER, LEARNER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Suffrage fromWire(String s) {
            for (Suffrage v : values()) {
                if (v.wireName().equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("role must be voter or learner, not '" + s + "'");
        }
    }

    /** One member: its name, its host (null where unknown, as in tests), and whether it votes. */
    public record Member(String name, String host, Suffrage suffrage) {

        public Member {
            checkName(name);
            if (host != null) {
                checkHost(name, host);
            }
            java.util.Objects.requireNonNull(suffrage, "suffrage");
        }

        public boolean isVoter() {
            return suffrage == Suffrage.VOTER;
        }
    }

    // The same rules as common.cluster.ClusterSpec: a name from the log must be one --cluster could name.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:-]{1,253}");
    /** How a configuration entry's data begins: a cheap test that needs no decoding. */
    private static final byte[] ENTRY_PREFIX = "{\"config\":".getBytes(StandardCharsets.UTF_8);

    private final Map<String, Member> members;
    private final List<String> voters;

    private ClusterConfig(Map<String, Member> members) {
        this.members = Collections.unmodifiableMap(members);
        List<String> v = new ArrayList<>();
        members.values().stream().filter(Member::isVoter).forEach(m -> v.add(m.name()));
        this.voters = List.copyOf(v);
    }

    /** A configuration of these members, in this order; names unique, at least one voter. */
    public static ClusterConfig of(List<Member> members) {
        Map<String, Member> byName = new LinkedHashMap<>();
        for (Member m : members) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("member " + m.name() + " is named twice");
            }
        }
        ClusterConfig c = new ClusterConfig(byName);
        if (c.voters.isEmpty()) {
            throw new IllegalArgumentException("a configuration needs at least one voter: " + c);
        }
        return c;
    }

    /** Every name a voter, hosts unknown: the shape of the core's tests and the simulator. */
    public static ClusterConfig ofVoters(List<String> names) {
        List<Member> m = new ArrayList<>();
        names.forEach(n -> m.add(new Member(n, null, Suffrage.VOTER)));
        return of(m);
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name '" + name + "' must be 1-64 letters, digits, '_', '.', '-'");
        }
    }

    public static void checkHost(String name, String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host '" + host + "' of " + name + " is not a host name or address");
        }
    }

    // ---- queries -----------------------------------------------------------------------------

    public List<Member> members() {
        return List.copyOf(members.values());
    }

    /** Every member's name, voters and learners, in order. */
    public List<String> names() {
        return List.copyOf(members.keySet());
    }

    /** The voters' names, in order. */
    public List<String> voters() {
        return voters;
    }

    public Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    public boolean isMember(String name) {
        return members.containsKey(name);
    }

    public boolean isVoter(String name) {
        Member m = members.get(name);
        return m != null && m.isVoter();
    }

    /** Votes (or replicas) needed for a majority of the voters. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    // ---- changes (each returns a new configuration) ---------------------------------------------

    /** With {@code name} added as a learner at the end. */
    public ClusterConfig withLearner(String name, String host) {
        if (isMember(name)) {
            throw new IllegalArgumentException(name + " is already a member");
        }
        List<Member> m = new ArrayList<>(members.values());
        m.add(new Member(name, host, Suffrage.LEARNER));
        return of(m);
    }

    /** With learner {@code name} made a voter, in its place. */
    public ClusterConfig withVoter(String name) {
        Member old = members.get(name);
        if (old == null) {
            throw new IllegalArgumentException(name + " is not a member");
        }
        List<Member> m = new ArrayList<>();
        for (Member x : members.values()) {
            m.add(x.name().equals(name) ? new Member(name, x.host(), Suffrage.VOTER) : x);
        }
        return of(m);
    }

    /** Without {@code name}. */
    public ClusterConfig without(String name) {
        if (!isMember(name)) {
            throw new IllegalArgumentException(name + " is not a member");
        }
        List<Member> m = new ArrayList<>(members.values());
        m.removeIf(x -> x.name().equals(name));
        return of(m);
    }

    /** Voters in one of the two configurations but not in both: 0 or 1 for a single-server change. */
    public int votersChangedFrom(ClusterConfig other) {
        Set<String> a = new HashSet<>(voters);
        Set<String> b = new HashSet<>(other.voters);
        int changed = 0;
        for (String v : a) {
            changed += b.contains(v) ? 0 : 1;
        }
        for (String v : b) {
            changed += a.contains(v) ? 0 : 1;
        }
        return changed;
    }

    // ---- encoding ------------------------------------------------------------------------------

    /** {@code {"members": [...]}}. */
    public ObjectNode toTree() {
        ObjectNode o = Codec.objectNode();
        ArrayNode list = o.putArray("members");
        for (Member m : members.values()) {
            ObjectNode e = list.addObject();
            e.put("name", m.name());
            e.put("host", m.host());
            e.put("role", m.suffrage().wireName());
        }
        return o;
    }

    /** The text a snapshot keeps: {@code {"members": [...]}}. */
    public String toJson() {
        return Codec.toJson(toTree());
    }

    /** Reads {@link #toJson()}'s text; throws {@link IllegalArgumentException} saying what is wrong. */
    public static ClusterConfig parse(String json) {
        try {
            return fromTree(Codec.readTree(json));
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("a configuration must be JSON: " + e.getMessage(), e);
        }
    }

    static ClusterConfig fromTree(JsonNode o) {
        if (o == null || !o.isObject() || !o.path("members").isArray()) {
            throw new IllegalArgumentException("a configuration is {\"members\": [...]}");
        }
        List<Member> m = new ArrayList<>();
        for (JsonNode e : o.get("members")) {
            if (!e.isObject() || !e.path("name").isTextual() || !e.path("role").isTextual()
                    || !(e.path("host").isTextual() || e.path("host").isNull() || e.path("host").isMissingNode())) {
                throw new IllegalArgumentException("a member is {\"name\": NAME, \"host\": HOST, \"role\": voter|learner}");
            }
            String host = e.path("host").isTextual() ? e.get("host").asText() : null;
            m.add(new Member(e.get("name").asText(), host, Suffrage.fromWire(e.get("role").asText())));
        }
        return of(m);
    }

    /** The data of the log entry that sets this configuration. */
    public Payload toPayload() {
        ObjectNode o = Codec.objectNode();
        o.set("config", toTree());
        return Payload.ofJson(Codec.toBytes(o));
    }

    /** Whether an entry's data is a configuration (see {@link #fromPayload}). */
    public static boolean isConfig(Payload data) {
        return data.hasPrefix(ENTRY_PREFIX);
    }

    /**
     * The configuration an entry sets, or null if it sets none. Only leaders write such entries,
     * from {@link #toPayload()}, and clients cannot (a STORE's data begins {@code {"key"}, a
     * ledger command's {@code {"op"}}); one that does not decode is a bug and throws.
     */
    public static ClusterConfig fromPayload(Payload data) {
        if (!isConfig(data)) {
            return null;
        }
        try {
            JsonNode o = Codec.readTree(data.bytes());
            return fromTree(o.get("config"));
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("a configuration entry that is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterConfig c && List.copyOf(members.values()).equals(List.copyOf(c.members.values()));
    }

    @Override
    public int hashCode() {
        return List.copyOf(members.values()).hashCode();
    }

    /** E.g. {@code Node1=127.0.0.1, Node2=127.0.0.2, Node6=127.0.0.6 (learner)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Member m : members.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(m.name());
            if (m.host() != null) {
                sb.append('=').append(m.host());
            }
            if (!m.isVoter()) {
                sb.append(" (learner)");
            }
        }
        return sb.toString();
    }
}
