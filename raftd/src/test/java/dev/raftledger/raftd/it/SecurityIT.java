package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's hostile tests, process level, on a keyed cluster with a viewer, a clerk and an
 * admin: requests outside a role, an operator's credential forging peer messages, datagrams
 * under a wrong or removed key, truncated or altered, and replays after a restart of the
 * receiver or of the sender. Each is refused and counted (forbidden or auth_failures), nothing
 * in the cluster changes (terms, leader, commit index, ledger and STOREs) and every node stays up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityIT {

    private static final String NODE_KEY = "5ec0" + "1d".repeat(30);
    private static final String OLD_KEY = "01d0" + "e4".repeat(30);
    private static final Duration NO_REPLY = Duration.ofMillis(700);

    private Path dir;
    private Path keysFile;
    private LocalCluster cluster;
    private ClusterAuth viewer;
    private ClusterAuth clerk;
    private ClusterAuth admin;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        dir = Path.of("target", "it", "SecurityIT-" + test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        keysFile = KeyRotationIT.secretFile(dir.resolve("cluster.keys"), NODE_KEY + " primary\n" + OLD_KEY + "\n");
        Path operators = KeyRotationIT.secretFile(dir.resolve("operators"), "vera viewer " + KeyRotationIT.secret("vera")
                + "\ncarl clerk " + KeyRotationIT.secret("carl") + "\nada admin " + KeyRotationIT.secret("ada") + "\n");
        viewer = KeyRotationIT.credential(dir, "vera");
        clerk = KeyRotationIT.credential(dir, "carl");
        admin = KeyRotationIT.credential(dir, "ada");
        cluster = LocalCluster.localFive(dir, "--cluster-key-file", keysFile.toString(),
                "--operators-file", operators.toString()).useAuth(admin).startAll();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    // ---- roles ---------------------------------------------------------------------------------

    @Test
    void aViewerAndAClerkAreRefusedEveryRequestAboveTheirRoleAndNothingChanges() {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        NodeAddress l = cluster.node(leader.leader());
        // something in the ledger and the STOREs, by the roles allowed to write
        assertEquals("COMMITTED", ask(admin, l, new ControllerMessage("Controller", "STORE", null,
                TextNode.valueOf("k"), TextNode.valueOf("v"))).reply().keyText());
        assertTrue(ask(clerk, l, expense("carl-1", 1)).reply().value().path("ok").asBoolean(), "the clerk writes");
        assertEquals("viewer", ask(viewer, l, ControllerMessage.request("WHOAMI")).reply().value().path("role").asText());
        assertEquals("clerk", ask(clerk, l, ControllerMessage.request("WHOAMI")).reply().value().path("role").asText());
        Snapshot before = snapshot(leader.leader());

        int tried = 0;
        List<String> refused = new ArrayList<>();
        for (ControllerRequest r : ControllerRequest.values()) {
            if (r == ControllerRequest.ERROR) {
                continue;
            }
            for (Map.Entry<String, ClusterAuth> who : Map.of("viewer", viewer, "clerk", clerk).entrySet()) {
                Role role = who.getKey().equals("viewer") ? Role.VIEWER : Role.CLERK;
                if (role.permits(r)) {
                    continue;
                }
                Answer a = ask(who.getValue(), l, requestOf(r, leader.leader()));
                tried++;
                assertTrue(a.answered(), who.getKey() + " " + r + ": " + a.error());
                assertEquals("ERROR", a.reply().request(), who.getKey() + " " + r + ": " + a.reply());
                assertEquals("FORBIDDEN", a.reply().keyText(), who.getKey() + " " + r + ": " + a.reply());
                assertTrue(a.reply().valueText().contains(r.name()), a.reply().valueText());
                refused.add(who.getKey() + " " + r);
            }
        }
        assertEquals(20, tried, "11 requests above a viewer, 9 above a clerk: " + refused);
        // the viewer may read, but a read carrying a write's command writes nothing
        ObjectNode sneaky = (ObjectNode) expense("vera-1", 2).value();
        Answer read = ask(viewer, l, new ControllerMessage("Controller", "EXPENSES", null, null, sneaky));
        assertTrue(read.answered(), read.error());
        assertFalse("FORBIDDEN".equals(read.reply().keyText()), read.reply().toString());

        Snapshot after = snapshot(leader.leader());
        assertEquals(before.forbidden.get(leader.leader()) + tried, after.forbidden.get(leader.leader()),
                "each refusal counted once, at the node asked");
        for (String n : cluster.others(leader.leader())) {
            assertEquals(before.forbidden.get(n), after.forbidden.get(n), n);
        }
        before.assertSameState(after);
    }

    /** A request of kind {@code r} with a value that would be served if the role allowed it. */
    private ControllerMessage requestOf(ControllerRequest r, String leader) {
        String other = cluster.others(leader).get(0);
        return switch (r) {
            case STORE -> new ControllerMessage("Controller", "STORE", null, TextNode.valueOf("k2"), TextNode.valueOf("v2"));
            case EXPENSE -> expense("forbidden-1", 1);
            case TRANSFER_LEADER -> new ControllerMessage("Controller", r.name(), null, null,
                    Codec.objectNode().put("to", other));
            case MEMBER_ADD -> new ControllerMessage("Controller", r.name(), null, null,
                    Codec.objectNode().put("name", "Node6").put("host", "127.0.0.6"));
            case MEMBER_PROMOTE, MEMBER_REMOVE -> new ControllerMessage("Controller", r.name(), null, null,
                    Codec.objectNode().put("name", other));
            default -> ControllerMessage.request(r.name());
        };
    }

    private static ControllerMessage expense(String clientId, long seq) {
        ObjectNode cmd = Codec.objectNode().put("op", "add").put("client_id", clientId).put("seq", seq)
                .put("amount", "12.50").put("currency", "EUR").put("category", "security").put("payer", "mallory")
                .put("date", "2026-12-07");
        return new ControllerMessage("Controller", "EXPENSE", null, null, cmd);
    }

    // ---- an operator's credential on the peer ports -------------------------------------------

    @Test
    void anOperatorsCredentialCannotForgePeerMessages() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        String follower = cluster.others(leader.leader()).get(0);
        Snapshot before = snapshot(leader.leader());
        // sealed with the admin's credential: valid datagrams, in a member's name, with a term that
        // would depose the leader if a peer message were taken from an operator
        try (DatagramSocket socket = new DatagramSocket()) {
            for (NodeAddress n : cluster.spec().nodes()) {
                // each sealed for its receiver, so that it opens there and who sealed it is what counts
                byte[] vote = admin.seal(Codec.encode(RequestVote.of(1_000_000, follower, 1_000_000, 999_999)), n.name());
                byte[] append = admin.seal(Codec.encode(AppendEntry.heartbeat(1_000_000, follower, 1_000_000, 999_999)),
                        n.name());
                socket.send(new DatagramPacket(vote, vote.length, n.requestVote()));
                socket.send(new DatagramPacket(append, append.length, n.appendEntry()));
            }
        }
        awaitCounter("forbidden", before.forbidden, 2);
        Snapshot after = snapshot(leader.leader());
        for (String n : cluster.names()) {
            assertEquals(before.forbidden.get(n) + 2, after.forbidden.get(n), n + ": exactly the two forged datagrams");
            assertEquals(before.authFailures.get(n), after.authFailures.get(n), n + ": they opened: the key is valid");
        }
        before.assertSameState(after);
        assertEquals(leader, cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(5)));
    }

    // ---- datagrams that must not open ---------------------------------------------------------

    @Test
    void wrongRemovedTruncatedAndAlteredDatagramsAreDroppedUnanswered() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        String follower = cluster.others(leader.leader()).get(0);
        NodeAddress f = cluster.node(follower);
        ClusterAuth old = ClusterAuth.with(Keyring.of(List.of(OLD_KEY), Map.of()));
        assertEquals("STATUS", ask(old, f, ControllerMessage.request("STATUS")).reply().request(),
                "the old key is installed and works");
        // remove it: rewrite the keys file, SIGHUP every node, wait until each shows one key
        Files.writeString(keysFile, NODE_KEY + "\n");
        for (String n : cluster.names()) {
            cluster.signal(n, "HUP");
        }
        awaitOneKey();
        Snapshot before = snapshot(leader.leader());

        // a TIMEOUT with ack: taken, it would start an election and be answered
        byte[] timeout = Codec.encode(ControllerMessage.request("TIMEOUT").withAck());
        ClusterAuth wrong = ClusterAuth.with(Keyring.of(List.of("0bad" + "5e".repeat(30)), Map.of()));
        byte[] good = admin.seal(timeout, follower);
        byte[] truncatedHeader = java.util.Arrays.copyOf(good, 30);
        byte[] truncatedTag = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] flippedCiphertext = good.clone();
        flippedCiphertext[50] ^= 0x01;
        byte[] flippedCounter = good.clone();
        flippedCounter[33] ^= 0x01;
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("wrong key", wrong.seal(timeout, follower));
        hostile.put("removed key", old.seal(timeout, follower));
        hostile.put("sealed for another node", admin.seal(timeout, leader.leader()));
        hostile.put("truncated into the header", truncatedHeader);
        hostile.put("truncated by a byte", truncatedTag);
        hostile.put("a bit flipped in the ciphertext", flippedCiphertext);
        hostile.put("a bit flipped in the counter", flippedCounter);
        for (Map.Entry<String, byte[]> h : hostile.entrySet()) {
            assertNull(sendOnce(h.getValue(), f.controller()), h.getKey() + " was answered");
        }
        awaitCounter(follower, "auth_failures", before.authFailures.get(follower) + hostile.size());
        Snapshot after = snapshot(leader.leader());
        assertEquals(before.authFailures.get(follower) + hostile.size(), after.authFailures.get(follower),
                "each counted once");
        before.assertSameState(after);
        // the first refusal's reason is logged (the rest may be held back: a line a second)
        assertTrue(Files.readString(cluster.logFile(follower)).contains("which is not installed here (a wrong or "
                + "removed key)"), "the reason is logged");
    }

    // ---- replays --------------------------------------------------------------------------------

    @Test
    void aCapturedDatagramIsRefusedAfterTheReceiverRestarts() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        String target = cluster.others(leader.leader()).get(0);
        NodeAddress t = cluster.node(target);
        long sealedAt = System.nanoTime();
        byte[] captured = admin.seal(Codec.encode(ControllerMessage.request("TIMEOUT").withAck()), target);
        ControllerMessage first = sendOnce(captured, t.controller());
        assertNotNull(first, "the TIMEOUT is taken once");
        assertEquals("TIMEOUT", first.request(), first.toString());
        LeaderView afterTimeout = cluster.awaitLeader(cluster.names(), 5, leader.term(), Duration.ofSeconds(10));

        assertEquals(0, cluster.terminate(target, Duration.ofSeconds(15)));
        // and one sealed the moment before the node starts again (captured in flight, never taken):
        // the node must refuse it too, however close to its start it was sealed
        byte[] sealedJustBefore = admin.seal(Codec.encode(ControllerMessage.request("TIMEOUT").withAck()), target);
        cluster.start(target);
        cluster.awaitStatus(target, Duration.ofSeconds(15));
        LeaderView settled = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(15));
        assertTrue(settled.term() >= afterTimeout.term());
        Snapshot before = snapshot(settled.leader());

        assertNull(sendOnce(captured, t.controller()), "the replay after the restart is not answered");
        assertNull(sendOnce(sealedJustBefore, t.controller()), "sealed before the restart: not answered");
        awaitCounter(target, "auth_failures", 2);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sealedAt) < 29,
                "replayed within the clock window, so what refused it is the restart check");
        Snapshot after = snapshot(settled.leader());
        assertEquals(2, after.authFailures.get(target), "counted, by the restarted node");
        before.assertSameState(after);
        assertTrue(Files.readString(cluster.logFile(target)).contains("before this process started"),
                "refused as sealed before the receiver started");
    }

    @Test
    void aNewSenderSessionIsTakenAndTheOldSessionsDatagramsAreNot() throws Exception {
        LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20));
        String target = cluster.others(leader.leader()).get(0);
        NodeAddress t = cluster.node(target);
        byte[] captured = admin.seal(Codec.encode(ControllerMessage.request("TIMEOUT").withAck()), target);
        assertNotNull(sendOnce(captured, t.controller()), "taken once");
        LeaderView afterTimeout = cluster.awaitLeader(cluster.names(), 5, leader.term(), Duration.ofSeconds(10));
        cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(15));

        // the sender restarts: a new process, a new session (its counter starts at 1 again)
        ClusterAuth restarted = KeyRotationIT.credential(dir, "ada");
        Answer fresh = ask(restarted, t, ControllerMessage.request("WHOAMI"));
        assertEquals("ada", fresh.reply().value().path("name").asText(), "the new session is taken: " + fresh);
        Snapshot before = snapshot(cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10)).leader());
        assertTrue(before.terms.get(target) >= afterTimeout.term());

        assertNull(sendOnce(captured, t.controller()), "the old session's datagram replayed is not answered");
        awaitCounter(target, "auth_failures", before.authFailures.get(target) + 1);
        Snapshot after = snapshot(before.leader);
        before.assertSameState(after);
        assertTrue(Files.readString(cluster.logFile(target)).contains("a replay (session"), "refused as a replay");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Answer ask(ClusterAuth as, NodeAddress to, ControllerMessage request) {
        return new ControllerClient(Duration.ofSeconds(2), 1, as).ask(to, request);
    }

    /** Sends {@code datagram} once; the reply opened with the admin's credential, or null if none came. */
    private ControllerMessage sendOnce(byte[] datagram, InetSocketAddress to) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) NO_REPLY.toMillis());
            socket.send(new DatagramPacket(datagram, datagram.length, to));
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            try {
                byte[] m = admin.open(p.getData(), p.getOffset(), p.getLength()).message();
                return Codec.decodeController(m, 0, m.length);
            } catch (AuthException e) {
                throw new AssertionError("a reply the admin cannot open: " + e.getMessage());
            }
        }
    }

    private void awaitOneKey() {
        String only = KeyRotationIT.fingerprint(NODE_KEY);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            boolean all = true;
            for (JsonNode s : cluster.statuses(Duration.ofSeconds(5)).values()) {
                JsonNode keys = s.path("keyring").path("keys");
                all &= keys.size() == 1 && only.equals(keys.get(0).asText());
            }
            if (all) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the old key was not removed everywhere");
            LocalCluster.pause();
        }
    }

    /** Waits until every node's {@code counter} is at least its value in {@code before} plus {@code more}. */
    private void awaitCounter(String counter, Map<String, Long> before, long more) {
        for (String n : cluster.names()) {
            awaitCounter(n, counter, before.get(n) + more);
        }
    }

    private void awaitCounter(String node, String counter, long atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cluster.awaitStatus(node, Duration.ofSeconds(5)).path("counters").path(counter).asLong() < atLeast) {
            assertTrue(System.nanoTime() < deadline, node + "'s " + counter + " did not reach " + atLeast);
            LocalCluster.pause();
        }
    }

    /**
     * What must not change: each node's term, leader and commit index, the STOREs and the ledger;
     * taken once every node has applied what the leader committed (a follower learns the commit
     * index a heartbeat later).
     */
    private Snapshot snapshot(String leader) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            java.util.Set<Long> indexes = new java.util.TreeSet<>();
            cluster.statuses(Duration.ofSeconds(5)).values().forEach(s -> {
                indexes.add(s.path("commit_index").asLong());
                indexes.add(s.path("applied_index").asLong());
            });
            if (indexes.size() == 1) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the nodes did not settle on one commit index: " + indexes);
            LocalCluster.pause();
        }
        Map<String, Long> terms = new LinkedHashMap<>();
        Map<String, String> leaders = new LinkedHashMap<>();
        Map<String, Long> commits = new LinkedHashMap<>();
        Map<String, Long> forbidden = new LinkedHashMap<>();
        Map<String, Long> authFailures = new LinkedHashMap<>();
        cluster.statuses(Duration.ofSeconds(5)).forEach((n, s) -> {
            terms.put(n, s.path("term").asLong());
            leaders.put(n, s.path("leader").asText(null));
            commits.put(n, s.path("commit_index").asLong());
            forbidden.put(n, s.path("counters").path("forbidden").asLong());
            authFailures.put(n, s.path("counters").path("auth_failures").asLong());
        });
        Answer stores = cluster.ask(leader, "RETRIEVE", Duration.ofSeconds(2));
        assertEquals("RETRIEVE", stores.reply().request(), stores.toString());
        return new Snapshot(leader, terms, leaders, commits, forbidden, authFailures, stores.reply().value().toString(),
                KeyRotationIT.ids(cluster, leader));
    }

    private record Snapshot(String leader, Map<String, Long> terms, Map<String, String> leaders,
                            Map<String, Long> commits, Map<String, Long> forbidden, Map<String, Long> authFailures,
                            String stores, java.util.Set<String> ledger) {

        void assertSameState(Snapshot after) {
            assertEquals(terms, after.terms, "terms");
            assertEquals(leaders, after.leaders, "leaders");
            assertEquals(commits, after.commits, "commit indexes");
            assertEquals(stores, after.stores, "STOREs");
            assertEquals(ledger, after.ledger, "the ledger");
        }
    }
}
