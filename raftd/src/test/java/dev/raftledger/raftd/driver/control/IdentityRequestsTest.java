package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Opened;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.common.wire.WhoamiReply;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Requester;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHOAMI and STATUS's keyring, through the controller handler: the caller is named by the key
 * its request came with (the Requester the listener made of the datagram's source), or, without
 * a cluster key, is no one in particular with every right; STATUS shows the keyring only on a
 * node with a key, and fingerprints only.
 */
class IdentityRequestsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final String NODE_SECRET = "4".repeat(64);
    private static final String OTHER_NODE_SECRET = "5".repeat(64);
    private static final String ALICE_SECRET = "a".repeat(64);

    private static ControllerHandler handler(ClusterAuth auth, DriverCounters counters) {
        RaftCore core = new RaftCore("Node1", List.of("Node1", "Node2", "Node3"), Timings.SEED,
                new HardState(0, null), LogPosition.EMPTY, new SplittableRandom(7), 0);
        ReplicatedState state = ReplicatedState.empty();
        PendingWrites pending = new PendingWrites();
        Replies replies = new Replies(core, new DatagramBudget(DatagramBudget.DEFAULT_BYTES, auth));
        LedgerRequests ledger = new LedgerRequests(core, state, pending, replies);
        return new ControllerHandler(core, state, pending, ledger, new LinearizableReads(), replies, counters,
                "127.0.0.1", 0);
    }

    private static ControllerMessage ask(ControllerHandler h, String request, InetSocketAddress from) {
        return h.handle(ControllerMessage.request(request), from, 10).reply();
    }

    private static ClusterAuth nodeAuth() {
        return ClusterAuth.forNode(Keyring.of(List.of(NODE_SECRET, OTHER_NODE_SECRET),
                Map.of("alice", Map.entry(Role.CLERK, ALICE_SECRET))), "Node1");
    }

    /** The key the node opens alice's datagrams with, as its listener would (through her credential file). */
    private static Key alicesKeyAtTheNode(ClusterAuth node, Path dir) throws Exception {
        Path credential = dir.resolve("alice.credential");
        Files.writeString(credential, "alice " + ALICE_SECRET + "\n");
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
        ClusterAuth alice = ClusterAuth.with(Keyring.forOperator(credential));
        byte[] sealed = alice.seal("{}".getBytes(), "Node1");
        Opened opened = node.open(sealed, 0, sealed.length);
        return opened.key();
    }

    @Test
    void withoutAKeyTheCallerIsNoOneInParticularWithEveryRight() {
        ControllerMessage r = ask(handler(ClusterAuth.none(), new DriverCounters()), "WHOAMI", CLIENT);
        assertEquals("WHOAMI", r.request());
        assertEquals("RESULT", r.keyText());
        WhoamiReply w = WhoamiReply.fromJson(r.value());
        assertEquals(new WhoamiReply(false, null, "admin", false, null), w);
    }

    @Test
    void anOperatorIsNamedWithItsRoleAndKey(@TempDir Path dir) throws Exception {
        ClusterAuth node = nodeAuth();
        Key alice = alicesKeyAtTheNode(node, dir);
        ControllerMessage r = ask(handler(node, new DriverCounters()), "WHOAMI", new Requester(CLIENT, alice));
        assertEquals(new WhoamiReply(true, "alice", "clerk", false, alice.fingerprint()),
                WhoamiReply.fromJson(r.value()), r.toString());
    }

    @Test
    void aNodeKeyActsAsTheNodeIdentityAnAdmin() {
        ClusterAuth node = nodeAuth();
        Key second = node.keyring().nodeKeys().get(1);
        ControllerMessage r = ask(handler(node, new DriverCounters()), "WHOAMI", new Requester(CLIENT, second));
        assertEquals(new WhoamiReply(true, "node", "admin", true, second.fingerprint()), WhoamiReply.fromJson(r.value()),
                "the key the request came with, not the primary");
    }

    @Test
    void statusShowsTheKeyringByFingerprintOnlyWithAKey(@TempDir Path dir) throws Exception {
        ClusterAuth node = nodeAuth();
        alicesKeyAtTheNode(node, dir); // one datagram opened under alice's key
        DriverCounters counters = new DriverCounters();
        counters.keyringReloads.set(3);
        counters.keyringReloadFailures.set(1);
        ControllerMessage r = ask(handler(node, counters), "STATUS", new Requester(CLIENT, node.keyring().primary()));
        StatusReply.Keyring k = StatusReply.fromJson(r.value()).keyring();
        Keyring ring = node.keyring();
        assertEquals(ring.primary().fingerprint(), k.primary());
        assertEquals(List.of(ring.nodeKeys().get(0).fingerprint(), ring.nodeKeys().get(1).fingerprint()), k.keys());
        assertEquals(1L, k.operators());
        assertEquals(1, node.openedByKey().size(), "the node opened alice's datagram: " + node.openedByKey());
        assertEquals(Map.of(), k.openedByKey(), "STATUS counts node keys only (operators' are in the metrics)");
        byte[] fromANode = ClusterAuth.with(Keyring.of(List.of(OTHER_NODE_SECRET), Map.of())).seal("{}".getBytes(), "Node1");
        node.open(fromANode, 0, fromANode.length);
        StatusReply.Keyring again = StatusReply.fromJson(ask(handler(node, counters), "STATUS",
                new Requester(CLIENT, node.keyring().primary())).value()).keyring();
        assertEquals(Map.of(ring.nodeKeys().get(1).fingerprint(), 1L), again.openedByKey(), "a node key's datagram counts");
        assertEquals(3L, k.reloads());
        assertEquals(1L, k.reloadFailures());
        String text = r.value().toString();
        for (String secret : List.of(NODE_SECRET, OTHER_NODE_SECRET, ALICE_SECRET)) {
            assertFalse(text.contains(secret.substring(0, 16)), "no secret in STATUS: " + text);
        }

        JsonNode plain = ask(handler(ClusterAuth.none(), new DriverCounters()), "STATUS", CLIENT).value();
        assertFalse(plain.has("keyring"), "no keyring without a key: " + plain);
        assertNull(StatusReply.fromJson(plain).keyring());
    }

    @Test
    void theCapturedCredentialOpensOnlyAtANodeThatKnowsIt(@TempDir Path dir) throws Exception {
        // the fixture's own premise: alice's credential is known by its secret, not by its name
        ClusterAuth stranger = ClusterAuth.with(Keyring.of(List.of(NODE_SECRET), Map.of()));
        try {
            alicesKeyAtTheNode(stranger, dir);
            throw new AssertionError("opened under an operator key the node does not have");
        } catch (AuthException expected) {
            assertTrue(expected.getMessage().contains("not installed"), expected.getMessage());
        }
    }
}
