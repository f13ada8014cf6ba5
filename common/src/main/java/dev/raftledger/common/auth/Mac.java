package dev.raftledger.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over a version tag, the session id, counter and timestamp, and the message's exact
 * bytes: change any of them and the MAC no longer matches.
 */
final class Mac {

    static final int VERSION = 1;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    Mac(ClusterKey key) {
        this.key = new SecretKeySpec(key.secret(), ALGORITHM);
    }

    String sign(String sessionId, long counter, long timestamp, byte[] message) {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance(ALGORITHM);
            m.init(key);
            m.update(("raftledger-auth-v" + VERSION + "|" + sessionId + "|" + counter + "|" + timestamp + "|")
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(m.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so the MAC cannot be guessed byte by byte from timings. */
    boolean verify(String sessionId, long counter, long timestamp, byte[] message, String claimed) {
        byte[] expected = sign(sessionId, counter, timestamp, message).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, claimed.getBytes(StandardCharsets.US_ASCII));
    }
}
