package dev.raftledger.raftctl.keys;

import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.StatusReply;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys and keyrings for tests outside this package (the JSON schema tests). */
public final class KeysFixtures {

    private KeysFixtures() {}

    /** The nodes' keyring of {@link WhoamiCommandTest}: a node key, alice a clerk, ci a viewer. */
    public static Keyring nodeKeys() {
        return WhoamiCommandTest.nodeKeys(Role.CLERK);
    }

    /** alice's credential file in {@code dir}, mode 600. */
    public static String aliceFile(Path dir) {
        try {
            return WhoamiCommandTest.secretFile(dir, "alice.cred", "alice " + WhoamiCommandTest.ALICE + "\n").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A keyring report sealing with {@code primary}, its only key, and an operator's key that opened 3 datagrams. */
    public static StatusReply.Keyring ring(String primary) {
        Map<String, Long> opened = new LinkedHashMap<>();
        opened.put(primary, 10L);
        opened.put("aaaaaaaaaaaaaaaa", 3L);
        return new StatusReply.Keyring(primary, List.of(primary), 2L, opened, 0L, 0L);
    }
}
