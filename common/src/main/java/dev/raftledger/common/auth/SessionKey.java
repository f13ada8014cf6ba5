package dev.raftledger.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ChaCha20 key (256 bits) of one sending session: HKDF-SHA256 (RFC 5869) of the installed secret, with
 * the session's 16 random bytes as salt. Every process draws a new session when it starts (and
 * for every key it seals with), so a counter that starts again at 1 after a restart or a crash
 * never meets a key it was used with before: nonces never repeat under one key, without
 * anything written to disk. Two sessions share a key only if 128 random bits repeat.
 */
final class SessionKey {

    static final int SESSION_ID_BYTES = 16;
    private static final byte[] INFO = "raftledger datagram v2 chacha20-poly1305".getBytes(StandardCharsets.US_ASCII);

    private SessionKey() {}

    static SecretKeySpec derive(byte[] secret, byte[] sessionId) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(sessionId, "HmacSHA256"));
            byte[] prk = extract.doFinal(secret);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(INFO);
            expand.update((byte) 1);
            return new SecretKeySpec(expand.doFinal(), "ChaCha20"); // 32 bytes: one HKDF block
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
