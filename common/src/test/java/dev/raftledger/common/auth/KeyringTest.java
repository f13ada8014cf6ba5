package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

    @TempDir
    Path dir;

    private Path file(String name, String text, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private Path file(String name, String text) throws Exception {
        return file(name, text, "rw-------");
    }

    @Test
    void aBareSecretIsTheOnlyAndPrimaryKeyAsInEarlierReleases() throws Exception {
        Keyring k = Keyring.forNode(file("k", SealerOpenerTest.K1 + "\n"), null);
        assertEquals(1, k.nodeKeys().size());
        assertEquals(k.nodeKeys().get(0), k.primary());
        assertEquals(Identity.NODE, k.primary().identity());
        assertEquals(16, k.primary().fingerprint().length());
    }

    @Test
    void theKeyMarkedPrimarySealsAndAllAreAccepted() throws Exception {
        Keyring k = Keyring.forNode(file("k", "# rotation\n" + SealerOpenerTest.K1 + "\n" + SealerOpenerTest.K2
                + "   primary\n"), null);
        assertEquals(2, k.nodeKeys().size());
        assertEquals(k.nodeKeys().get(1), k.primary());
        assertEquals(k.nodeKeys().get(0), k.find(k.nodeKeys().get(0).fingerprint()));
    }

    @Test
    void badKeysFilesAreRefusedWithTheLineThatIsWrong() throws Exception {
        String k1 = SealerOpenerTest.K1;
        String k2 = SealerOpenerTest.K2;
        for (String[] c : new String[][] {
                {"", "holds no key"},
                {k1 + "\n" + k2 + "\n", "none is marked primary"},
                {k1 + " primary\n" + k2 + " primary\n", "line 2: a second key marked primary"},
                {k1 + " main\n", "line 1: expected a secret"},
                {"short primary\n", "too short"},
                {k1 + "\n" + k1 + " primary\n", "the same secret is given twice"}}) {
            AuthException e = assertThrows(AuthException.class, () -> Keyring.forNode(file("k", c[0]), null), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        AuthException e = assertThrows(AuthException.class,
                () -> Keyring.forNode(file("k", SealerOpenerTest.K1, "rw-r--r--"), null));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void operatorsHaveNamesRolesAndTheirOwnSecrets() throws Exception {
        Path keys = file("k", SealerOpenerTest.K1);
        Keyring k = Keyring.forNode(keys, file("ops", "alice clerk " + SealerOpenerTest.ALICE + "\nci viewer "
                + "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1\nroot admin " + "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0\n"));
        assertEquals(3, k.operators());
        Keyring alice = Keyring.forOperator(file("cred", "alice " + SealerOpenerTest.ALICE + "\n"));
        Key found = k.find(alice.primary().fingerprint());
        assertEquals(Identity.operator("alice", Role.CLERK), found.identity());
        for (String[] c : new String[][] {
                {"alice clerk\n", "expected: name role secret"},
                {"alice boss " + SealerOpenerTest.ALICE + "\n", "unknown role 'boss'"},
                {"node admin " + SealerOpenerTest.ALICE + "\n", "not a valid operator name"},
                {"alice clerk " + SealerOpenerTest.ALICE + "\nalice viewer " + SealerOpenerTest.K2 + "\n", "already on line 1"},
                {"eve admin " + SealerOpenerTest.K1 + "\n", "the same secret is given twice"}}) {
            AuthException e = assertThrows(AuthException.class, () -> Keyring.forNode(keys, file("ops", c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void aCredentialFileHoldsOneNameAndSecret() throws Exception {
        AuthException e = assertThrows(AuthException.class, () -> Keyring.forOperator(file("c", SealerOpenerTest.ALICE)));
        assertTrue(e.getMessage().contains("name secret"), e.getMessage());
        assertEquals("alice", Keyring.forOperator(file("c", "alice " + SealerOpenerTest.ALICE)).primary().identity().name());
    }

    @Test
    void aSecretsFingerprintIsTheFingerprintOfTheKeyItMakes() throws Exception {
        Keyring k = Keyring.forNode(file("k", SealerOpenerTest.K1 + "\n"), null);
        assertEquals(k.primary().fingerprint(), Key.fingerprintOf(SealerOpenerTest.K1));
        assertTrue(!Key.fingerprintOf(SealerOpenerTest.K1).equals(Key.fingerprintOf(SealerOpenerTest.K2)));
    }
}
