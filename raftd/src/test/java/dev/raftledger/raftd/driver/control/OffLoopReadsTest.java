package dev.raftledger.raftd.driver.control;

import static dev.raftledger.raftd.driver.control.LeadingNodeFixture.LOCAL;
import static dev.raftledger.raftd.driver.control.LeadingNodeFixture.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseListReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads that need a pass over the ledger are answered off the event loop, by the reader thread,
 * from a copy the loop takes once the read may be served: the same bytes as the loop's own
 * answer, nothing written after the copy, BUSY (counted) when the reader's queue is full. And
 * export cursors: one frozen view per export, paged from the reader thread, untouched by later
 * writes, expiring when idle.
 */
class OffLoopReadsTest {

    private static final ClusterConfig THREE = ClusterConfig.of(List.of(
            new ClusterConfig.Member("Node1", "127.0.0.1", ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Node2", "127.0.0.2", ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Node3", "127.0.0.3", ClusterConfig.Suffrage.VOTER)));
    private static final String[] CATEGORIES = {"food", "travel", "rent", "books"};
    private static final String[] PAYERS = {"ana", "bo", "cy"};

    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopReaders() throws InterruptedException {
        for (Thread t : threads) {
            t.interrupt();
            t.join(5_000);
        }
    }

    /** A one-voter leader (or a follower of three) with its handler; replies sent later are queued. */
    private final class Node {
        final LeadingNodeFixture fixture;
        final AtomicLong clock = new AtomicLong(1_000);
        Thread readerThread;
        int seq;

        Node(boolean leader) {
            LeadingNodeFixture.Builder b = LeadingNodeFixture.builder()
                    .budget(new DatagramBudget(1400, ClusterAuth.none()));
            fixture = (leader ? b : b.follower("Node2", THREE)).build();
        }

        /** Reads that need a pass go to a reader with room for {@code capacity} jobs, started or not. */
        Node withReader(int capacity, boolean start) {
            readerThread = new Thread(fixture.readsOffLoop(capacity, clock::get), "test-reader");
            threads.add(readerThread);
            if (start) {
                readerThread.start();
            }
            return this;
        }

        ControllerMessage ask(JsonNode value, InetSocketAddress from) {
            return fixture.ask("EXPENSES", value, from);
        }

        /** The reply the loop gives once the (linearizable) read may be served: at once, or null (reader). */
        ControllerMessage serve(JsonNode value, InetSocketAddress from) {
            return fixture.handler.serve(LeadingNodeFixture.request("EXPENSES", value), from);
        }

        /** The reply the reader thread sent next (waits up to 5 s). */
        ControllerMessage later() throws InterruptedException {
            ControllerMessage m = fixture.sent.poll(5, TimeUnit.SECONDS);
            assertNotNull(m, "the reader thread answered");
            return m;
        }

        void add(int i) throws Exception {
            String cmd = "{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":" + (++seq) + ",\"amount\":\"" + (i % 97 + 1)
                    + "." + (i % 100) + "\",\"currency\":\"" + (i % 5 == 0 ? "USD" : "EUR") + "\",\"category\":\""
                    + CATEGORIES[i % CATEGORIES.length] + "\",\"description\":\"" + (i % 7 == 0 ? "Lunch with team " : "item ")
                    + i + "\",\"payer\":\"" + PAYERS[i % PAYERS.length] + "\",\"date\":\"2026-" + (10 + i % 3) + "-"
                    + (10 + i % 17) + "\"}";
            write(cmd);
        }

        void write(String cmd) throws Exception {
            assertNull(fixture.ask("EXPENSE", Codec.readTree(cmd.getBytes(StandardCharsets.UTF_8)), REMOTE),
                    "answered once applied");
            ControllerMessage applied = fixture.sent.poll();
            assertEquals("EXPENSE", applied.request(), "the write's own reply");
            assertEquals("ok", applied.value().path("result").path("status").asText("ok"), applied.toString());
        }

        void fill(int n) throws Exception {
            for (int i = 0; i < n; i++) {
                add(i);
            }
        }
    }

    private static ObjectNode list(boolean stale) {
        ObjectNode q = Codec.objectNode();
        q.put("query", "list");
        q.put("stale", stale);
        return q;
    }

    private static ObjectNode totals(String by) {
        ObjectNode q = Codec.objectNode();
        q.put("query", "totals");
        q.put("by", by);
        return q;
    }

    private static String bytes(ControllerMessage m) {
        return new String(Codec.encode(m), StandardCharsets.UTF_8);
    }

    /** The queries no kept order answers: each needs a pass over the ledger. */
    private static List<ObjectNode> slowQueries() {
        List<ObjectNode> qs = new ArrayList<>();
        ObjectNode text = list(false);
        text.putObject("filter").put("text", "lunch").put("limit", 5);
        qs.add(text);
        ObjectNode deep = list(false);
        deep.putObject("filter").put("text", "ITEM").put("offset", 37).put("limit", 100);
        qs.add(deep);
        ObjectNode both = list(false);
        both.putObject("filter").put("category", "food").put("payer", "bo").put("offset", 2).put("limit", 3);
        qs.add(both);
        ObjectNode unlimited = list(false);
        unlimited.putObject("filter").put("text", "item");
        qs.add(unlimited);
        for (String by : List.of("category", "month", "payer")) {
            ObjectNode t = totals(by);
            t.putObject("filter").put("category", "food");
            qs.add(t);
            ObjectNode u = totals(by);
            u.putObject("filter").put("text", "lunch").put("from", "2026-11-01");
            qs.add(u);
        }
        return qs;
    }

    @Test
    void aReadThatNeedsAPassIsAnsweredByTheReaderWithTheLoopsOwnBytes() throws Exception {
        Node onLoop = new Node(true);
        Node offLoop = new Node(true).withReader(ReadWorker.CAPACITY, true);
        onLoop.fill(300);
        offLoop.fill(300);
        for (ObjectNode q : slowQueries()) {
            for (InetSocketAddress to : List.of(LOCAL, REMOTE)) {
                ControllerMessage expected = onLoop.serve(q, to);
                assertNotNull(expected, "without a reader the loop answers " + q);
                assertNull(offLoop.serve(q, to), "the loop hands " + q + " to the reader");
                assertEquals(bytes(expected), bytes(offLoop.later()), q + " to " + to);
                // a stale read, on any node at once, the same way
                ObjectNode stale = q.deepCopy().put("stale", true);
                assertNull(offLoop.ask(stale, to), "stale " + q + " goes to the reader too");
                assertEquals(bytes(onLoop.ask(stale, to)), bytes(offLoop.later()), "stale " + q);
            }
        }
        assertEquals(0, offLoop.fixture.counters.readsRefusedBusy());
    }

    @Test
    void readsAKeptOrderAnswersStayOnTheLoop() throws Exception {
        Node onLoop = new Node(true);
        Node offLoop = new Node(true).withReader(ReadWorker.CAPACITY, true);
        onLoop.fill(120);
        offLoop.fill(120);
        ObjectNode category = list(false);
        category.putObject("filter").put("category", "rent").put("offset", 3).put("limit", 10);
        ObjectNode payerDates = list(false);
        payerDates.putObject("filter").put("payer", "cy").put("from", "2026-11-01").put("to", "2026-12-31");
        for (ObjectNode q : List.of(list(false), category, payerDates, totals("month"))) {
            ControllerMessage quick = offLoop.serve(q, REMOTE);
            assertNotNull(quick, q + " answered by the loop at once");
            assertEquals(bytes(onLoop.serve(q, REMOTE)), bytes(quick));
        }
        assertTrue(offLoop.fixture.sent.isEmpty(), "nothing went through the reader");
    }

    @Test
    void theCopyIsTakenWhenTheReadIsServedSoLaterWritesAreNotInIt() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, false); // the reader waits until started
        n.fill(50);
        ObjectNode q = list(false);
        q.putObject("filter").put("text", "item").put("limit", 1000);
        ObjectNode t = totals("payer");
        t.putObject("filter").put("text", "item");
        assertNull(n.serve(q, LOCAL));
        assertNull(n.serve(t, LOCAL));
        ControllerMessage listBefore = serveAfterFill(50, q);
        ControllerMessage totalsBefore = serveAfterFill(50, t);
        for (int i = 50; i < 80; i++) {
            n.add(i); // applied after the read was served, before the reader ran
        }
        n.readerThread.start();
        ControllerMessage listed = n.later();
        ExpenseListReply page = ExpenseListReply.fromJson(listed.value());
        assertEquals(50L, page.appliedIndex(), "the no-op at 0 and 50 writes: the state when the read was served");
        assertEquals(bytes(listBefore), bytes(listed), "none of the writes after it");
        assertEquals(bytes(totalsBefore), bytes(n.later()));
    }

    @Test
    void aReadThatWaitedLongerThanItsClientWouldIsRefusedWithoutItsPass() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, false);
        n.fill(20);
        ObjectNode q = list(false);
        q.putObject("filter").put("text", "item");
        assertNull(n.serve(q, LOCAL));
        n.clock.addAndGet(ReadWorker.STALE_MS + 1); // the reader was busy that long
        assertNull(n.serve(q, LOCAL));
        n.readerThread.start();
        ControllerMessage stale = n.later();
        assertEquals("BUSY", stale.keyText());
        assertTrue(stale.value().asText().contains("waited"), stale.value().asText());
        assertEquals("RESULT", n.later().keyText(), "the one queued just now is answered");
    }

    /** A leader filled with {@code count} expenses answering {@code q} on the loop. */
    private ControllerMessage serveAfterFill(int count, ObjectNode q) throws Exception {
        Node n = new Node(true);
        n.fill(count);
        return n.serve(q, LOCAL);
    }

    @Test
    void aFullReaderQueueRefusesWithBusyAndCountsIt() throws Exception {
        Node n = new Node(true).withReader(2, false);
        n.fill(20);
        ObjectNode q = list(false);
        q.putObject("filter").put("text", "item");
        assertNull(n.serve(q, LOCAL));
        assertNull(n.serve(q, LOCAL));
        ControllerMessage refused = n.serve(q, LOCAL);
        assertNotNull(refused, "refused at once");
        assertEquals("ERROR", refused.request());
        assertEquals("BUSY", refused.keyText());
        assertTrue(refused.value().asText().contains("ask again"), refused.value().asText());
        assertEquals(1, n.fixture.counters.readsRefusedBusy());
        ControllerMessage quick = n.serve(list(false), LOCAL);
        assertEquals("RESULT", quick.keyText(), "a read a kept order answers is not refused");
        n.readerThread.start();
        n.later();
        n.later();
        assertNull(n.fixture.sent.poll(), "the refused read got its one reply already");
    }

    // ---- export cursors ---------------------------------------------------------------------

    private static ObjectNode consistent(boolean stale, int limit) {
        ObjectNode q = list(stale);
        q.put("consistent", true);
        q.putObject("filter").put("limit", limit);
        return q;
    }

    private static ObjectNode page(String cursor, int offset, int limit) {
        ObjectNode q = Codec.objectNode();
        q.put("query", "list");
        q.put("cursor", cursor);
        q.putObject("filter").put("offset", offset).put("limit", limit);
        return q;
    }

    /** Reads cursor {@code id} from {@code offset} to its end; every page from the reader thread. */
    private static List<Expense> rest(Node n, String id, int offset, long total) throws Exception {
        List<Expense> got = new ArrayList<>();
        while (offset + got.size() < total) {
            assertNull(n.ask(page(id, offset + got.size(), 40), REMOTE), "a cursor's page is the reader's");
            ExpenseListReply p = ExpenseListReply.fromJson(n.later().value());
            assertEquals(id, p.cursor());
            assertEquals(total, p.total());
            assertTrue(!p.expenses().isEmpty());
            got.addAll(p.expenses());
        }
        return got;
    }

    @Test
    void anExportReadsOneFrozenViewWhateverIsWrittenBetweenPages() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, true);
        n.fill(200);
        List<Expense> expected = n.fixture.state.ledger().list(dev.raftledger.common.ledger.ExpenseFilter.all());
        assertNull(n.serve(consistent(false, 40), REMOTE), "opened by the reader");
        ExpenseListReply first = ExpenseListReply.fromJson(n.later().value());
        assertNotNull(first.cursor());
        assertEquals(200L, first.total());
        assertEquals(Boolean.FALSE, first.writers(), "no expense records a writer here");
        assertEquals(Boolean.FALSE, first.stale());
        List<Expense> got = new ArrayList<>(first.expenses());
        int pages = 0;
        while (got.size() < 200) {
            n.add(1000 + pages); // writes between pages: new expenses dated among the exported ones
            n.write("{\"op\":\"delete\",\"client_id\":\"c1\",\"seq\":" + (++n.seq) + ",\"id\":\"E" + (pages + 1)
                    + "\"}");
            assertNull(n.ask(page(first.cursor(), got.size(), 40), REMOTE));
            ExpenseListReply p = ExpenseListReply.fromJson(n.later().value());
            assertEquals(first.appliedIndex(), p.appliedIndex(), "every page says the view's index");
            assertEquals(200L, p.total());
            got.addAll(p.expenses());
            pages++;
        }
        assertTrue(pages >= 3, "several pages, with writes between them: " + pages);
        assertEquals(expected, got, "exactly the ledger as it was when the export opened");
        assertTrue(!expected.equals(n.fixture.state.ledger().list(dev.raftledger.common.ledger.ExpenseFilter.all())),
                "while the ledger itself moved on");
    }

    @Test
    void anIdleCursorExpiresAndAnUnknownOneIsRefused() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, true);
        n.fill(30);
        assertNull(n.serve(consistent(false, 5), REMOTE));
        String id = ExpenseListReply.fromJson(n.later().value()).cursor();
        n.clock.addAndGet(ExportCursors.IDLE_MS - 1);
        assertNull(n.ask(page(id, 5, 5), REMOTE));
        assertEquals("RESULT", n.later().keyText(), "read within the idle time");
        n.clock.addAndGet(ExportCursors.IDLE_MS - 1);
        assertNull(n.ask(page(id, 10, 5), REMOTE));
        assertEquals("RESULT", n.later().keyText(), "each page restarts the idle time");
        n.clock.addAndGet(ExportCursors.IDLE_MS + 1);
        assertNull(n.ask(page(id, 15, 5), REMOTE));
        ControllerMessage gone = n.later();
        assertEquals("ERROR", gone.request());
        assertEquals("CURSOR_GONE", gone.keyText());
        assertTrue(gone.value().asText().contains("start the export again"), gone.value().asText());
        assertNull(n.ask(page("nosuchcursor", 0, 5), REMOTE));
        assertEquals("CURSOR_GONE", n.later().keyText());
    }

    @Test
    void badCursorInputIsRefusedAsInvalidAtOnce() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, true);
        n.fill(10);
        List<ObjectNode> bad = new ArrayList<>();
        ObjectNode number = page("x", 0, 5);
        number.put("cursor", 5);
        bad.add(number);
        ObjectNode empty = page("", 0, 5);
        bad.add(empty);
        bad.add(page("x".repeat(65), 0, 5));
        ObjectNode filtered = page("x", 0, 5);
        ((ObjectNode) filtered.get("filter")).put("category", "food");
        bad.add(filtered);
        ObjectNode totals = page("x", 0, 5);
        totals.put("query", "totals");
        bad.add(totals);
        ObjectNode reopen = page("x", 0, 5);
        reopen.put("consistent", true);
        bad.add(reopen);
        ObjectNode negative = page("x", -1, 5);
        bad.add(negative);
        for (ObjectNode q : bad) {
            ControllerMessage r = n.ask(q, REMOTE);
            assertNotNull(r, "refused at once: " + q);
            assertEquals("INVALID", r.keyText(), q.toString());
        }
        ObjectNode consistentTotals = totals("category");
        consistentTotals.put("consistent", true);
        assertEquals("INVALID", n.serve(consistentTotals, REMOTE).keyText());
        assertTrue(n.fixture.sent.isEmpty());
        assertEquals(10, n.fixture.state.ledger().size());
    }

    @Test
    void atMostEightExportsAreOpenAndAFinishedOneGivesUpItsSlot() throws Exception {
        Node n = new Node(true).withReader(ReadWorker.CAPACITY, true);
        n.fill(30);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ExportCursors.MAX_OPEN; i++) {
            assertNull(n.serve(consistent(false, 2), REMOTE));
            ids.add(ExpenseListReply.fromJson(n.later().value()).cursor());
        }
        assertNull(n.serve(consistent(false, 2), REMOTE));
        ControllerMessage full = n.later();
        assertEquals("BUSY", full.keyText());
        assertTrue(full.value().asText().contains("exports are open"), full.value().asText());
        assertEquals(30, rest(n, ids.get(3), 2, 30).size() + 2);
        assertNull(n.serve(consistent(false, 2), REMOTE));
        assertEquals("RESULT", n.later().keyText(), "the finished export's slot was taken");
    }

    @Test
    void aFollowerOpensAStaleExportFromItsOwnStateAndSendsALinearizableOneToTheLeader() throws Exception {
        Node f = new Node(false).withReader(ReadWorker.CAPACITY, true);
        assertEquals(Role.FOLLOWER, f.fixture.core.role());
        for (int i = 0; i < 12; i++) {
            String cmd = "{\"op\":\"add\",\"client_id\":\"c9\",\"seq\":" + (i + 1) + ",\"amount\":\"1.00\",\"currency\":"
                    + "\"EUR\",\"category\":\"food\",\"description\":\"x\",\"payer\":\"ana\",\"date\":\"2026-11-0"
                    + (1 + i % 9) + "\"}";
            f.fixture.state.ledger().apply(i, 1, Codec.readTree(cmd.getBytes(StandardCharsets.UTF_8)));
        }
        ControllerMessage referred = f.ask(consistent(false, 5), REMOTE);
        assertNotNull(referred);
        assertEquals("LEADER_INFO", referred.request(), "only the leader opens a linearizable export");
        assertNull(f.ask(consistent(true, 5), REMOTE), "a stale one, from its own state");
        ExpenseListReply first = ExpenseListReply.fromJson(f.later().value());
        assertEquals(Boolean.TRUE, first.stale());
        assertEquals(11L, first.appliedIndex());
        assertEquals(12L, first.total());
        assertEquals(12, rest(f, first.cursor(), 5, 12).size() + 5);
    }
}
