package dev.raftledger.common.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The cluster's shared secret, read from a file that only its owner may read (as ssh insists for
 * private keys): a key anyone on the machine can read protects nothing. The file holds at least
 * 32 characters (for example {@code openssl rand -hex 32}); surrounding blanks are ignored.
 */
public final class ClusterKey {

    static final int MIN_LENGTH = 32;

    private final byte[] secret;
    private final Path file;

    private ClusterKey(byte[] secret, Path file) {
        this.secret = secret;
        this.file = file;
    }

    public static ClusterKey load(Path file) throws AuthException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            others.retainAll(perms);
            if (!others.isEmpty()) {
                throw new AuthException("cluster key file " + file + " must be readable only by its owner "
                        + "(it is " + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "; chmod 600 it)");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.length() < MIN_LENGTH) {
                throw new AuthException("cluster key in " + file + " is too short: at least " + MIN_LENGTH
                        + " characters (e.g. openssl rand -hex 32)");
            }
            return new ClusterKey(text.getBytes(StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new AuthException("cannot read cluster key file " + file + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new AuthException("cannot check the permissions of " + file + " on this file system");
        }
    }

    byte[] secret() {
        return secret.clone();
    }

    public Path file() {
        return file;
    }
}
