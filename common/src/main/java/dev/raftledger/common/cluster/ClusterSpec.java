package dev.raftledger.common.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cluster's members, in a fixed order: node name to host, all on the same ports.
 * Written as {@code Node1=127.0.0.1,Node2=127.0.0.2,...} on command lines, in environment
 * variables and (one or more per line, {@code #} comments allowed) in files.
 */
public final class ClusterSpec {

    /** The local five-node cluster of the README: Node1-Node5 on 127.0.0.1-127.0.0.5. */
    public static final String LOCAL_FIVE =
            "Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3,Node4=127.0.0.4,Node5=127.0.0.5";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:-]{1,253}");

    private final Map<String, NodeAddress> nodes;
    private final Ports ports;

    private ClusterSpec(Map<String, NodeAddress> nodes, Ports ports) {
        this.nodes = Collections.unmodifiableMap(nodes);
        this.ports = ports;
    }

    public static ClusterSpec localFive() {
        return parse(LOCAL_FIVE, Ports.SEED);
    }

    /**
     * Parses {@code Name=host[,Name=host...]}. Names are case-sensitive and unique; hosts are
     * names or literal addresses. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static ClusterSpec parse(String spec, Ports ports) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("cluster is empty: expected Name=host[,Name=host...]");
        }
        Map<String, NodeAddress> nodes = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("cluster member '" + item + "' is not of the form Name=host");
            }
            String name = item.substring(0, eq).trim();
            String host = item.substring(eq + 1).trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("node name '" + name + "' must be 1-64 letters, digits, '_', '.', '-'");
            }
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("host '" + host + "' of " + name + " is not a host name or address");
            }
            if (nodes.put(name, new NodeAddress(name, host, ports)) != null) {
                throw new IllegalArgumentException("node " + name + " is named twice");
            }
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("cluster is empty: expected Name=host[,Name=host...]");
        }
        return new ClusterSpec(nodes, ports);
    }

    /** Reads a cluster file: members separated by commas or newlines, {@code #} starts a comment. */
    public static ClusterSpec parseFile(Path file, Ports ports) throws IOException {
        List<String> members = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!content.isEmpty()) {
                members.add(content);
            }
        }
        try {
            return parse(String.join(",", members), ports);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public List<NodeAddress> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    public Optional<NodeAddress> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public boolean contains(String name) {
        return nodes.containsKey(name);
    }

    public int size() {
        return nodes.size();
    }

    /** Votes (or replicas) needed for a majority. */
    public int quorum() {
        return nodes.size() / 2 + 1;
    }

    public Ports ports() {
        return ports;
    }

    /** The spec in the syntax {@link #parse} reads. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (NodeAddress n : nodes.values()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(n.name()).append('=').append(n.host());
        }
        return sb.toString();
    }
}
