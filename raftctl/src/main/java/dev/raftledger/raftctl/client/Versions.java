package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The releases the nodes run, as their STATUS replies say ({@code version}): grouped, so that a
 * cluster in the middle of a rolling upgrade shows as such ({@code mixed versions: Node1-3
 * 0.2.0, Node4-5 0.1.0}). Pure.
 */
public final class Versions {

    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

    private Versions() {}

    /**
     * Each version with the nodes that reported it, in the order the nodes are given (a version
     * first seen first); nodes without a version (no answer) are left out.
     */
    public static Map<String, List<String>> byVersion(Map<String, String> versionOfNode) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        versionOfNode.forEach((node, version) -> {
            if (version != null) {
                out.computeIfAbsent(version, v -> new ArrayList<>()).add(node);
            }
        });
        return out;
    }

    /** {@code {"0.2.0": ["Node1", ...], "0.1.0": [...]}}: each version reported, with the nodes that run it. */
    public static ObjectNode toJson(Map<String, String> versionOfNode) {
        ObjectNode v = Codec.objectNode();
        byVersion(versionOfNode).forEach((version, nodes) -> {
            ArrayNode list = v.putArray(version);
            nodes.forEach(list::add);
        });
        return v;
    }

    /** "mixed versions: Node1-3 0.2.0, Node4-5 0.1.0", or null when the nodes that answered run one version. */
    public static String mixedLine(Map<String, String> versionOfNode) {
        Map<String, List<String>> groups = byVersion(versionOfNode);
        if (groups.size() < 2) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        groups.forEach((version, nodes) -> parts.add(names(nodes) + " " + version));
        return "mixed versions: " + String.join(", ", parts);
    }

    /**
     * Node names, runs of one prefix with consecutive numbers shortened: Node1, Node2, Node3 is
     * "Node1-3"; Node1, Node3 is "Node1, Node3"; other names as they are.
     */
    static String names(List<String> nodes) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < nodes.size()) {
            Matcher m = NUMBERED.matcher(nodes.get(i));
            if (!m.matches() || m.group(2).length() > 9) {
                out.add(nodes.get(i++));
                continue;
            }
            String prefix = m.group(1);
            long first = Long.parseLong(m.group(2));
            int j = i + 1;
            while (j < nodes.size()) {
                Matcher n = NUMBERED.matcher(nodes.get(j));
                if (!n.matches() || !n.group(1).equals(prefix) || n.group(2).length() > 9
                        || Long.parseLong(n.group(2)) != first + (j - i) || n.group(2).startsWith("0")) {
                    break;
                }
                j++;
            }
            out.add(j - i > 1 ? nodes.get(i) + "-" + (first + (j - i - 1)) : nodes.get(i));
            i = j;
        }
        return String.join(", ", out);
    }
}
