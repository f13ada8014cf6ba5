package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Opened;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.driver.net.Requester;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each write records who made it: the leader stamps the name of the identity whose key sealed an
 * EXPENSE ({@link Requester#identityOf}) into the entry it proposes, the ledger records it as the
 * expense's created_by/updated_by, and the reply, EXPENSES and LOG show it. Requests are sealed
 * with an operator's own credential and opened with the node's keyring, as the Listener does.
 * Without a key nothing is recorded; the gate that keeps stamps from older releases holds names
 * back too; a client's own {@code by} is refused. A voter and a learner, the voter leading.
 */
class WriterStampTest {

    private static final String NODE_SECRET = "5f1c0a9e2d7b48c3a6e1f0d9b8c7a6e5f4d3c2b1a09f8e7d6c5b4a3928170615";
    private static final String ALICE_SECRET = "a11ce0000000000000000000000000000000000000000000000000000000a11c";
    private static final String BOB_SECRET = "b0b0000000000000000000000000000000000000000000000000000000000b0b";
    private static final long T0 = 1_796_601_600_000L;

    @TempDir
    Path dir;

    /** The node's keyring, which opens what an operator seals, as the Listener's does. */
    private final ClusterAuth auth = ClusterAuth.forNode(Keyring.of(List.of(NODE_SECRET),
            Map.of("alice", Map.entry(dev.raftledger.common.auth.Role.CLERK, ALICE_SECRET), "bob",
                    Map.entry(dev.raftledger.common.auth.Role.ADMIN, BOB_SECRET))), "Solo");

    /**
     * A voter leading with a learner beside it, stamping {@link #T0} and {@code ttl}.
     *
     * @param learnerReadsStamps whether the learner has said, in this term, that it reads stamps
     */
    private static LeadingNodeFixture node(long ttl, boolean learnerReadsStamps) {
        LeadingNodeFixture n = LeadingNodeFixture.builder().withLearner().now(1).wallClock(() -> T0).sessionTtl(ttl)
                .build();
        if (learnerReadsStamps) {
            n.ledger.levels().reply("Learner", n.core.term(), FeatureLevels.STAMPS);
        }
        return n;
    }

    /**
     * {@code request} from {@code credential} (an operator's own keyring; null: plain, no key):
     * sealed with it and opened with the node's keyring, as the Listener does; the reply, sent
     * at once or once applied.
     */
    private ControllerMessage ask(LeadingNodeFixture n, ControllerMessage request, Keyring credential)
            throws Exception {
        InetSocketAddress from = LeadingNodeFixture.LOCAL;
        if (credential != null) {
            byte[] sealed = ClusterAuth.with(credential).seal(Codec.encode(request), "Solo");
            Opened opened = auth.open(sealed, 0, sealed.length);
            assertEquals(request, Codec.decodeController(opened.message(), 0, opened.message().length));
            from = new Requester(LeadingNodeFixture.LOCAL, opened.key());
        }
        int before = n.sent.size();
        ControllerMessage now = n.ask(request, from);
        if (now != null) {
            return now;
        }
        assertEquals(before + 1, n.sent.size(), "one reply once applied");
        return n.lastSent();
    }

    private static ControllerMessage expense(String json) throws Exception {
        return new ControllerMessage("raftctl", "EXPENSE", null, null, Codec.readTree(json));
    }

    private static ControllerMessage add(String client, long seq) throws Exception {
        return expense("{\"op\":\"add\",\"client_id\":\"" + client + "\",\"seq\":" + seq
                + ",\"amount\":\"12.50\",\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\","
                + "\"date\":\"2026-11-25\"}");
    }

    private Keyring credential(String name, String secret) throws Exception {
        Path file = dir.resolve(name + ".credential");
        Files.writeString(file, name + " " + secret + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return Keyring.forOperator(file);
    }

    private JsonNode list(LeadingNodeFixture n) throws Exception {
        ControllerMessage r = ask(n, new ControllerMessage("raftctl", "EXPENSES", null, null,
                Codec.readTree("{\"query\":\"list\",\"stale\":true}")), null);
        assertEquals("RESULT", r.keyText(), r.toString());
        return r.value().get("expenses");
    }

    @Test
    void aWriteThroughAlicesKeyRecordsAliceAndTheReplyListAndLogShowIt() throws Exception {
        LeadingNodeFixture n = node(24 * 3_600_000L, true);
        Keyring alice = credential("alice", ALICE_SECRET);
        Keyring bob = credential("bob", BOB_SECRET);

        ControllerMessage reply = ask(n, add("c1", 1), alice);
        JsonNode result = reply.value();
        assertTrue(result.get("ok").asBoolean(), reply.toString());
        assertEquals("alice", result.get("expense").get("created_by").asText(), reply.toString());
        assertEquals("alice", result.get("expense").get("updated_by").asText());
        JsonNode entry = n.lastEntry();
        assertEquals("alice", entry.get("by").asText(), entry.toString());
        assertEquals(T0, entry.get("time").asLong(), "the time stamp as before");
        String id = result.get("id").asText();

        ControllerMessage edited = ask(n, expense("{\"op\":\"edit\",\"client_id\":\"c2\",\"seq\":1,\"id\":\"" + id
                + "\",\"category\":\"travel\"}"), bob);
        assertEquals("bob", edited.value().get("expense").get("updated_by").asText(), edited.toString());

        JsonNode listed = list(n).get(0);
        assertEquals("alice", listed.get("created_by").asText(), listed.toString());
        assertEquals("bob", listed.get("updated_by").asText());
        assertEquals("travel", listed.get("category").asText());

        ControllerMessage log = ask(n, new ControllerMessage("raftctl", "LOG", null, null,
                Codec.readTree("{\"from\":0,\"limit\":100}")), null);
        JsonNode entries = log.value().get("entries");
        JsonNode last = entries.get(entries.size() - 1).get("data");
        assertEquals("bob", last.get("by").asText(), "LOG shows the stamp: " + last);
        assertEquals("edit", last.get("op").asText());
    }

    @Test
    void aNameIsRecordedWithASessionTtlOfZeroWithoutATime() throws Exception {
        LeadingNodeFixture n = node(0, true);
        ControllerMessage reply = ask(n, add("c1", 1), credential("alice", ALICE_SECRET));
        assertEquals("alice", reply.value().get("expense").get("created_by").asText(), reply.toString());
        JsonNode entry = n.lastEntry();
        assertEquals("alice", entry.get("by").asText(), entry.toString());
        assertFalse(entry.has("time"), entry.toString());
        assertFalse(entry.has("session_ttl"));
        assertEquals(0, n.state.ledger().clock());
    }

    @Test
    void withoutAKeyNothingIsRecordedAndTheEntryIsAsBefore() throws Exception {
        LeadingNodeFixture n = node(0, true);
        ControllerMessage reply = ask(n, add("c1", 1), null);
        JsonNode expense = reply.value().get("expense");
        assertFalse(expense.has("created_by"), expense.toString());
        assertFalse(expense.has("updated_by"), expense.toString());
        assertEquals("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"12.50\",\"currency\":\"EUR\","
                + "\"category\":\"food\",\"description\":\"\",\"payer\":\"ana\",\"date\":\"2026-11-25\"}",
                new String(n.core.entry(n.core.lastIndex()).data().bytes(), StandardCharsets.UTF_8));
        assertNull(n.state.ledger().get(expense.get("id").asText()).orElseThrow().createdBy());
    }

    @Test
    void aMemberThatHasNotSaidItReadsStampsHoldsNamesBackToo() throws Exception {
        LeadingNodeFixture n = node(0, false);
        Keyring alice = credential("alice", ALICE_SECRET);
        ControllerMessage reply = ask(n, add("c1", 1), alice);
        assertTrue(reply.value().get("ok").asBoolean(), reply.toString());
        assertFalse(n.lastEntry().has("by"), "the learner has not said it reads stamps: " + n.lastEntry());
        n.ledger.levels().reply("Learner", n.core.term(), FeatureLevels.STAMPS);
        ask(n, add("c1", 2), alice);
        assertEquals("alice", n.lastEntry().get("by").asText(), n.lastEntry().toString());
    }

    @Test
    void aClientThatSaysWhoWroteIsRefusedAndNothingIsAppended() throws Exception {
        LeadingNodeFixture n = node(24 * 3_600_000L, true);
        long last = n.core.lastIndex();
        ControllerMessage reply = ask(n, expense("{\"op\":\"add\",\"client_id\":\"c1\",\"seq\":1,\"amount\":\"1.00\","
                + "\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ana\",\"date\":\"2026-11-25\","
                + "\"by\":\"bob\"}"), credential("alice", ALICE_SECRET));
        assertEquals("ERROR", reply.request(), reply.toString());
        assertEquals("INVALID", reply.keyText(), reply.toString());
        assertEquals("by: is recorded by the leader from the key the request was sealed with; a client may not set it"
                + " (leave the field out)", reply.value().asText());
        assertEquals(last, n.core.lastIndex(), "nothing appended");
        assertEquals(0, n.state.ledger().size());
    }
}
