package dev.raftledger.raftctl.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the answering nodes say leads. Raft allows one leader per term, but a node that just
 * restarted may know none and a deposed one may still name itself; so the nodes that name a
 * leader must all name the same one for it to count as agreed, and nodes that know none only
 * lower the "agreeing" count.
 *
 * @param claims    every node of the cluster, in the cluster's order
 * @param leader    the agreed leader, or null (none known, disputed, or nobody answered)
 * @param term      the highest term among the nodes naming the agreed leader, or null
 * @param agreeing  how many answering nodes name the agreed leader
 * @param answering how many nodes gave a usable reply
 * @param disputed  whether answering nodes name different leaders
 */
public record LeaderView(List<Claim> claims, String leader, Long term, int agreeing, int answering, boolean disputed) {

    /**
     * One node's view: the leader it names (null for none) and its term; {@code error} says why
     * there is no usable reply, and then the other fields are null.
     */
    public record Claim(String node, boolean reachable, String leader, Long term, String error) {
        boolean usable() {
            return error == null;
        }
    }

    public LeaderView {
        claims = List.copyOf(claims);
    }

    public static LeaderView of(List<Claim> claims) {
        Map<String, List<Claim>> byLeader = byLeader(claims);
        int answering = (int) claims.stream().filter(Claim::usable).count();
        if (byLeader.size() != 1) {
            return new LeaderView(claims, null, null, 0, answering, byLeader.size() > 1);
        }
        String leader = byLeader.keySet().iterator().next();
        List<Claim> agreeing = byLeader.get(leader);
        Long term = agreeing.stream().map(Claim::term).filter(t -> t != null).max(Long::compare).orElse(null);
        return new LeaderView(claims, leader, term, agreeing.size(), answering, false);
    }

    /** Usable claims that name a leader, grouped by the leader they name, in cluster order. */
    private static Map<String, List<Claim>> byLeader(List<Claim> claims) {
        Map<String, List<Claim>> byLeader = new LinkedHashMap<>();
        for (Claim c : claims) {
            if (c.usable() && c.leader() != null) {
                byLeader.computeIfAbsent(c.leader(), k -> new ArrayList<>()).add(c);
            }
        }
        return byLeader;
    }

    public int total() {
        return claims.size();
    }

    /** One line for people: the leader and how sure we are, or why there is none. */
    public String summary() {
        if (answering == 0) {
            return "no leader: none of the " + total() + " nodes answered";
        }
        String missing = answering < total() ? "; " + (total() - answering) + " of " + total() + " not answering" : "";
        if (disputed) {
            return "no agreed leader: the nodes disagree: " + disagreement() + missing;
        }
        if (leader == null) {
            return "no leader: none of the " + answering + " answering nodes knows one" + missing;
        }
        return leader + " (term " + (term == null ? "?" : term) + "), named by " + agreeing + " of "
                + answering + " answering nodes" + missing;
    }

    /** The short form for the shell's prompt. */
    public String label() {
        if (leader != null) {
            return leader + (term == null ? "" : " t" + term);
        }
        if (disputed) {
            return "leader disputed";
        }
        return answering == 0 ? "no answer" : "no leader";
    }

    private String disagreement() {
        List<String> parts = new ArrayList<>();
        byLeader(claims).forEach((name, group) -> parts.add(name + " per " + nodesAndTerms(group)));
        List<Claim> none = claims.stream().filter(c -> c.usable() && c.leader() == null).toList();
        if (!none.isEmpty()) {
            parts.add("none per " + nodesAndTerms(none));
        }
        return String.join("; ", parts);
    }

    private static String nodesAndTerms(List<Claim> group) {
        List<String> names = new ArrayList<>();
        for (Claim c : group) {
            names.add(c.node() + (c.term() == null ? "" : " (t" + c.term() + ")"));
        }
        return String.join(", ", names);
    }
}
