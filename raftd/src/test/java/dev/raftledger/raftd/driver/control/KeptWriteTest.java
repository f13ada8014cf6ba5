package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerWrite;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import org.junit.jupiter.api.Test;

/**
 * A leader decodes and validates each EXPENSE once, when it accepts it, and applies the write it
 * kept then when the entry commits: never the entry's bytes again. Shown by handing the applier,
 * at the write's index and term, an entry whose bytes say something else: the kept write is what
 * the ledger gets. An entry of another term at that index (another leader's) is applied from its
 * bytes, and the client is told its write was lost.
 */
class KeptWriteTest {

    /**
     * One voter leading, with a learner; the test never runs a write's output, so nothing but the
     * no-op commits and the applier gets what the test hands it.
     */
    private final LeadingNodeFixture n = LeadingNodeFixture.builder().withLearner().now(1).build();

    private static ControllerMessage add(int seq, String amount) throws Exception {
        return new ControllerMessage("raftctl", "EXPENSE", null, null, Codec.readTree("{\"op\":\"add\",\"client_id\":\"c1\","
                + "\"seq\":" + seq + ",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"category\":\"food\","
                + "\"payer\":\"ana\",\"date\":\"2026-11-25\"}"), false);
    }

    /** The entry the leader appended for its last write, and that write's kept decoding. */
    private Entry proposed(ControllerMessage request) {
        ControllerHandler.Result r = n.handler.handle(request, LeadingNodeFixture.LOCAL, 2);
        assertNull(r.reply(), "accepted: answered once applied");
        assertEquals(1, r.output().append().size());
        return r.output().append().get(0);
    }

    @Test
    void theLeaderAppliesTheWriteItKeptNotTheEntrysBytes() throws Exception {
        Entry e = proposed(add(1, "12.5"));
        LedgerWrite kept = LedgerCodec.writeFromLog(Codec.readTree(e.data().bytes()));
        assertEquals("12.50", ((dev.raftledger.common.ledger.LedgerCommand.Add) kept.command()).expense().amount().amountText());
        // the same index and term, other bytes: had the applier decoded them, the expense would be 99.00
        Payload other = Payload.ofJson(e.data().text().replace("12.50", "99.00"));
        n.applier.apply(new Entry(e.index(), e.term(), other));
        assertEquals("12.50", n.state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
        JsonNode reply = n.lastSent().value();
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        assertEquals("12.50", reply.get("expense").get("amount").asText());
    }

    @Test
    void anotherLeadersEntryAtThatIndexIsAppliedFromItsBytes() throws Exception {
        Entry e = proposed(add(1, "12.5"));
        Payload theirs = Payload.ofJson(e.data().text().replace("12.50", "99.00").replace("\"c1\"", "\"c9\""));
        n.applier.apply(new Entry(e.index(), e.term() + 1, theirs));
        assertEquals("99.00", n.state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
        ControllerMessage reply = n.lastSent();
        assertEquals("ERROR", reply.request(), reply.toString());
        assertEquals("NOT_COMMITTED", reply.key().asText(), reply.toString());
    }

    @Test
    void aFollowerOrARestartedNodeAppliesTheBytes() throws Exception {
        Entry e = proposed(add(1, "12.5"));
        n.pending.drain(); // as after a restart or a change of leader: nothing kept
        n.applier.apply(e);
        assertEquals("12.50", n.state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
    }
}
