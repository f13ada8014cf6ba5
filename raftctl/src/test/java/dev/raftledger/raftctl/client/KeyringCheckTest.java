package dev.raftledger.raftctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.StatusReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The findings of keyring status, from the keyrings the nodes report, step by step through a rotation. */
class KeyringCheckTest {

    static final String K1 = "1111111111111111";
    static final String K2 = "2222222222222222";
    static final String OP = "aaaaaaaaaaaaaaaa";

    /** A keyring sealing with {@code primary}, holding {@code keys}, each key having opened {@code opened} datagrams. */
    static StatusReply.Keyring ring(String primary, List<String> keys, long operators, long opened) {
        Map<String, Long> by = new LinkedHashMap<>();
        keys.forEach(k -> by.put(k, opened));
        by.put(OP, 3L);
        return new StatusReply.Keyring(primary, keys, operators, by, 0L, 0L);
    }

    static KeyringCheck.Node node(String name, StatusReply.Keyring k) {
        return new KeyringCheck.Node(name, "127.0.0.1", true, k, null);
    }

    static KeyringCheck.Node down(String name) {
        return new KeyringCheck.Node(name, "127.0.0.1", false, null, "no reply within 200 ms");
    }

    static List<KeyringCheck.Node> three(StatusReply.Keyring a, StatusReply.Keyring b, StatusReply.Keyring c) {
        return List.of(node("Node1", a), node("Node2", b), node("Node3", c));
    }

    static List<KeyringCheck.Kind> kinds(KeyringCheck c) {
        return c.verdicts().stream().map(KeyringCheck.Verdict::kind).toList();
    }

    @Test
    void theSameKeysAndPrimaryEverywhereAreConsistent() {
        KeyringCheck c = KeyringCheck.of(three(ring(K1, List.of(K1), 2, 9), ring(K1, List.of(K1), 2, 9),
                ring(K1, List.of(K1), 2, 9)), true);
        assertEquals(List.of(), c.verdicts());
        assertTrue(c.consistent());
        assertEquals(K1, c.agreedPrimary());
    }

    @Test
    void aRotationStepByStepSaysWhatIsAmissAtEachStep() {
        // 1. K2 installed on Node1 only (not primary): partly installed, nothing dropped yet
        KeyringCheck c = KeyringCheck.of(three(ring(K1, List.of(K1, K2), 2, 9), ring(K1, List.of(K1), 2, 9),
                ring(K1, List.of(K1), 2, 9)), true);
        assertEquals(List.of(KeyringCheck.Kind.PARTIAL_KEY), kinds(c));
        assertEquals("key " + K2 + " is installed on Node1 only, not on Node2, Node3", c.verdicts().get(0).text());
        assertFalse(c.consistent());

        // a mistake: Node1 makes K2 primary before the others have it: they drop its datagrams
        c = KeyringCheck.of(three(ring(K2, List.of(K1, K2), 2, 9), ring(K1, List.of(K1), 2, 9),
                ring(K1, List.of(K1), 2, 9)), true);
        assertEquals(List.of(KeyringCheck.Kind.PRIMARY_NOT_ACCEPTED), kinds(c));
        assertEquals("Node1 seals with " + K2 + ", which Node2, Node3 do not accept: Node2, Node3 drop Node1's datagrams",
                c.verdicts().get(0).text());

        // one node lacking it: the brief's wording exactly
        c = KeyringCheck.of(three(ring(K2, List.of(K1, K2), 2, 9), ring(K1, List.of(K1, K2), 2, 9),
                ring(K1, List.of(K1), 2, 9)), true);
        assertEquals("Node1 seals with " + K2 + ", which Node3 does not accept: Node3 drops Node1's datagrams",
                c.verdicts().get(0).text());

        // 2. K2 everywhere, primary on Node1 only: every node accepts both, but they seal differently
        c = KeyringCheck.of(three(ring(K2, List.of(K1, K2), 2, 9), ring(K1, List.of(K1, K2), 2, 9),
                ring(K1, List.of(K1, K2), 2, 9)), true);
        assertEquals(List.of(KeyringCheck.Kind.PRIMARY_DIFFERS), kinds(c));
        assertTrue(c.verdicts().get(0).text().startsWith("the nodes seal with different keys: Node1 with " + K2
                + "; Node2, Node3 with " + K1), c.verdicts().get(0).text());

        // 3. K2 primary everywhere, K1 still installed and no longer used by anyone: safe to remove
        Map<String, Long> opened = new LinkedHashMap<>(Map.of(K1, 0L, K2, 50L));
        StatusReply.Keyring done = new StatusReply.Keyring(K2, List.of(K1, K2), 2L, opened, 1L, 0L);
        c = KeyringCheck.of(three(done, done, done), true);
        assertEquals(List.of(KeyringCheck.Kind.UNUSED_KEY), kinds(c));
        assertEquals("key " + K1 + " opened no datagram on any node since it started, and no node seals with it: "
                + "safe to remove", c.verdicts().get(0).text());
        assertTrue(c.consistent(), "an unused key is advice, not a problem");

        // ...but not while a client still seals with it somewhere
        Map<String, Long> stillUsed = new LinkedHashMap<>(Map.of(K1, 4L, K2, 50L));
        c = KeyringCheck.of(three(done, new StatusReply.Keyring(K2, List.of(K1, K2), 2L, stillUsed, 1L, 0L), done), true);
        assertEquals(List.of(), c.verdicts());
    }

    @Test
    void keysAreNeverCalledSafeToRemoveWhileANodeIsSilent() {
        Map<String, Long> opened = new LinkedHashMap<>(Map.of(K1, 0L, K2, 50L));
        StatusReply.Keyring k = new StatusReply.Keyring(K2, List.of(K1, K2), 2L, opened, 1L, 0L);
        KeyringCheck c = KeyringCheck.of(List.of(node("Node1", k), node("Node2", k), down("Node3")), true);
        assertEquals(List.of(KeyringCheck.Kind.NOT_ANSWERING), kinds(c));
        assertEquals("Node3: no answer (no reply within 200 ms); its keyring is unknown", c.verdicts().get(0).text());
        assertFalse(c.consistent());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void operatorsFilesThatDifferAndReloadFailuresAreNamed() {
        StatusReply.Keyring failing = new StatusReply.Keyring(K1, List.of(K1), 2L, Map.of(K1, 5L), 0L, 2L);
        KeyringCheck c = KeyringCheck.of(three(ring(K1, List.of(K1), 2, 9), ring(K1, List.of(K1), 3, 9), failing), true);
        assertEquals(List.of(KeyringCheck.Kind.OPERATORS_DIFFER, KeyringCheck.Kind.RELOAD_FAILURES), kinds(c));
        assertEquals("the nodes accept different numbers of operator credentials (Node1, Node3 2; Node2 3): their "
                + "operators files differ, or one was not reloaded", c.verdicts().get(0).text());
        assertEquals("Node3 refused 2 reloads of its key files since it started (its log says why); it keeps the "
                + "keyring shown", c.verdicts().get(1).text());
    }

    @Test
    void aNodeWithoutAKeyAmongKeyedOnesIsAProblemWhenRaftctlHasNoKey() {
        List<KeyringCheck.Node> nodes = new ArrayList<>(List.of(node("Node1", ring(K1, List.of(K1), 0, 9)),
                node("Node2", null)));
        KeyringCheck c = KeyringCheck.of(nodes, false);
        assertEquals(List.of(KeyringCheck.Kind.NO_KEY), kinds(c));
        assertEquals("Node2 has no cluster key, unlike Node1: it and they drop each other's datagrams",
                c.verdicts().get(0).text());

        // answered a sealed request: it has a key, it only does not say (an older raftd)
        c = KeyringCheck.of(nodes, true);
        assertEquals(List.of(KeyringCheck.Kind.NOT_REPORTED), kinds(c));
        assertFalse(c.consistent());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void noKeyAnywhereIsConsistentAndSaysWhatThatMeans() {
        KeyringCheck c = KeyringCheck.of(List.of(node("Node1", null), node("Node2", null)), false);
        assertEquals(List.of(KeyringCheck.Kind.NO_KEY_ANYWHERE), kinds(c));
        assertEquals("no node has a cluster key: anyone who reaches the controller port acts as admin "
                + "(docs/security.md)", c.verdicts().get(0).text());
        assertTrue(c.consistent());
    }
}
