package dev.raftledger.raftd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import java.time.Duration;
import java.util.List;

/**
 * A test client of the ledger with the exactly-once discipline the protocol asks for: every
 * write gets the next sequence number and is retried, with the same client id and sequence,
 * until some leader answers with its result (following LEADER_INFO, riding out lost replies and
 * leader changes).
 */
public final class LedgerClient {

    private final ClusterSpec cluster;
    private final String clientId;
    private final ControllerClient rpc;
    private long seq;
    private String leader;
    private int next;

    public LedgerClient(ClusterSpec cluster, String clientId) {
        this(cluster, clientId, dev.raftledger.common.auth.ClusterAuth.none());
    }

    /** With a cluster key or an operator's credential: every attempt is sealed anew. */
    public LedgerClient(ClusterSpec cluster, String clientId, dev.raftledger.common.auth.ClusterAuth auth) {
        this.cluster = cluster;
        this.clientId = clientId;
        this.rpc = new ControllerClient(Duration.ofMillis(300), 1, auth);
    }

    /** Adds an expense; returns the result object ({ok, id, ...}); throws if no leader answers in time. */
    public JsonNode add(String amount, String currency, String category, String payer) {
        return addDescribed(amount, currency, category, payer, null);
    }

    /** As {@link #add}, with a description (null: none). */
    public JsonNode addDescribed(String amount, String currency, String category, String payer, String description) {
        ObjectNode cmd = dev.raftledger.common.wire.Codec.objectNode();
        cmd.put("op", "add");
        cmd.put("client_id", clientId);
        cmd.put("seq", ++seq);
        cmd.put("amount", amount);
        cmd.put("currency", currency);
        cmd.put("category", category);
        cmd.put("payer", payer);
        cmd.put("date", "2026-11-25");
        if (description != null) {
            cmd.put("description", description);
        }
        return write(cmd, Duration.ofSeconds(30));
    }

    private JsonNode write(ObjectNode cmd, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        ControllerMessage request = new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSE", null, null, cmd);
        while (System.nanoTime() < deadline) {
            NodeAddress target = target();
            Answer a = rpc.ask(target, request);
            if (!a.answered()) {
                leader = null; // maybe down: try the next node
                continue;
            }
            ControllerMessage r = a.reply();
            if ("EXPENSE".equals(r.request()) && "RESULT".equals(r.keyText())) {
                leader = target.name();
                return r.value();
            }
            if ("LEADER_INFO".equals(r.request())) {
                leader = r.valueText();
                if (leader == null) {
                    LocalCluster.pause(); // an election is under way
                }
                continue;
            }
            // ERROR NOT_COMMITTED: outcome unknown; the retry below carries the same seq
            leader = null;
            LocalCluster.pause();
        }
        throw new AssertionError(clientId + ": no result for seq " + cmd.get("seq") + " within " + budget);
    }

    private NodeAddress target() {
        if (leader != null && cluster.contains(leader)) {
            return cluster.node(leader).orElseThrow();
        }
        List<NodeAddress> nodes = cluster.nodes();
        return nodes.get(next++ % nodes.size());
    }
}
