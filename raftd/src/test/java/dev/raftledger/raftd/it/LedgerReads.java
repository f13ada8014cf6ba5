package dev.raftledger.raftd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Reads every node's ledger (stale reads, paged) to check that replicas agree. */
final class LedgerReads {

    private LedgerReads() {}

    /** The sorted expense ids one node holds, read from its own applied state. */
    static List<String> expenseIds(LocalCluster cluster, String node) {
        List<String> ids = new ArrayList<>();
        ControllerClient rpc = new ControllerClient(Duration.ofSeconds(1), 2);
        while (true) {
            ObjectNode q = Codec.objectNode();
            q.put("query", "list");
            q.put("stale", true);
            q.putObject("filter").put("offset", ids.size()).put("limit", 100);
            Answer a = rpc.ask(cluster.spec().node(node).orElseThrow(),
                    new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, q));
            if (!a.answered()) {
                throw new AssertionError(node + ": " + a.error());
            }
            JsonNode page = a.reply().value().get("expenses");
            page.forEach(e -> ids.add(e.get("id").asText()));
            if (page.size() == 0 || ids.size() >= a.reply().value().get("total").asInt()) {
                Collections.sort(ids);
                return ids;
            }
        }
    }

    /**
     * Polls until every node reports the same applied index and holds the same expenses; returns
     * each node's expense ids.
     */
    static Map<String, List<String>> awaitConverged(LocalCluster cluster, Duration timeout) {
        return awaitConverged(cluster, cluster.names(), timeout);
    }

    /** As above, over {@code members} only (after a membership change). */
    static Map<String, List<String>> awaitConverged(LocalCluster cluster, List<String> members, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> applied = new HashMap<>();
            for (String n : members) {
                Answer a = cluster.ask(n, "STATUS", Duration.ofMillis(500));
                if (a.answered()) {
                    applied.put(n, a.reply().value().get("applied_index").asLong());
                }
            }
            if (applied.size() == members.size() && new HashSet<>(applied.values()).size() == 1) {
                Map<String, List<String>> ledgers = new HashMap<>();
                for (String n : members) {
                    ledgers.put(n, expenseIds(cluster, n));
                }
                if (new HashSet<>(ledgers.values()).size() == 1) {
                    return ledgers;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nodes did not converge within " + timeout.toMillis() + " ms: applied " + applied);
            }
            LocalCluster.pause();
        }
    }
}
