package dev.raftledger.raftctl.client;

import dev.raftledger.common.wire.StatusReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes' keyrings, from one STATUS round, and what an operator rotating a key needs to know
 * about them (docs/security.md, "Rotating the cluster key"): whether a node seals with a key
 * another does not accept (that one drops its datagrams: the cluster loses the link), keys
 * installed on some nodes only, nodes sealing with different keys, operators files that differ,
 * nodes without a key among keyed ones, and keys no node opened anything with since it started
 * (nobody seals with them: safe to remove). Pure: built from what the nodes said.
 *
 * @param nodes       every member, in the cluster's order
 * @param verdicts    the findings, problems first
 * @param keyedClient whether raftctl asked with a key (then a node that answered has one, even
 *                    if it does not report its keyring)
 */
public record KeyringCheck(List<Node> nodes, List<Verdict> verdicts, boolean keyedClient) {

    /**
     * One member's keyring as it reported it.
     *
     * @param reachable whether it answered at all (an ERROR reply counts)
     * @param keyring   its keyring; null if it reported none (no cluster key) or did not answer
     * @param error     why there is no usable STATUS reply; null when there is one
     */
    public record Node(String name, String address, boolean reachable, StatusReply.Keyring keyring, String error) {

        /** Whether it gave a usable STATUS reply. */
        public boolean answered() {
            return reachable && error == null;
        }

        /** True: it has a key; false: it answered without one; null: it did not answer. */
        public Boolean keyed() {
            return answered() ? keyring != null : null;
        }

        List<String> keys() {
            return keyring == null || keyring.keys() == null ? List.of() : keyring.keys();
        }

        long opened(String key) {
            Map<String, Long> by = keyring == null ? null : keyring.openedByKey();
            Long n = by == null ? null : by.get(key);
            return n == null ? 0 : n;
        }
    }

    /** What a finding is about, as {@code --json} names it. */
    public enum Kind {
        /** A node seals with a key that another node does not accept: that node drops its datagrams. */
        PRIMARY_NOT_ACCEPTED(true),
        /** A key installed on some nodes only. */
        PARTIAL_KEY(true),
        /** The nodes seal with different keys (each accepted by all): a rotation half done. */
        PRIMARY_DIFFERS(true),
        /** The nodes accept different numbers of operator credentials: their operators files differ. */
        OPERATORS_DIFFER(true),
        /** A node without a cluster key among nodes with one: they cannot talk to each other. */
        NO_KEY(true),
        /** No node has a cluster key: the plain convention, anyone who reaches the ports acts as admin. */
        NO_KEY_ANYWHERE(false),
        /** A node answered without a keyring report although raftctl reached it with a key (an older raftd). */
        NOT_REPORTED(false),
        /** A node did not answer: its keyring is unknown. */
        NOT_ANSWERING(false),
        /** A node key no answering node opened a datagram with since it started, and none seals with. */
        UNUSED_KEY(false),
        /** A node refused reloads of its key files since it started (it keeps the keyring it had). */
        RELOAD_FAILURES(false);

        private final boolean problem;

        Kind(boolean problem) {
            this.problem = problem;
        }

        /** Whether it makes the keyrings inconsistent (keyring status exits 3). */
        public boolean problem() {
            return problem;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One finding.
     *
     * @param key   the key's fingerprint it is about; null if about no one key
     * @param nodes the nodes it names
     * @param text  one line for people
     */
    public record Verdict(Kind kind, String key, List<String> nodes, String text) {

        public Verdict {
            nodes = List.copyOf(nodes);
        }
    }

    public KeyringCheck {
        nodes = List.copyOf(nodes);
        verdicts = List.copyOf(verdicts);
    }

    /** The keyrings of {@code status}'s nodes; {@code keyedClient}: whether raftctl asked with a key. */
    public static KeyringCheck of(ClusterStatus status, boolean keyedClient) {
        List<Node> nodes = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            nodes.add(new Node(n.name(), n.address(), n.reachable(), n.status() == null ? null : n.status().keyring(),
                    n.error()));
        }
        return of(nodes, keyedClient);
    }

    static KeyringCheck of(List<Node> nodes, boolean keyedClient) {
        List<Verdict> problems = new ArrayList<>();
        List<Verdict> notes = new ArrayList<>();
        List<Node> answered = nodes.stream().filter(Node::answered).toList();
        List<Node> keyed = answered.stream().filter(n -> n.keyring() != null).toList();
        List<Node> bare = answered.stream().filter(n -> n.keyring() == null).toList();

        if (keyed.isEmpty() && !bare.isEmpty()) {
            if (keyedClient) {
                // they answered a sealed request, so they have a key: they only do not report it
                bare.forEach(n -> notes.add(notReported(n)));
            } else {
                notes.add(new Verdict(Kind.NO_KEY_ANYWHERE, null, names(bare), (bare.size() == 1 ? "the node has"
                        : "no node has") + " a cluster key: anyone who reaches the controller port acts as admin "
                        + "(docs/security.md)"));
            }
        } else {
            for (Node n : bare) {
                if (keyedClient) {
                    notes.add(notReported(n));
                } else {
                    problems.add(new Verdict(Kind.NO_KEY, null, List.of(n.name()), n.name() + " has no cluster key, "
                            + "unlike " + join(names(keyed)) + ": it and they drop each other's datagrams"));
                }
            }
        }
        checkKeys(keyed, problems);
        checkOperators(keyed, problems);

        for (Node n : nodes) {
            if (!n.answered()) {
                notes.add(new Verdict(Kind.NOT_ANSWERING, null, List.of(n.name()), n.name() + ": "
                        + (n.reachable() ? n.error() : "no answer (" + n.error() + ")") + "; its keyring is unknown"));
            }
        }
        // "safe to remove" only when every member has had its say
        if (!keyed.isEmpty() && keyed.size() == nodes.size()) {
            Set<String> primaries = new LinkedHashSet<>();
            keyed.forEach(n -> primaries.add(n.keyring().primary()));
            for (String key : allKeys(keyed)) {
                if (!primaries.contains(key) && keyed.stream().allMatch(n -> n.opened(key) == 0)) {
                    notes.add(new Verdict(Kind.UNUSED_KEY, key, holders(keyed, key), "key " + key + " opened no "
                            + "datagram on any node since it started, and no node seals with it: safe to remove"));
                }
            }
        }
        for (Node n : keyed) {
            Long failures = n.keyring().reloadFailures();
            if (failures != null && failures > 0) {
                notes.add(new Verdict(Kind.RELOAD_FAILURES, null, List.of(n.name()), n.name() + " refused " + failures
                        + " reload" + (failures == 1 ? "" : "s") + " of its key files since it started (its log says "
                        + "why); it keeps the keyring shown"));
            }
        }
        List<Verdict> all = new ArrayList<>(problems);
        all.addAll(notes);
        return new KeyringCheck(nodes, all, keyedClient);
    }

    private static Verdict notReported(Node n) {
        return new Verdict(Kind.NOT_REPORTED, null, List.of(n.name()), n.name() + " answered with a key but reports "
                + "no keyring (a raftd before 0.2.0?); its keys are unknown");
    }

    private static void checkKeys(List<Node> keyed, List<Verdict> problems) {
        Map<String, List<String>> sealers = new LinkedHashMap<>();
        for (Node n : keyed) {
            sealers.computeIfAbsent(n.keyring().primary(), k -> new ArrayList<>()).add(n.name());
        }
        Set<String> reported = new LinkedHashSet<>();
        sealers.forEach((key, by) -> {
            List<String> lacking = keyed.stream().filter(n -> !n.keys().contains(key)).map(Node::name).toList();
            if (!lacking.isEmpty()) {
                reported.add(key);
                boolean one = lacking.size() == 1;
                List<String> named = new ArrayList<>(by);
                named.addAll(lacking);
                problems.add(new Verdict(Kind.PRIMARY_NOT_ACCEPTED, key, named, join(by) + (by.size() == 1 ? " seals"
                        : " seal") + " with " + key + ", which " + join(lacking) + (one ? " does" : " do") + " not accept: "
                        + join(lacking) + (one ? " drops " : " drop ") + possessive(by) + " datagrams"));
            }
        });
        for (String key : allKeys(keyed)) {
            List<String> on = holders(keyed, key);
            if (!reported.contains(key) && on.size() < keyed.size()) {
                List<String> off = keyed.stream().filter(n -> !n.keys().contains(key)).map(Node::name).toList();
                problems.add(new Verdict(Kind.PARTIAL_KEY, key, on, "key " + key + " is installed on " + join(on)
                        + " only, not on " + join(off)));
            }
        }
        if (sealers.size() > 1 && reported.isEmpty()) {
            List<String> parts = new ArrayList<>();
            sealers.forEach((key, by) -> parts.add(join(by) + " with " + key));
            problems.add(new Verdict(Kind.PRIMARY_DIFFERS, null, names(keyed), "the nodes seal with different keys: "
                    + String.join("; ", parts) + " (each accepts the others'; make one key primary on every node)"));
        }
    }

    private static void checkOperators(List<Node> keyed, List<Verdict> problems) {
        Map<Long, List<String>> byCount = new LinkedHashMap<>();
        for (Node n : keyed) {
            byCount.computeIfAbsent(n.keyring().operators(), k -> new ArrayList<>()).add(n.name());
        }
        if (byCount.size() > 1) {
            List<String> parts = new ArrayList<>();
            byCount.forEach((count, by) -> parts.add(join(by) + " " + (count == null ? "?" : count)));
            problems.add(new Verdict(Kind.OPERATORS_DIFFER, null, names(keyed), "the nodes accept different numbers of "
                    + "operator credentials (" + String.join("; ", parts) + "): their operators files differ, or one "
                    + "was not reloaded"));
        }
    }

    /** Every node key any of {@code keyed} accepts, in order of first appearance. */
    private static Set<String> allKeys(List<Node> keyed) {
        Set<String> all = new LinkedHashSet<>();
        keyed.forEach(n -> all.addAll(n.keys()));
        return all;
    }

    private static List<String> holders(List<Node> keyed, String key) {
        return keyed.stream().filter(n -> n.keys().contains(key)).map(Node::name).toList();
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(Node::name).toList();
    }

    private static String join(List<String> names) {
        return String.join(", ", names);
    }

    private static String possessive(List<String> names) {
        return names.size() == 1 ? names.get(0) + "'s" : "their";
    }

    /** Whether every member answered with a keyring and nothing is amiss among them (exit status 0). */
    public boolean consistent() {
        return problems().isEmpty() && nodes.stream().allMatch(Node::answered)
                && verdicts.stream().noneMatch(v -> v.kind() == Kind.NOT_REPORTED);
    }

    /** The findings that make the keyrings inconsistent. */
    public List<Verdict> problems() {
        return verdicts.stream().filter(v -> v.kind().problem()).toList();
    }

    /** Whether the fingerprint is one of some node's node keys (else it is an operator's, in opened_by_key). */
    public boolean isNodeKey(String key) {
        return nodes.stream().anyMatch(n -> n.keys().contains(key));
    }

    /** How many members gave a usable reply. */
    public long answering() {
        return nodes.stream().filter(Node::answered).count();
    }

    /** The keys every answering keyed node shares and the primary, when they all agree; for the summary line. */
    public String agreedPrimary() {
        Set<String> p = new LinkedHashSet<>();
        nodes.stream().filter(n -> n.keyring() != null).forEach(n -> p.add(n.keyring().primary()));
        return p.size() == 1 ? p.iterator().next() : null;
    }
}
