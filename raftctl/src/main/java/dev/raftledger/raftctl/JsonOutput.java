package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.cluster.ClusterJson;
import dev.raftledger.raftctl.expense.ExpenseJson;
import dev.raftledger.raftctl.member.MemberOutput;
import dev.raftledger.raftctl.store.StoreJson;
import java.io.PrintWriter;

/**
 * The --json documents. Field names are snake_case like the wire, always present (null when
 * unknown) and stable: scripts may rely on them. One document per line. Their schemas are the
 * files in docs/json-schemas (JsonSchemaTest checks every command's output against them; the
 * tables in docs/raftctl.md are generated from them): a new field goes into its schema too.
 * Expenses are LedgerCodec's, amounts as strings. Each noun renders its own documents
 * ({@code ClusterJson}, {@code ExpenseJson}, {@code StoreJson}, {@code MemberOutput}); this class
 * holds what they share.
 */
public final class JsonOutput {

    private JsonOutput() {}

    public static JsonNode nullIfAbsent(JsonNode n) {
        return n == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n;
    }

    public static void print(PrintWriter out, ObjectNode doc) {
        out.println(Codec.toJson(doc));
        out.flush();
    }

    public static ObjectNode object() {
        return Codec.objectNode();
    }
}
