package dev.raftledger.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One secret and whose it is. Its {@link #fingerprint()} (the first 8 bytes of an HMAC-SHA256
 * of a fixed label under the secret) names it on the wire and in STATUS: it tells keys apart
 * without saying anything about them. The secret itself never leaves the process: datagrams are
 * sealed with keys derived from it per sending session ({@link SessionKey}).
 */
public final class Key {

    /** The shortest secret accepted, in characters (e.g. {@code openssl rand -hex 32} gives 64). */
    public static final int MIN_LENGTH = 32;
    static final int FINGERPRINT_BYTES = 8;

    private final byte[] secret;
    private final byte[] fingerprint;
    private final String fingerprintHex;
    private final Identity identity;

    Key(String secret, Identity identity) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.fingerprint = fingerprint(this.secret);
        this.fingerprintHex = HexFormat.of().formatHex(fingerprint);
        this.identity = identity;
    }

    static byte[] fingerprint(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("raftledger key fingerprint v2".getBytes(StandardCharsets.US_ASCII)),
                    FINGERPRINT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * The fingerprint of the key {@code secret} makes, as {@link #fingerprint()} gives it, without
     * making the key: for tools that show which key a new secret is (raftctl keyring new).
     */
    public static String fingerprintOf(String secret) {
        return HexFormat.of().formatHex(fingerprint(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** 16 hex digits naming this key. */
    public String fingerprint() {
        return fingerprintHex;
    }

    byte[] fingerprintBytes() {
        return fingerprint;
    }

    byte[] secret() {
        return secret;
    }

    public Identity identity() {
        return identity;
    }

    boolean sameSecret(Key other) {
        return java.security.MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public String toString() {
        return fingerprintHex + " " + identity.describe();
    }
}
