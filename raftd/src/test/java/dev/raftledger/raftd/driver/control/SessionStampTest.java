package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The leader stamps its wall clock and the session TTL into each EXPENSE entry it proposes, the
 * ledger expires sessions from those stamps, a retry for an expired session is answered
 * SESSION_EXPIRED, and STATUS shows the sessions. A one-voter cluster with a clock the test sets.
 */
class SessionStampTest {

    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_796_601_600_000L;

    /** The leader's wall clock, which the test sets. */
    private final AtomicLong wallClock = new AtomicLong(T0);

    /** The only voter leading, stamping {@link #wallClock} and {@code ttl}. */
    private LeadingNodeFixture node(long ttl) {
        return LeadingNodeFixture.builder().now(1).wallClock(wallClock::get).sessionTtl(ttl).build();
    }

    /** An EXPENSE add; returns the result sent once applied. */
    private static JsonNode add(LeadingNodeFixture n, String client, long seq) throws Exception {
        JsonNode cmd = Codec.readTree("{\"op\":\"add\",\"client_id\":\"" + client + "\",\"seq\":" + seq
                + ",\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\","
                + "\"date\":\"2026-11-25\"}");
        ControllerMessage reply = n.written(LeadingNodeFixture.request("EXPENSE", cmd), LeadingNodeFixture.LOCAL);
        assertEquals("RESULT", reply.keyText(), reply.toString());
        return reply.value();
    }

    private static JsonNode status(LeadingNodeFixture n) {
        return n.ask("STATUS", null).value();
    }

    @Test
    void theLeaderStampsItsClockAndTheTtlAndExpiredSessionsAreRefused() throws Exception {
        LeadingNodeFixture n = node(24 * HOUR);
        assertTrue(add(n, "one-shot", 1).get("ok").asBoolean());
        JsonNode entry = n.lastEntry();
        assertEquals(T0, entry.get("time").asLong(), entry.toString());
        assertEquals(24 * HOUR, entry.get("session_ttl").asLong());
        assertEquals(1, status(n).get("sessions").asLong());
        assertEquals(Ledger.SESSION_BYTES_ESTIMATE, status(n).get("sessions_bytes").asLong());

        // a day and a millisecond later another client writes: the first session expires
        wallClock.set(T0 + 24 * HOUR + 1);
        assertTrue(add(n, "later", 1).get("ok").asBoolean());
        assertEquals(1, status(n).get("sessions").asLong());
        assertFalse(n.state.ledger().session("one-shot").isPresent());

        // the first client's next write: refused, not applied
        int expenses = n.state.ledger().size();
        JsonNode late = add(n, "one-shot", 2);
        assertFalse(late.get("ok").asBoolean());
        assertEquals("SESSION_EXPIRED", late.get("error").asText());
        assertEquals(expenses, n.state.ledger().size());

        // a leader's clock that goes back is stamped as it is; the ledger's clock stays
        wallClock.set(T0);
        add(n, "behind", 1);
        assertEquals(T0, n.lastEntry().get("time").asLong());
        assertEquals(T0 + 24 * HOUR + 1, n.state.ledger().clock());
    }

    @Test
    void aTtlOfZeroStampsNothing() throws Exception {
        LeadingNodeFixture n = node(0);
        assertTrue(add(n, "c", 1).get("ok").asBoolean());
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
        LeadingNodeFixture n = node(24 * HOUR);
        for (int seq = 1; seq <= 5; seq++) {
            add(n, "c", seq);
        }
        long applied = n.state.ledger().appliedIndex();
        n.core.compact(applied - 2);
        assertEquals(applied - 1, n.core.firstIndex());

        JsonNode v = n.ask("LOG", Codec.readTree("{\"from\":0,\"limit\":100}")).value();
        assertEquals(applied - 1, v.get("first_index").asLong(), v.toString());
        assertEquals(2, v.get("entries").size(), v.toString());
        assertEquals(applied - 1, v.get("entries").get(0).get("index").asLong());
    }
}
