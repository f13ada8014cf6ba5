package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
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
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The leader stamps its wall clock and the session TTL into each EXPENSE entry it proposes, the
 * ledger expires sessions from those stamps, a retry for an expired session is answered
 * SESSION_EXPIRED, and STATUS shows the sessions. A one-voter cluster with a clock the test sets.
 */
class SessionStampTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_796_601_600_000L;

    /** The handler and applier around one core, replies recorded, the wall clock the test's. */
    private static final class Node implements Outbox {
        final AtomicLong wallClock = new AtomicLong(T0);
        final RaftCore core = new RaftCore("Solo", ClusterConfig.of(List.of(
                new ClusterConfig.Member("Solo", "127.0.0.9", ClusterConfig.Suffrage.VOTER))), Timings.SEED,
                Limits.RECOMMENDED, HardState.INITIAL, LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
        final ReplicatedState state = ReplicatedState.empty();
        final ControllerHandler handler;
        final Applier applier;
        final List<ControllerMessage> sent = new ArrayList<>();

        Node(long ttl) {
            PendingWrites pending = new PendingWrites();
            Replies replies = new Replies(core);
            LedgerRequests ledger = new LedgerRequests(core, state, pending, replies, wallClock::get, ttl);
            handler = new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies,
                    new DriverCounters(), "127.0.0.9", 0);
            applier = new Applier(state, pending, handler, ledger, this);
            run(core.forceElection(1));
            assertEquals(Role.LEADER, core.role());
        }

        void run(Output out) {
            List<Output> todo = new ArrayList<>(List.of(out));
            while (!todo.isEmpty()) {
                Output o = todo.remove(0);
                for (Entry e : o.apply()) {
                    applier.apply(e);
                }
                if (!o.append().isEmpty()) {
                    todo.add(core.persisted(core.lastIndex(), 1));
                }
            }
        }

        /** An EXPENSE add; returns the result sent once applied. */
        JsonNode add(String client, long seq) throws Exception {
            JsonNode cmd = Codec.readTree("{\"op\":\"add\",\"client_id\":\"" + client + "\",\"seq\":" + seq
                    + ",\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\","
                    + "\"date\":\"2026-11-25\"}");
            ControllerHandler.Result r = handler.handle(new ControllerMessage("raftctl", "EXPENSE", null, null, cmd),
                    CLIENT, 1);
            assertNull(r.reply(), "answered once applied");
            run(r.output());
            ControllerMessage reply = sent.get(sent.size() - 1);
            assertEquals("RESULT", reply.keyText(), reply.toString());
            return reply.value();
        }

        JsonNode lastEntry() throws Exception {
            return Codec.readTree(core.entry(core.lastIndex()).data().bytes());
        }

        JsonNode status() {
            return handler.handle(new ControllerMessage("raftctl", "STATUS", null, null, null), CLIENT, 1)
                    .reply().value();
        }

        @Override public void toPeer(String peer, PeerMessage message) {}

        @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            try {
                sent.add(Codec.decodeController(payload, 0, payload.length));
            } catch (dev.raftledger.common.wire.MalformedMessageException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theLeaderStampsItsClockAndTheTtlAndExpiredSessionsAreRefused() throws Exception {
        Node n = new Node(24 * HOUR);
        assertTrue(n.add("one-shot", 1).get("ok").asBoolean());
        JsonNode entry = n.lastEntry();
        assertEquals(T0, entry.get("time").asLong(), entry.toString());
        assertEquals(24 * HOUR, entry.get("session_ttl").asLong());
        assertEquals(1, n.status().get("sessions").asLong());
        assertEquals(Ledger.SESSION_BYTES_ESTIMATE, n.status().get("sessions_bytes").asLong());

        // a day and a millisecond later another client writes: the first session expires
        n.wallClock.set(T0 + 24 * HOUR + 1);
        assertTrue(n.add("later", 1).get("ok").asBoolean());
        assertEquals(1, n.status().get("sessions").asLong());
        assertFalse(n.state.ledger().session("one-shot").isPresent());

        // the first client's next write: refused, not applied
        int expenses = n.state.ledger().size();
        JsonNode late = n.add("one-shot", 2);
        assertFalse(late.get("ok").asBoolean());
        assertEquals("SESSION_EXPIRED", late.get("error").asText());
        assertEquals(expenses, n.state.ledger().size());

        // a leader's clock that goes back is stamped as it is; the ledger's clock stays
        n.wallClock.set(T0);
        n.add("behind", 1);
        assertEquals(T0, n.lastEntry().get("time").asLong());
        assertEquals(T0 + 24 * HOUR + 1, n.state.ledger().clock());
    }

    @Test
    void aTtlOfZeroStampsNothing() throws Exception {
        Node n = new Node(0);
        assertTrue(n.add("c", 1).get("ok").asBoolean());
        JsonNode entry = n.lastEntry();
        assertFalse(entry.has("time"), entry.toString());
        assertFalse(entry.has("session_ttl"));
        assertEquals(0, n.state.ledger().clock());
        assertEquals(1, n.state.ledger().format(), "the snapshot stays in the format older releases read");
    }

    /**
     * LOG from below the log's first entry once a snapshot has compacted it: a page from the first
     * entry held, with first_index saying where; it used to throw on the event loop and stop the
     * node (found by UpgradeIT, which pages the leader's log after a SNAPSHOT).
     */
    @Test
    void logFromBeforeACompactedPrefixStartsAtTheFirstEntryHeld() throws Exception {
        Node n = new Node(24 * HOUR);
        for (int seq = 1; seq <= 5; seq++) {
            n.add("c", seq);
        }
        long applied = n.state.ledger().appliedIndex();
        n.core.compact(applied - 2);
        assertEquals(applied - 1, n.core.firstIndex());

        ControllerHandler.Result r = n.handler.handle(new ControllerMessage("raftctl", "LOG", null, null,
                Codec.readTree("{\"from\":0,\"limit\":100}")), CLIENT, 1);
        JsonNode v = r.reply().value();
        assertEquals(applied - 1, v.get("first_index").asLong(), v.toString());
        assertEquals(2, v.get("entries").size(), v.toString());
        assertEquals(applied - 1, v.get("entries").get(0).get("index").asLong());
    }
}
