package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.Applier;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replies to the ledger's requests (EXPENSE, EXPENSES list and totals, LOG) byte for byte as
 * raftd sent them before their typed reply records (issue 12), captured from the old builders:
 * field order, nulls, and how many items a list holds for a path and a cluster key are all part
 * of the wire. A one-voter leader, so that a write is applied and answered as soon as it is taken.
 */
class LedgerRepliesGoldenTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    /** Not loopback: a reply to it holds what fits the datagram size (1400 bytes here). */
    private static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.99", 40000);
    private static final ClusterConfig SOLO = ClusterConfig.of(List.of(
            new ClusterConfig.Member("Solo", "127.0.0.9", ClusterConfig.Suffrage.VOTER)));

    @TempDir
    Path dir;

    /** The handler and applier around one leading core, with the replies they send recorded. */
    private static final class Node implements Outbox {
        final RaftCore core;
        final ControllerHandler handler;
        final Applier applier;
        final List<ControllerMessage> sent = new ArrayList<>();
        final long now = 1_000;

        Node(DatagramBudget budget) {
            core = new RaftCore("Solo", SOLO, Timings.SEED, Limits.RECOMMENDED, HardState.INITIAL,
                    LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
            ReplicatedState state = ReplicatedState.empty();
            PendingWrites pending = new PendingWrites();
            Replies replies = new Replies(core, budget);
            // TTL 0: the entries unstamped, as before session expiry (the replies' bytes are what is pinned)
            LedgerRequests ledger = new LedgerRequests(core, state, pending, replies, () -> 0L, 0);
            handler = new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies,
                    new DriverCounters(), "127.0.0.9", 0);
            applier = new Applier(state, pending, handler, ledger, this);
            run(core.forceElection(now));
            assertEquals(Role.LEADER, core.role());
        }

        /** Carries out an output as the loop would: durable at once, committed entries applied. */
        void run(Output out) {
            List<Output> todo = new ArrayList<>(List.of(out));
            while (!todo.isEmpty()) {
                Output o = todo.remove(0);
                for (Entry e : o.apply()) {
                    applier.apply(e);
                }
                if (!o.append().isEmpty()) {
                    todo.add(core.persisted(core.lastIndex(), now));
                }
            }
        }

        /** Handles a request; returns the reply sent at once, or null if it comes later. */
        ControllerMessage ask(String request, JsonNode value, InetSocketAddress from) {
            ControllerHandler.Result r = handler.handle(new ControllerMessage("raftctl", request, null, null, value),
                    from, now);
            run(r.output());
            return r.reply();
        }

        /** Writes {@code command} and returns the reply sent once it was applied. */
        ControllerMessage write(String command) throws Exception {
            assertNull(ask("EXPENSE", Codec.readTree(command.getBytes(StandardCharsets.UTF_8)), REMOTE),
                    "answered once applied");
            return sent.get(sent.size() - 1);
        }

        /** A STORE; returns the reply sent once it committed. */
        ControllerMessage store(JsonNode key, JsonNode value) {
            ControllerHandler.Result r = handler.handle(new ControllerMessage("raftctl", "STORE", null, key, value),
                    REMOTE, now);
            assertNull(r.reply(), "answered once committed");
            run(r.output());
            return sent.get(sent.size() - 1);
        }

        @Override public void toPeer(String peer, PeerMessage message) {}

        @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            try {
                sent.add(Codec.decodeController(payload, 0, payload.length));
            } catch (MalformedMessageException e) {
                throw new AssertionError(e);
            }
        }
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
    private static List<ControllerMessage> fill(Node n) throws Exception {
        List<ControllerMessage> replies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            replies.add(n.write(add(i, i + ".50", i % 2 == 0 ? "food" : "travel",
                    i == 3 ? "caf\\u00e9 \\\"lunch\\\" \\ud83d\\ude00" : "expense " + i, i % 3 == 0 ? "bo" : "ana",
                    "2026-11-" + (10 + i))));
        }
        replies.add(n.write("{\"op\":\"edit\",\"client_id\":\"c1\",\"seq\":11,\"id\":\"E4\",\"category\":\"rent\"}"));
        replies.add(n.write("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":12,\"id\":\"E5\"}"));
        replies.add(n.write("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":13,\"id\":\"E99\"}"));
        replies.add(n.write(add(7, "1.00", "food", "", "ana", "2026-11-01")));
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
        Node n = new Node(new DatagramBudget(1400, ClusterAuth.none()));
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

        Node k = new Node(new DatagramBudget(1200, keyed()));
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
        Node n = new Node(new DatagramBudget(1400, ClusterAuth.none()));
        List<String> got = new ArrayList<>();
        got.add(bytes(n.store(TextNode.valueOf("k\u00e9"),
                Codec.objectNode().put("v", 1))));
        got.add(bytes(n.store(IntNode.valueOf(2),
                TextNode.valueOf("two"))));
        got.add(bytes(n.handler.serve(ControllerMessage.request("RETRIEVE"), REMOTE)));
        got.add(bytes(n.ask("TRANSFER_LEADER", Codec.objectNode().put("to", "Solo"), LOCAL)));
        got.add(bytes(n.handler.snapshotDone(new LoopEvent.SnapshotSaved(
                new SnapshotMeta(2, 1, "[]", 345, 6789), null, 345))));
        for (int i = 0; i < 40; i++) {
            n.store(TextNode.valueOf("key-" + i), TextNode.valueOf("\"v\" \u00e9 " + "v".repeat(i)));
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
