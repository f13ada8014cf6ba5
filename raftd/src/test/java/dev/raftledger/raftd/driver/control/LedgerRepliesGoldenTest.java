package dev.raftledger.raftd.driver.control;

import static dev.raftledger.raftd.driver.control.LeadingNodeFixture.LOCAL;
import static dev.raftledger.raftd.driver.control.LeadingNodeFixture.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replies to the ledger's requests (EXPENSE, EXPENSES list and totals, LOG) byte for byte as
 * raftd sent them before their typed reply records (issue 12), captured from the old builders:
 * field order, nulls, and how many items a list holds for a path and a cluster key are all part
 * of the wire. A one-voter leader, so that a write is applied and answered as soon as it is taken.
 */
class LedgerRepliesGoldenTest {

    @TempDir
    Path dir;

    /**
     * The only voter leading. Session TTL 0: the entries unstamped, as before session expiry (the
     * replies' bytes are what is pinned).
     */
    private static LeadingNodeFixture node(DatagramBudget budget) {
        return LeadingNodeFixture.builder().budget(budget).build();
    }

    /** Writes {@code command} and returns the reply sent once it was applied. */
    private static ControllerMessage write(LeadingNodeFixture n, String command) throws Exception {
        JsonNode value = Codec.readTree(command.getBytes(StandardCharsets.UTF_8));
        return n.written(LeadingNodeFixture.request("EXPENSE", value), REMOTE);
    }

    /** A STORE; returns the reply sent once it committed. */
    private static ControllerMessage store(LeadingNodeFixture n, JsonNode key, JsonNode value) {
        assertNull(n.ask(new ControllerMessage("raftctl", "STORE", null, key, value), REMOTE),
                "answered once committed");
        return n.lastSent();
    }

    private ClusterAuth keyed() throws Exception {
        Path f = dir.resolve("key");
        Files.writeString(f, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return ClusterAuth.fromFile(f);
    }

    private static String add(int seq, String amount, String category, String description, String payer, String date) {
        return "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":" + seq + ",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"category\":\"" + category + "\",\"description\":\"" + description
                + "\",\"payer\":\"" + payer + "\",\"date\":\"" + date + "\"}";
    }

    /** Ten expenses, the fourth edited and the fifth deleted; returns the replies to the writes. */
    private static List<ControllerMessage> fill(LeadingNodeFixture n) throws Exception {
        List<ControllerMessage> replies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            replies.add(write(n, add(i, i + ".50", i % 2 == 0 ? "food" : "travel",
                    i == 3 ? "caf\\u00e9 \\\"lunch\\\" \\ud83d\\ude00" : "expense " + i, i % 3 == 0 ? "bo" : "ana",
                    "2026-11-" + (10 + i))));
        }
        replies.add(write(n, "{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":11,\"id\":\"E4\",\"category\":\"rent\"}"));
        replies.add(write(n, "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":12,\"id\":\"E5\"}"));
        replies.add(write(n, "{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":13,\"id\":\"E99\"}"));
        replies.add(write(n, add(7, "1.00", "food", "", "ana", "2026-11-01")));
        return replies;
    }

    private static ObjectNode query(String query, boolean stale) {
        ObjectNode q = Codec.objectNode();
        q.put("query", query);
        q.put("stale", stale);
        return q;
    }

    private static String bytes(ControllerMessage m) {
        return new String(Codec.encode(m), StandardCharsets.UTF_8);
    }

    @Test
    void theLedgerRepliesAreTheSameBytesAsBeforeTheTypedReplies() throws Exception {
        LeadingNodeFixture n = node(new DatagramBudget(1400, ClusterAuth.none()));
        List<ControllerMessage> writes = fill(n);
        List<String> got = new ArrayList<>();
        for (ControllerMessage w : writes) {
            got.add(bytes(w));
        }
        got.add(bytes(n.ask("EXPENSES", query("list", true), REMOTE)));
        got.add(bytes(n.handler.serve(new ControllerMessage("raftctl", "EXPENSES", null, null, query("list", false)),
                LOCAL)));
        ObjectNode filtered = query("list", true);
        filtered.putObject("filter").put("payer", "bo").put("offset", 1).put("limit", 5);
        got.add(bytes(n.ask("EXPENSES", filtered, REMOTE)));
        got.add(bytes(n.ask("EXPENSES", query("totals", true), REMOTE)));
        ObjectNode byPayer = query("totals", false);
        byPayer.put("by", "payer");
        got.add(bytes(n.handler.serve(new ControllerMessage("raftctl", "EXPENSES", null, null, byPayer), LOCAL)));
        got.add(bytes(n.ask("LOG", null, REMOTE)));
        got.add(bytes(n.ask("LOG", Codec.objectNode().put("from", 3).put("limit", 2), LOCAL)));
        got.add(bytes(n.ask("LOG", Codec.objectNode().put("from", 40), LOCAL)));

        LeadingNodeFixture k = node(new DatagramBudget(1200, keyed()));
        fill(k);
        got.add(bytes(k.ask("EXPENSES", query("list", true), REMOTE)));
        got.add(bytes(k.ask("LOG", null, REMOTE)));
        List<String> golden = golden("ledger-replies.txt");
        assertEquals(golden.size(), got.size(), "one golden line per reply");
        for (int i = 0; i < golden.size(); i++) {
            assertEquals(golden.get(i), got.get(i), "reply " + i);
        }
    }

    /**
     * The other replies built by field name before issue 12 (STORE's COMMITTED, RETRIEVE's
     * COMMITED_LOGS, TRANSFER_LEADER's UNCHANGED, SNAPSHOT's SAVED), byte for byte as before.
     */
    @Test
    void theStoreAndAdminRepliesAreTheSameBytesAsBefore() throws Exception {
        LeadingNodeFixture n = node(new DatagramBudget(1400, ClusterAuth.none()));
        List<String> got = new ArrayList<>();
        got.add(bytes(store(n, TextNode.valueOf("k\u00e9"),
                Codec.objectNode().put("v", 1))));
        got.add(bytes(store(n, IntNode.valueOf(2),
                TextNode.valueOf("two"))));
        got.add(bytes(n.handler.serve(ControllerMessage.request("RETRIEVE"), REMOTE)));
        got.add(bytes(n.ask("TRANSFER_LEADER", Codec.objectNode().put("to", "Solo"), LOCAL)));
        got.add(bytes(n.handler.snapshotDone(new LoopEvent.SnapshotSaved(
                new SnapshotMeta(2, 1, "[]", 345, 6789), null, 345))));
        for (int i = 0; i < 40; i++) {
            store(n, TextNode.valueOf("key-" + i), TextNode.valueOf("\"v\" \u00e9 " + "v".repeat(i)));
        }
        got.add(bytes(n.handler.serve(ControllerMessage.request("RETRIEVE"), REMOTE))); // the newest that fit
        assertEquals(golden("control-replies.txt"), got);
    }

    /** Captured replies: a file in golden/, one a line, # comments left out. */
    private static List<String> golden(String file) throws Exception {
        try (InputStream in = LedgerRepliesGoldenTest.class.getResourceAsStream("/golden/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        }
    }
}
