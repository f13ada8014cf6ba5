package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Network cuts for chaos tests, inside the transport: messages to and from named peers are
 * dropped as a severed link would drop them. Off unless raftd was started with
 * --enable-fault-injection; then the controller's FAULTS request sets the cuts. Thread-safe
 * (the sets are replaced, never changed in place).
 */
final class FaultInjector {

    private final boolean enabled;
    private volatile Set<String> dropTo = Set.of();
    private volatile Set<String> dropFrom = Set.of();

    FaultInjector(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Outgoing messages to {@code peer} are lost. */
    boolean dropsTo(String peer) {
        return dropTo.contains(peer);
    }

    /** Incoming messages from {@code peer} are lost. */
    boolean dropsFrom(String peer) {
        return dropFrom.contains(peer);
    }

    /**
     * Replaces the cuts with {@code {"drop_to": [names], "drop_from": [names]}} (absent: none);
     * returns a description for the reply, or throws IllegalArgumentException for a bad value.
     */
    String set(JsonNode value) {
        if (!enabled) {
            throw new IllegalStateException("fault injection is disabled (start raftd with --enable-fault-injection)");
        }
        Set<String> to = names(value, "drop_to");
        Set<String> from = names(value, "drop_from");
        dropTo = Set.copyOf(to);
        dropFrom = Set.copyOf(from);
        return "drop_to " + to + ", drop_from " + from;
    }

    private static Set<String> names(JsonNode value, String field) {
        Set<String> names = new TreeSet<>();
        JsonNode list = value == null ? null : value.get(field);
        if (list == null || list.isNull()) {
            return names;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of node names");
        }
        for (JsonNode n : list) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(field + " must hold node names");
            }
            names.add(n.textValue());
        }
        return names;
    }
}
