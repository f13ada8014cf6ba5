package dev.raftledger.raftd.bench;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A benchmark's cluster with or without a cluster key ({@code --keyed}): with one, a fresh node
 * key is written to the work dir, the nodes start with it, and the harness and the clients seal
 * with it (what sealing costs does not depend on whose key it is).
 *
 * @param args  the extra raftd arguments (none without a key)
 * @param nodes what the harness and the clients seal with, or none
 */
record BenchKeys(String[] args, ClusterAuth nodes) {

    static BenchKeys in(Path dir, boolean keyed) throws IOException, AuthException {
        if (!keyed) {
            return new BenchKeys(new String[0], ClusterAuth.none());
        }
        Files.createDirectories(dir);
        SecureRandom r = new SecureRandom();
        Path keys = secretFile(dir.resolve("cluster.keys"), secret(r) + " primary\n");
        return new BenchKeys(new String[] {"--cluster-key-file", keys.toAbsolutePath().toString()},
                ClusterAuth.with(Keyring.forClientWithNodeKeys(keys)));
    }

    private static String secret(SecureRandom r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Path secretFile(Path f, String text) throws IOException {
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    String describe() {
        return args.length == 0 ? "no cluster key (plain JSON)" : "a cluster key: every datagram sealed (ChaCha20-Poly1305)";
    }
}
