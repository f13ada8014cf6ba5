package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerWrite;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
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
import org.junit.jupiter.api.Test;

/**
 * A leader decodes and validates each EXPENSE once, when it accepts it, and applies the write it
 * kept then when the entry commits: never the entry's bytes again. Shown by handing the applier,
 * at the write's index and term, an entry whose bytes say something else: the kept write is what
 * the ledger gets. An entry of another term at that index (another leader's) is applied from its
 * bytes, and the client is told its write was lost.
 */
class KeptWriteTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    /** One voter leading, with a learner so that nothing commits until the test applies it. */
    private final RaftCore core = new RaftCore("Solo", ClusterConfig.of(List.of(
            new ClusterConfig.Member("Solo", "127.0.0.9", ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Learner", "127.0.0.10", ClusterConfig.Suffrage.LEARNER))), Timings.SEED,
            Limits.RECOMMENDED, HardState.INITIAL, LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
    private final ReplicatedState state = ReplicatedState.empty();
    private final PendingWrites pending = new PendingWrites();
    private final List<ControllerMessage> sent = new ArrayList<>();
    private final ControllerHandler handler;
    private final Applier applier;

    KeptWriteTest() {
        Replies replies = new Replies(core);
        LedgerRequests ledger = new LedgerRequests(core, state, pending, replies, () -> 0L, 0);
        handler = new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies,
                new DriverCounters(), "127.0.0.9", 0);
        Outbox out = new Outbox() {
            @Override public void toPeer(String peer, PeerMessage message) {}

            @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
                try {
                    sent.add(Codec.decodeController(payload, 0, payload.length));
                } catch (dev.raftledger.common.wire.MalformedMessageException e) {
                    throw new AssertionError(e);
                }
            }
        };
        applier = new Applier(state, pending, handler, ledger, out);
        Output elected = core.forceElection(1);
        assertEquals(Role.LEADER, core.role());
        for (Entry e : elected.append()) {
            applier.apply(e); // the no-op
        }
    }

    private static ControllerMessage add(int seq, String amount) throws Exception {
        return new ControllerMessage("raftctl", "EXPENSE", null, null, Codec.readTree("{\"op\":\"add\",\"client_id\":\"c1\","
                + "\"seq\":" + seq + ",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"category\":\"food\","
                + "\"payer\":\"ana\",\"date\":\"2026-11-25\"}"), false);
    }

    /** The entry the leader appended for its last write, and that write's kept decoding. */
    private Entry proposed(ControllerMessage request) {
        ControllerHandler.Result r = handler.handle(request, CLIENT, 2);
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
        applier.apply(new Entry(e.index(), e.term(), other));
        assertEquals("12.50", state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
        JsonNode reply = sent.get(sent.size() - 1).value();
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        assertEquals("12.50", reply.get("expense").get("amount").asText());
    }

    @Test
    void anotherLeadersEntryAtThatIndexIsAppliedFromItsBytes() throws Exception {
        Entry e = proposed(add(1, "12.5"));
        Payload theirs = Payload.ofJson(e.data().text().replace("12.50", "99.00").replace("\"c1\"", "\"c9\""));
        applier.apply(new Entry(e.index(), e.term() + 1, theirs));
        assertEquals("99.00", state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
        ControllerMessage reply = sent.get(sent.size() - 1);
        assertEquals("ERROR", reply.request(), reply.toString());
        assertEquals("NOT_COMMITTED", reply.key().asText(), reply.toString());
    }

    @Test
    void aFollowerOrARestartedNodeAppliesTheBytes() throws Exception {
        Entry e = proposed(add(1, "12.5"));
        pending.drain(); // as after a restart or a change of leader: nothing kept
        applier.apply(e);
        assertEquals("12.50", state.ledger().get("E" + e.index()).orElseThrow().amount().amountText());
    }
}
