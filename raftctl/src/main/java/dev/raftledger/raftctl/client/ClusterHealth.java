package dev.raftledger.raftctl.client;

import dev.raftledger.raftctl.Texts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The health of the cluster as one STATUS round shows it: the one judgement {@code health} and
 * {@code watch} (every mode) both print. Pure: it takes the round and the limits and calls no
 * node, reads no clock.
 *
 * A member whose own STATUS shows its NO_SPACE disk alarm raised is degraded too, with kind
 * {@link Kind#NO_SPACE}, whatever else holds; since the leader then refuses every new write, it
 * makes {@code health} exit 1 even without {@code --strict} (as etcd's health check fails
 * while a NOSPACE alarm is active), and it is also one of the problems.
 *
 * <ul>
 *   <li><b>unhealthy</b>: no leader is named by a majority of all members in one term (a node in
 *       state leader that names nobody counts as naming itself);</li>
 *   <li><b>degraded</b>: there is such a leader, but some member is not fully with it: down,
 *       answering without a usable STATUS, <em>cut off</em> (up, but not hearing the leader or
 *       not heard by it) or <em>far behind</em> (its applied index more than
 *       {@link Limits#maxLag()} entries behind the leader's commit index);</li>
 *   <li><b>healthy</b>: there is such a leader and every member is with it.</li>
 * </ul>
 *
 * A member counts as cut off when it is a pre-candidate or candidate, knows no leader, names
 * another leader or is in another term than the leader; when its own heartbeat age is unknown
 * ("never") or longer than {@link Limits#maxSilenceMs()}; or when the leader reports
 * ({@code follower_heard_ms}) that it has not heard from it in its term or not within
 * {@code maxSilenceMs}. Cut off and far behind are judged only against an agreed leader whose
 * STATUS reply is usable; without a leader only down members and unusable replies are listed.
 *
 * @param verdict    healthy, degraded or unhealthy, as above
 * @param majority   the leader a majority names, if any
 * @param answering  how many members gave a usable STATUS reply
 * @param problems   {@code health}'s lines as they were before members could be degraded: first
 *                   "no leader named by a majority ..." when unhealthy, then each node that is
 *                   down, knows no leader or names another
 * @param degraded   every member that is not fully with the leader, in cluster order, each with
 *                   why; empty when healthy
 * @param limits     the limits it was judged by
 */
public record ClusterHealth(Verdict verdict, Majority majority, int answering, List<String> problems, List<Member> degraded,
                     Limits limits) {

    /** The three outcomes, worst last. */
    public enum Verdict {
        HEALTHY, DEGRADED, UNHEALTHY;

        /** As in --json: "healthy", "degraded", "unhealthy". */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a member is degraded; a member may have several. */
    public enum Kind {
        /** It did not answer STATUS. */
        DOWN("down"),
        /** It answered, but not with a usable STATUS object (an ERROR reply, say). */
        ERROR("no status"),
        /** It answers, but does not hear the leader or is not heard by it. */
        CUT_OFF("cut off"),
        /** Its applied index is more than the limit behind the leader's commit index. */
        BEHIND("far behind"),
        /** Its NO_SPACE disk alarm is raised: the whole cluster takes no new writes until it clears. */
        NO_SPACE("no space");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** As in --json: "down", "error", "cut_off", "behind", "no_space". */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** As in text: "down", "no status", "cut off", "far behind". */
        String label() {
            return label;
        }
    }

    /** One reason, e.g. CUT_OFF "pre-candidate in term 9". */
    public record Reason(Kind kind, String text) {}

    /**
     * A degraded member.
     *
     * @param lag how many entries its applied index is behind the leader's commit index (never
     *            below 0); null without an agreed leader's or its own index
     */
    public record Member(String node, List<Reason> reasons, Long lag) {
        public Member {
            reasons = List.copyOf(reasons);
        }

        /** "Node4: cut off (pre-candidate in term 9; has never heard a heartbeat); far behind (...)". */
        public String text() {
            Map<Kind, StringJoiner> byKind = new EnumMap<>(Kind.class);
            for (Reason r : reasons) {
                byKind.computeIfAbsent(r.kind(), k -> new StringJoiner("; ")).add(r.text());
            }
            StringJoiner all = new StringJoiner("; ");
            byKind.forEach((kind, texts) -> all.add(kind.label() + " (" + texts + ")"));
            return node + ": " + all;
        }
    }

    /**
     * How far a member may trail before it is degraded.
     *
     * @param maxLag       entries its applied index may be behind the leader's commit index
     * @param maxSilenceMs ms it may go without a heartbeat from the leader, and the leader without
     *                     an answer from it
     */
    public record Limits(long maxLag, long maxSilenceMs) {

        /**
         * 1000 entries: about 130 ms of writes at the fastest rate measured (docs/benchmarks.md),
         * far more than a follower in step trails by while the nodes answer one round at slightly
         * different moments. 1 s: ten heartbeats and more than three times the longest default
         * election timeout (300 ms); a follower in step hears the leader every 100 ms.
         */
        public static final Limits DEFAULT = new Limits(1000, 1000);

        public Limits {
            if (maxLag < 0 || maxSilenceMs < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxLag + ", " + maxSilenceMs);
            }
        }
    }

    public ClusterHealth {
        problems = List.copyOf(problems);
        degraded = List.copyOf(degraded);
    }

    /** Whether a majority of all members name one leader in one term (degraded counts). */
    public boolean healthy() {
        return verdict != Verdict.UNHEALTHY;
    }

    /**
     * The exit status of {@code health}: 0 healthy; 0 degraded, or 1 with {@code strict}; 1
     * unhealthy.
     */
    public int exitCode(boolean strict) {
        return verdict == Verdict.UNHEALTHY || (strict && verdict == Verdict.DEGRADED) || outOfSpace() ? 1 : 0;
    }

    /** Whether some member's NO_SPACE alarm is raised: the cluster takes no new writes. */
    public boolean outOfSpace() {
        return degraded.stream().anyMatch(d -> d.reasons().stream().anyMatch(r -> r.kind() == Kind.NO_SPACE));
    }

    /** Judges one STATUS round. */
    public static ClusterHealth judge(ClusterStatus status, Limits limits) {
        List<LeaderView.Claim> claims = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            LeaderView.Claim c = n.claim();
            if (c.usable() && c.leader() == null && "leader".equals(n.state())) {
                c = new LeaderView.Claim(c.node(), true, c.node(), c.term(), null);
            }
            claims.add(c);
        }
        Majority m = Majority.of(claims);
        int answering = (int) claims.stream().filter(LeaderView.Claim::usable).count();
        List<String> problems = new ArrayList<>();
        if (!m.agreed()) {
            problems.add("no leader named by a majority (" + m.quorum() + " of " + m.total() + ") in one term");
        }
        for (LeaderView.Claim c : claims) {
            if (!c.usable()) {
                problems.add(c.node() + ": " + c.error());
            } else if (c.leader() == null) {
                problems.add(c.node() + ": knows no leader (term " + c.term() + ")");
            } else if (!m.agrees(c)) {
                problems.add(c.node() + ": names " + c.leader() + " (term " + c.term() + ")");
            }
        }
        // a majority naming the leader in one term implies that a quorum answered
        boolean agreed = m.agreed() && answering >= m.quorum();
        NodeStatus leader = agreed ? usableRow(status, m.leader()) : null;
        List<Member> degraded = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            List<Reason> reasons = new ArrayList<>();
            Long lag = lag(leader, n);
            if (!n.reachable()) {
                reasons.add(new Reason(Kind.DOWN, n.error()));
            } else if (n.error() != null) {
                reasons.add(new Reason(Kind.ERROR, n.error()));
            } else if (agreed) {
                cutOff(n, m, leader, limits, reasons);
                if (lag != null && lag > limits.maxLag()) {
                    reasons.add(new Reason(Kind.BEHIND, behind(n, leader, lag)));
                }
            }
            String noSpace = ownAlarm(n);
            if (noSpace != null) {
                reasons.add(new Reason(Kind.NO_SPACE, noSpace));
                problems.add(n.name() + ": NO_SPACE alarm (" + noSpace + "): the cluster takes no new writes");
            }
            if (!reasons.isEmpty()) {
                degraded.add(new Member(n.name(), reasons, lag));
            }
        }
        Verdict verdict = !agreed ? Verdict.UNHEALTHY : degraded.isEmpty() ? Verdict.HEALTHY : Verdict.DEGRADED;
        return new ClusterHealth(verdict, m, answering, problems, degraded, limits);
    }

    /** Why {@code n}, which answered STATUS, is not with the agreed leader, if it is not. */
    private static void cutOff(NodeStatus n, Majority m, NodeStatus leader, Limits limits, List<Reason> reasons) {
        String state = n.state() == null ? "state unknown" : n.state();
        if (n.name().equals(m.leader())) {
            if (!"leader".equals(n.state())) {
                reasons.add(cut(state + " in term " + Texts.orUnknown(n.term()) + ", though a majority names it leader"));
            }
            return; // the leader's own heartbeat age is when it last sent one
        }
        if ("pre-candidate".equals(n.state()) || "candidate".equals(n.state())) {
            reasons.add(cut(state + " in term " + Texts.orUnknown(n.term()) + ": it does not hear the leader"));
        } else if (n.leader() == null) {
            reasons.add(cut("knows no leader in term " + Texts.orUnknown(n.term())));
        } else if (!n.leader().equals(m.leader())) {
            reasons.add(cut("names " + n.leader() + " in term " + Texts.orUnknown(n.term()) + ", not " + m.leader()));
        } else if (!Objects.equals(n.term(), m.term())) {
            reasons.add(cut("in term " + Texts.orUnknown(n.term()) + ", the leader's is " + m.term()));
        }
        Long age = n.heartbeatAgeMs();
        if (age == null && n.report() != null) {
            reasons.add(cut("has never heard a heartbeat"));
        } else if (age != null && age > limits.maxSilenceMs()) {
            reasons.add(cut("last heard a heartbeat " + age + " ms ago"));
        }
        Map<String, Long> heard = leader == null || leader.status() == null ? null : leader.status().followerHeardMs();
        if (heard != null && heard.containsKey(n.name())) {
            Long ms = heard.get(n.name());
            if (ms == null) {
                reasons.add(cut("the leader has not heard from it in term " + Texts.orUnknown(leader.term())));
            } else if (ms > limits.maxSilenceMs()) {
                reasons.add(cut("the leader last heard from it " + ms + " ms ago"));
            }
        }
    }

    /** Why {@code n}'s own NO_SPACE alarm is raised, as its STATUS says; null if it is not (or it did not say). */
    private static String ownAlarm(NodeStatus n) {
        if (n.status() == null || n.status().alarms() == null) {
            return null;
        }
        for (var a : n.status().alarms()) {
            if (n.name().equals(a.node()) && "NO_SPACE".equals(a.alarm())) {
                return a.reason() == null ? "raised" : a.reason();
            }
        }
        return null;
    }

    private static Reason cut(String text) {
        return new Reason(Kind.CUT_OFF, text);
    }

    private static String behind(NodeStatus n, NodeStatus leader, long lag) {
        String whose = n.name().equals(leader.name()) ? "its own commit " : "the leader's commit ";
        return lag + " entries behind: applied " + n.appliedIndex() + ", " + whose + leader.commitIndex();
    }

    /** The leader's commit index less {@code n}'s applied index, at least 0; null if either is unknown. */
    private static Long lag(NodeStatus leader, NodeStatus n) {
        if (leader == null || leader.commitIndex() == null || n.error() != null || n.appliedIndex() == null) {
            return null;
        }
        // the nodes answer at slightly different moments: a follower may be ahead of the leader's answer
        return Math.max(0, leader.commitIndex() - n.appliedIndex());
    }

    /** {@code name}'s row if it gave a usable STATUS reply, else null. */
    private static NodeStatus usableRow(ClusterStatus status, String name) {
        for (NodeStatus n : status.nodes()) {
            if (n.name().equals(name)) {
                return n.reachable() && n.error() == null ? n : null;
            }
        }
        return null;
    }
}
