package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseListReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads off the event loop and export cursors in real nodes (raftd wires its reader thread):
 * a text-filtered read is answered; an export opened on the leader reads the ledger as it was
 * then, whatever is written between its pages; another node does not know the cursor; a
 * follower opens a stale export from its own state; and the leader's STATUS reports its
 * heartbeat gaps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportCursorIT {

    private static final Duration ASK = Duration.ofSeconds(5);
    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ControllerMessage ask(String node, ObjectNode value) {
        Answer a = cluster.ask(node, new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, value), ASK);
        assertTrue(a.answered(), node + " answered " + value);
        return a.reply();
    }

    private static ObjectNode list(boolean stale) {
        ObjectNode q = Codec.objectNode();
        q.put("query", "list").put("stale", stale);
        return q;
    }

    @Test
    void anExportReadsOnePointOfARunningClusterPageByPage() throws Exception {
        cluster = LocalCluster.on(Path.of("target", "it", "export-cursor"), "127.0.0.171", 3, Ports.SEED).startAll();
        String leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20)).leader();
        LedgerClient writer = new LedgerClient(cluster.spec(), "export-it");
        for (int i = 0; i < 120; i++) {
            writer.addDescribed("1." + (10 + i % 90), "EUR", i % 2 == 0 ? "food" : "rent", "ana", "before " + i);
        }

        ObjectNode text = list(false);
        text.putObject("filter").put("text", "BEFORE 1").put("limit", 5);
        ExpenseListReply found = ExpenseListReply.fromJson(ask(leader, text).value());
        assertEquals(31L, found.total(), "before 1, before 10-19, before 100-119: from the reader thread");

        ObjectNode open = list(false);
        open.put("consistent", true);
        open.putObject("filter").put("limit", 25);
        ExpenseListReply first = ExpenseListReply.fromJson(ask(leader, open).value());
        assertNotNull(first.cursor());
        assertEquals(120L, first.total());
        List<Expense> got = new ArrayList<>(first.expenses());
        while (got.size() < 120) {
            writer.addDescribed("9.99", "EUR", "food", "bo", "meanwhile " + got.size()); // between pages
            ObjectNode page = Codec.objectNode();
            page.put("query", "list").put("cursor", first.cursor());
            page.putObject("filter").put("offset", got.size()).put("limit", 25);
            ExpenseListReply p = ExpenseListReply.fromJson(ask(leader, page).value());
            assertEquals(first.appliedIndex(), p.appliedIndex());
            assertTrue(!p.expenses().isEmpty());
            got.addAll(p.expenses());
        }
        assertEquals(120, got.size());
        for (Expense e : got) {
            assertTrue(e.description().startsWith("before "), "nothing written after it opened: " + e);
        }

        String follower = cluster.others(leader).get(0);
        ObjectNode elsewhere = Codec.objectNode();
        elsewhere.put("query", "list").put("cursor", first.cursor());
        ControllerMessage gone = ask(follower, elsewhere);
        assertEquals("ERROR", gone.request());
        assertEquals("CURSOR_GONE", gone.keyText(), "a cursor lives on the node that opened it");

        ObjectNode staleOpen = list(true);
        staleOpen.put("consistent", true);
        ExpenseListReply fromFollower = ExpenseListReply.fromJson(ask(follower, staleOpen).value());
        assertEquals(Boolean.TRUE, fromFollower.stale());
        assertNotNull(fromFollower.cursor());
        assertTrue(fromFollower.total() >= 120, "its own applied state: " + fromFollower.total());
        assertEquals("LEADER_INFO", ask(follower, open).request(), "a linearizable export goes to the leader");

        long gap = cluster.awaitStatus(leader, ASK).path("counters").path("max_heartbeat_gap_ms").asLong();
        assertTrue(gap >= 50 && gap < 5_000, "the leader's longest heartbeat interval: " + gap);
    }
}
