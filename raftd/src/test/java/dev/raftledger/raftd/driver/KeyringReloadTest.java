package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP's reload: good files replace the keyring at once (a datagram sealed under a key added
 * by the reload opens, one under a key it removed no longer does); a bad file changes nothing
 * and is counted; a node without a key has nothing to reload.
 */
class KeyringReloadTest {

    private static final String K1 = "1".repeat(64);
    private static final String K2 = "2".repeat(64);
    private static final String ALICE = "a".repeat(64);

    private static Path secret(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static boolean opens(ClusterAuth receiver, ClusterAuth sender) {
        byte[] sealed = sender.seal("{\"request\":\"STATUS\"}".getBytes(), "Node1");
        try {
            receiver.open(sealed, 0, sealed.length);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    @Test
    void aReloadInstallsTheFilesKeyringAtOnce(@TempDir Path dir) throws Exception {
        Path keys = secret(dir, "keys", K1 + "\n");
        Path operators = secret(dir, "operators", "alice clerk " + ALICE + "\n");
        ClusterAuth node = ClusterAuth.forNode(Keyring.forNode(keys, operators), "Node1");
        DriverCounters counters = new DriverCounters();
        KeyringReload reload = new KeyringReload("Node1", node, keys, operators, counters);
        ClusterAuth onK2 = ClusterAuth.with(Keyring.of(java.util.List.of(K2), java.util.Map.of()));
        assertFalse(opens(node, onK2), "k2 is not installed yet");

        Files.writeString(keys, K1 + " primary\n" + K2 + "\n");
        assertTrue(reload.reload());
        assertTrue(opens(node, onK2), "k2 opens after the reload");
        assertEquals(2, node.keyring().nodeKeys().size());
        assertEquals(1, node.keyring().operators());

        Files.writeString(keys, K2 + "\n");
        assertTrue(reload.reload());
        Key primary = node.keyring().primary();
        assertEquals(onK2.keyring().primary().fingerprint(), primary.fingerprint(), "k2 seals now");
        ClusterAuth onK1 = ClusterAuth.with(Keyring.of(java.util.List.of(K1), java.util.Map.of()));
        assertFalse(opens(node, onK1), "k1 removed: refused");
        assertEquals(2, counters.keyringReloads());
        assertEquals(0, counters.keyringReloadFailures());
    }

    @Test
    void aBadFileLeavesTheKeyringInForceAndIsCounted(@TempDir Path dir) throws Exception {
        Path keys = secret(dir, "keys", K1 + "\n");
        Path operators = secret(dir, "operators", "alice clerk " + ALICE + "\n");
        ClusterAuth node = ClusterAuth.forNode(Keyring.forNode(keys, operators), "Node1");
        Keyring before = node.keyring();
        DriverCounters counters = new DriverCounters();
        KeyringReload reload = new KeyringReload("Node1", node, keys, operators, counters);

        Files.writeString(keys, K1 + "\n" + K2 + "\n"); // two keys, none marked primary
        assertFalse(reload.reload());
        Files.writeString(keys, K1 + " primary\n");
        Files.writeString(operators, "alice root " + ALICE + "\n"); // no such role
        assertFalse(reload.reload());
        Files.setPosixFilePermissions(operators, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(operators, "alice clerk " + ALICE + "\n");
        assertFalse(reload.reload(), "an operators file others can read");
        Files.delete(keys);
        assertFalse(reload.reload(), "a keys file gone");

        assertSame(before, node.keyring(), "the keyring in force stayed");
        assertEquals(4, counters.keyringReloadFailures());
        assertEquals(0, counters.keyringReloads());
    }

    @Test
    void withoutAKeyThereIsNothingToReload() {
        DriverCounters counters = new DriverCounters();
        KeyringReload reload = new KeyringReload("Node1", ClusterAuth.none(), null, null, counters);
        assertFalse(reload.reload());
        assertFalse(ClusterAuth.none().enabled(), "and none was made");
        assertEquals(0, counters.keyringReloads() + counters.keyringReloadFailures());
        assertThrows(IllegalStateException.class, () -> ClusterAuth.none().reload(Keyring.of(java.util.List.of(K1),
                java.util.Map.of())), "ClusterAuth itself refuses: the reload must not reach it");
    }

    @Test
    void theDescriptionNamesFingerprintsNeverSecrets(@TempDir Path dir) throws Exception {
        Path keys = secret(dir, "keys", K1 + " primary\n" + K2 + "\n");
        Keyring k = Keyring.forNode(keys, null);
        String d = KeyringReload.describe(k);
        assertTrue(d.startsWith("primary " + k.primary().fingerprint() + ", node keys ["), d);
        assertTrue(d.endsWith("], 0 operators"), d);
        assertFalse(d.contains(K1.substring(0, 20)) || d.contains(K2.substring(0, 20)), d);
        assertNotEquals(k.nodeKeys().get(0).fingerprint(), k.nodeKeys().get(1).fingerprint());
    }
}
