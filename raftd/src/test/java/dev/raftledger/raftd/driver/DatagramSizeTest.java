package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.Message;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.control.ControllerHandler;
import dev.raftledger.raftd.driver.control.LedgerRequests;
import dev.raftledger.raftd.driver.control.LinearizableReads;
import dev.raftledger.raftd.driver.control.PendingWrites;
import dev.raftledger.raftd.driver.control.Replies;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.driver.net.Sender;
import dev.raftledger.raftd.driver.snapshot.SnapshotSender;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of datagram a node sends, at its extremes, with and without a cluster key, fits the
 * datagram size ({@code --max-datagram-bytes}) once sealed; controller replies fit the path they
 * take (issue 10, part 4: AppendEntry datagrams of up to 16 KiB were fragmented on a 1500-byte
 * link, and one lost fragment lost the whole datagram).
 */
class DatagramSizeTest {

    @TempDir
    Path dir;

    private static final long WIDEST = (1L << 53) - 1;
    private static final String NAME64 = "N".repeat(64);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.99", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    private static final int[] SIZES = {1200, 1400, 9000};

    private ClusterAuth keyed() throws Exception {
        Path f = dir.resolve("key");
        if (!Files.exists(f)) {
            Files.writeString(f, "0123456789abcdef0123456789abcdef\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return ClusterAuth.fromFile(f);
    }

    private List<DatagramBudget> budgets() throws Exception {
        List<DatagramBudget> all = new ArrayList<>();
        for (int size : SIZES) {
            all.add(new DatagramBudget(size, ClusterAuth.none()));
            all.add(new DatagramBudget(size, keyed()));
            // issue 13: peer messages of a node with a cluster id carry it, 32 bytes more (36 sealed)
            all.add(new DatagramBudget(size, ClusterAuth.none(), CLUSTER_ID));
            all.add(new DatagramBudget(size, keyed(), CLUSTER_ID));
        }
        return all;
    }

    private static final String CLUSTER_ID = "0123456789abcdef";

    /** What {@code m} really takes on the wire: encoded as the sender does (with the budget's cluster id for a peer) and sealed by the budget's own key (or none). */
    private static int sealed(DatagramBudget b, ClusterAuth auth, Message m) {
        return auth.seal(m instanceof PeerMessage p ? b.peerBytes(p) : Codec.encode(m), "Node2").length;
    }

    private static void assertFits(DatagramBudget b, ClusterAuth auth, int limit, Message m) {
        int size = sealed(b, auth, m);
        assertTrue(size <= limit, m.request() + " of " + size + " bytes over " + limit
                + (b.sealed() ? " (sealed)" : "") + (b.clusterId() != null ? " (with a cluster id)" : "") + ": "
                + new String(Codec.encode(m), java.nio.charset.StandardCharsets.UTF_8));
        int bound = m instanceof PeerMessage ? b.peerSealedSize(Codec.encode(m)) : b.sealedSize(Codec.encode(m));
        assertTrue(bound >= size, "the bound is never below the real size");
    }

    private ClusterAuth authOf(DatagramBudget b) throws Exception {
        return b.sealed() ? keyed() : ClusterAuth.none();
    }

    /** Entries that escape differently: plain, quote-heavy, non-ASCII and beyond U+FFFF, large and tiny. */
    private static List<Payload> variedPayloads() {
        return List.of(
                Payload.ofJson("{\"key\":\"k\",\"value\":\"v\"}"),
                Payload.ofJson(expense(500, 'x')),
                Payload.ofJson("{\"q\":\"" + "\\\"".repeat(120) + "\"}"),
                Payload.ofJson("{\"u\":\"" + "caf\u00e9 \ud83d\ude00 ".repeat(30) + "\"}"),
                Payload.NOOP,
                Payload.ofJson("{\"n\":\"" + "\\\\".repeat(40) + "\"}"));
    }

    /** The JSON of an EXPENSE add, every field at its longest, with a description of {@code n} times {@code c}. */
    private static String expense(int n, char c) {
        ObjectNode v = Codec.objectNode();
        v.put("op", "add");
        v.put("client_id", "c".repeat(64));
        v.put("seq", WIDEST);
        v.put("amount", "999999999.99");
        v.put("currency", "EUR");
        v.put("category", "k".repeat(64));
        v.put("description", String.valueOf(c).repeat(n));
        v.put("payer", "p".repeat(64));
        v.put("date", "2999-12-31");
        return Codec.toJson(v);
    }

    @Test
    void everyAppendEntryAReplicatingLeaderSendsFitsTheDatagram() throws Exception {
        for (DatagramBudget b : budgets()) {
            ClusterAuth auth = authOf(b);
            List<Entry> log = new ArrayList<>();
            // what a leader accepts at this size (larger ones are sent alone, over the limit: another test)
            List<Payload> kinds = variedPayloads().stream().filter(p -> b.entryFits("Node1", p)).toList();
            for (int i = 0; i < 300; i++) {
                log.add(new Entry(i, 1, kinds.get(i % kinds.size())));
            }
            Limits limits = b.limits("Node1");
            RaftCore l = new RaftCore("Node1", List.of("Node1", "Node2", "Node3"), Timings.SEED, limits,
                    new HardState(1, null), log, new SplittableRandom(1), 0);
            l.forceElection(0);
            l.step(new VoteAck(2, true, "Node2", "Node1"), 1);
            Output out = l.step(AppendReply.accepted(2, "Node2", "Node1", -1), 2); // REPLICATE from the start
            int entries = 0;
            for (Outbound o : out.messages()) {
                if (o.message() instanceof AppendEntry ae && o.to().equals("Node2")) {
                    assertEquals(List.of(ae), Sender.fitting(ae, b), "the core's batches need no split");
                    assertFits(b, auth, b.maxBytes(), ae);
                    entries += ae.entries().size();
                }
            }
            assertTrue(entries > 0, "replicated");
        }
    }

    @Test
    void anAppendEntryTooLargeForADatagramIsSentAsSeveralValidOnes() throws Exception {
        for (DatagramBudget b : budgets()) {
            ClusterAuth auth = authOf(b);
            List<Entry> entries = new ArrayList<>();
            List<Payload> kinds = variedPayloads().stream().filter(p -> b.entryFits("Node1", p)).toList();
            for (int i = 0; i < 60; i++) {
                entries.add(new Entry(41 + i, 3, kinds.get(i % kinds.size())));
            }
            AppendEntry big = new AppendEntry(5, "Node1", 40, 2, "Node1", entries, 90, 7);
            List<PeerMessage> parts = Sender.fitting(big, b);
            assertTrue(parts.size() > 1 || sealed(b, auth, big) <= b.maxBytes());
            long prev = 40;
            long prevTerm = 2;
            List<Entry> again = new ArrayList<>();
            for (PeerMessage p : parts) {
                AppendEntry ae = (AppendEntry) p;
                assertFits(b, auth, b.maxBytes(), ae);
                assertEquals(prev, ae.prevLogIndex(), "each part follows the one before");
                assertEquals(prevTerm, ae.prevLogTerm());
                assertEquals(90, ae.leaderCommit());
                assertEquals(7, ae.readSeq());
                again.addAll(ae.entries());
                prev = ae.entries().get(ae.entries().size() - 1).index();
                prevTerm = ae.entries().get(ae.entries().size() - 1).term();
            }
            assertEquals(entries, again, "every entry, in order, once");
        }
    }

    @Test
    void theLargestEntryALeaderAcceptsFitsAndOneByteMoreIsRefused() throws Exception {
        for (DatagramBudget b : budgets()) {
            ClusterAuth auth = authOf(b);
            for (char c : new char[] {'x', '"'}) {
                String unit = c == '"' ? "\\\"" : "x";
                int n = 0;
                while (b.entryFits("Node1", Payload.ofJson("{\"v\":\"" + unit.repeat(n + 1) + "\"}"))) {
                    n++;
                }
                Payload largest = Payload.ofJson("{\"v\":\"" + unit.repeat(n) + "\"}");
                AppendEntry widest = new AppendEntry(WIDEST, "Node1", WIDEST - 1, WIDEST, "Node1",
                        List.of(new Entry(WIDEST, WIDEST, largest)), WIDEST, WIDEST);
                assertFits(b, auth, b.maxBytes(), widest);
                assertTrue(sealed(b, auth, widest) > b.maxBytes() - 40, "and it is nearly the whole datagram");
                assertFalse(b.entryFits("Node1", Payload.ofJson("{\"v\":\"" + unit.repeat(n + 1) + "\"}")));
            }
        }
    }

    @Test
    void anExpenseWithA500CharacterDescriptionFitsTheDefaultDatagramSealed() throws Exception {
        DatagramBudget b = new DatagramBudget(DatagramBudget.DEFAULT_BYTES, keyed());
        Payload p = Payload.ofJson(expense(500, 'x'));
        DatagramBudget withId = new DatagramBudget(DatagramBudget.DEFAULT_BYTES, keyed(), CLUSTER_ID);
        assertTrue(withId.entryFits("Node1", p), "also with a cluster id: " + withId.oneEntrySize("Node1", p) + " bytes");
        assertTrue(b.entryFits("Node1", p), "every field at its longest: " + b.oneEntrySize("Node1", p) + " bytes");
        assertTrue(b.entryFits("Node1", Payload.ofJson(expense(500, '~'))));
        // 500 quotes escape twice (in the entry, then in the sealed message): that one does not fit
        assertFalse(b.entryFits("Node1", Payload.ofJson(expense(500, '"'))));
    }

    /**
     * The same widest expense as the leader proposes it on a keyed cluster: stamped with a time,
     * the session TTL and the longest writer's name an operators file allows (issue 14).
     */
    @Test
    void theWidestExpenseFitsStampedWithTheLongestWritersName() throws Exception {
        ObjectNode stamped = (ObjectNode) Codec.readTree(expense(500, 'x'));
        dev.raftledger.common.ledger.LedgerCodec.stamped(stamped, new dev.raftledger.common.ledger.Ledger.Stamp(
                WIDEST, WIDEST, "o".repeat(dev.raftledger.common.ledger.Validation.MAX_WRITER_LENGTH)));
        Payload p = Payload.ofJson(Codec.toJson(stamped));
        DatagramBudget withId = new DatagramBudget(DatagramBudget.DEFAULT_BYTES, keyed(), CLUSTER_ID);
        assertTrue(withId.entryFits("Node1", p), "with a cluster id: " + withId.oneEntrySize("Node1", p) + " bytes");
    }

    @Test
    void snapshotChunksFitWithTheirConfiguration() throws Exception {
        ClusterConfig five = ClusterConfig.of(List.of(
                new ClusterConfig.Member("Node1", "node-one.example.internal", ClusterConfig.Suffrage.VOTER),
                new ClusterConfig.Member("Node2", "10.0.0.12", ClusterConfig.Suffrage.VOTER),
                new ClusterConfig.Member("Node3", "10.0.0.13", ClusterConfig.Suffrage.VOTER),
                new ClusterConfig.Member("Node4", "2001:db8::14", ClusterConfig.Suffrage.VOTER),
                new ClusterConfig.Member("Node5", "10.0.0.15", ClusterConfig.Suffrage.LEARNER)));
        for (DatagramBudget b : budgets()) {
            ClusterAuth auth = authOf(b);
            for (String config : List.of("", five.toJson())) {
                SnapshotSender s = new SnapshotSender("Node1", null, null, () -> WIDEST, b);
                int chunk = s.chunkBytes(config);
                // the header takes about 300 bytes (and the configuration, repeated in every chunk, more)
                int header = config.isEmpty() ? 500 : 1_000;
                assertTrue(chunk >= 3 * (b.maxBytes() - header) / 4, chunk + " bytes of " + b.maxBytes()
                        + (b.sealed() ? " sealed" : "") + (config.isEmpty() ? "" : " with a configuration"));
                byte[] data = new byte[chunk];
                new SplittableRandom(1).nextBytes(data);
                assertFits(b, auth, b.maxBytes(), new InstallSnapshot(WIDEST, "Node1", WIDEST, WIDEST, WIDEST, WIDEST,
                        0xFFFF_FFFFL, false, data, config));
            }
        }
    }

    @Test
    void votesRepliesAndTheirKinFitAtTheirWidest() throws Exception {
        for (DatagramBudget b : budgets()) {
            ClusterAuth auth = authOf(b);
            List<Message> all = List.of(
                    RequestVote.of(WIDEST, NAME64, WIDEST, WIDEST),
                    RequestVote.preVote(WIDEST, NAME64, WIDEST, WIDEST),
                    new VoteAck(WIDEST, true, NAME64, NAME64, true),
                    new AppendReply(WIDEST, false, NAME64, NAME64, WIDEST, WIDEST, WIDEST, WIDEST, WIDEST, WIDEST, true, WIDEST),
                    new SnapshotAck(WIDEST, NAME64, NAME64, WIDEST, WIDEST),
                    new TimeoutNow(WIDEST, NAME64, NAME64),
                    new AppendEntry(WIDEST, NAME64, WIDEST, WIDEST, NAME64, List.of(), WIDEST, WIDEST));
            for (Message m : all) {
                assertFits(b, auth, b.maxBytes(), m);
            }
        }
    }

    // ---- controller replies -------------------------------------------------------------------------

    /** A one-node leader with its request handlers, replies sized by {@code budget}. */
    private static final class Leader {
        final RaftCore core = new RaftCore("Solo", ClusterConfig.of(List.of(
                new ClusterConfig.Member("Solo", "10.0.0.9", ClusterConfig.Suffrage.VOTER))), Timings.SEED,
                Limits.RECOMMENDED, HardState.INITIAL, LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
        final ReplicatedState state = ReplicatedState.empty();
        final PendingWrites pending = new PendingWrites();
        final ControllerHandler handler;
        final Applier applier;
        final List<byte[]> sent = new ArrayList<>();

        Leader(DatagramBudget budget) {
            Replies replies = new Replies(core, budget);
            LedgerRequests ledger = new LedgerRequests(core, state, pending, replies);
            handler = new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies,
                    new DriverCounters(), "10.0.0.9", 0);
            applier = new Applier(state, pending, handler, ledger, new Outbox() {
                @Override public void toPeer(String peer, PeerMessage message) {}

                @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
                    sent.add(payload);
                }
            });
            run(core.forceElection(0));
            assertEquals(Role.LEADER, core.role());
        }

        void run(Output out) {
            List<Output> todo = new ArrayList<>(List.of(out));
            while (!todo.isEmpty()) {
                Output o = todo.remove(0);
                o.apply().forEach(applier::apply);
                if (!o.append().isEmpty()) {
                    todo.add(core.persisted(core.lastIndex(), 1));
                }
            }
        }

        ControllerMessage ask(String request, JsonNode key, JsonNode value, InetSocketAddress from) {
            ControllerHandler.Result r = handler.handle(new ControllerMessage("raftctl", request, null, key, value),
                    from, 1);
            run(r.output());
            return r.reply();
        }
    }

    @Test
    void everyReplyFitsThePathItTakes() throws Exception {
        for (boolean key : new boolean[] {false, true}) {
            DatagramBudget b = new DatagramBudget(1400, key ? keyed() : ClusterAuth.none());
            ClusterAuth auth = authOf(b);
            Leader l = new Leader(b);
            for (int i = 0; i < 300; i++) {
                assertNull(l.ask("STORE", TextNode.valueOf("key-" + i), TextNode.valueOf("\"value\" " + "v".repeat(i % 90)),
                        LOCAL));
                ObjectNode add = (ObjectNode) Codec.readTree(expense(500, 'x'));
                add.put("seq", i + 1);
                assertNull(l.ask("EXPENSE", null, add, REMOTE), "proposed, not refused");
            }
            assertFalse(l.sent.isEmpty(), "the writes were answered");
            ControllerMessage tooLarge = l.ask("STORE", TextNode.valueOf("k"), TextNode.valueOf("v".repeat(1_400)), REMOTE);
            assertEquals("ERROR", tooLarge.request());
            assertEquals("TOO_LARGE", tooLarge.key().asText(), tooLarge.toString());
            assertFits(b, auth, 1400, tooLarge);
            for (byte[] reply : l.sent) {
                assertTrue(auth.seal(reply, "Node2").length <= 1400, "a write's answer of " + auth.seal(reply, "Node2").length);
            }
            ControllerMessage retrieveFar = l.handler.serve(ControllerMessage.request("RETRIEVE"), REMOTE);
            ControllerMessage retrieveNear = l.handler.serve(ControllerMessage.request("RETRIEVE"), LOCAL);
            assertFits(b, auth, 1400, retrieveFar);
            assertFits(b, auth, Codec.MAX_DATAGRAM_BYTES, retrieveNear);
            assertTrue(retrieveFar.value().size() >= 5, "the newest that fit: " + retrieveFar.value().size());
            assertTrue(sealed(b, auth, retrieveFar) > 1400 - 200, "and nearly a whole datagram");
            assertEquals(300, retrieveNear.value().size(), "on loopback, every STORE (" + sealed(b, auth, retrieveNear)
                    + " bytes)");
            assertEquals("key-299", retrieveFar.value().get(retrieveFar.value().size() - 1).get("key").asText());

            ObjectNode list = Codec.objectNode();
            list.put("query", "list");
            list.put("stale", true);
            ControllerMessage expenses = l.ask("EXPENSES", null, list, REMOTE);
            assertFits(b, auth, 1400, expenses);
            assertTrue(expenses.value().get("expenses").size() >= 1);
            ObjectNode from = Codec.objectNode();
            from.put("from", 0);
            from.put("limit", 10_000);
            ControllerMessage log = l.ask("LOG", null, from, REMOTE);
            assertFits(b, auth, 1400, log);
            assertTrue(log.value().get("entries").size() >= 1);
            for (String request : List.of("STATUS", "MEMBERS", "LEADER_INFO")) {
                assertFits(b, auth, 1400, l.ask(request, null, null, REMOTE));
            }
        }
    }

    @Test
    void loopbackIsLoopback() {
        assertTrue(DatagramBudget.isLoopback(new InetSocketAddress("127.0.0.5", 1)));
        assertTrue(DatagramBudget.isLoopback(new InetSocketAddress("::1", 1)));
        assertFalse(DatagramBudget.isLoopback(new InetSocketAddress("10.0.0.1", 1)));
        assertFalse(DatagramBudget.isLoopback(new InetSocketAddress("2001:db8::1", 1)));
    }
}
