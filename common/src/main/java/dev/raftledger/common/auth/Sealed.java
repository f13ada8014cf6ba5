package dev.raftledger.common.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The layout of a sealed datagram (docs/protocol.md, "Sealed datagrams"), all integers big-endian:
 * <pre>
 *  0   1  marker 0xC5 (never the first byte of JSON text, so a plain node drops it as malformed)
 *  1   1  format version, 2
 *  2   8  the key's fingerprint ({@link Key#fingerprint()})
 * 10  16  the sender's session id (random per process and key)
 * 26   8  counter, from 1, per session: the nonce, and the replay window's position
 * 34   8  the sender's clock, ms since the epoch
 * 42   n  the message, encrypted (ChaCha20-Poly1305, RFC 8439, the session's key from {@link SessionKey},
 *         nonce = 4 zero bytes and the counter; associated data: the 42 header bytes, then the
 *         name of the node it is for, UTF-8, which is not sent: an empty name for a reply to a
 *         client)
 * 42+n 16 the Poly1305 tag
 * </pre>
 * So 58 bytes more than the message, whatever it holds. Binding the receiver's name into the
 * tag means a datagram captured on its way to one node opens nowhere else: a SHUTDOWN an admin
 * sent to Node1 cannot be replayed to Node2, whose replay window never saw its counter.
 */
final class Sealed {

    static final byte MARKER = (byte) 0xC5;
    static final byte VERSION = 2;
    static final int HEADER_BYTES = 2 + Key.FINGERPRINT_BYTES + SessionKey.SESSION_ID_BYTES + 8 + 8;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = HEADER_BYTES + TAG_BYTES;
    static final int FINGERPRINT_AT = 2;
    static final int SESSION_AT = FINGERPRINT_AT + Key.FINGERPRINT_BYTES;
    static final int COUNTER_AT = SESSION_AT + SessionKey.SESSION_ID_BYTES;
    static final int CLOCK_AT = COUNTER_AT + 8;

    /**
     * One cipher per thread and direction. The JDK's ChaCha20-Poly1305 refuses to be initialised
     * twice in a row with the same key and nonce, in either mode: for sealing that is the guard
     * against nonce reuse it should be; for opening it would let anyone who copies a datagram's
     * header and sends it first with a bad tag get the real one refused, so {@link #decrypt}
     * starts over with a fresh cipher when that happens.
     */
    private static final ThreadLocal<Cipher> SEALING = ThreadLocal.withInitial(Sealed::newCipher);
    private static final ThreadLocal<Cipher> OPENING = ThreadLocal.withInitial(Sealed::newCipher);

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is part of every JDK since 11", e);
        }
    }

    private Sealed() {}

    static IvParameterSpec nonce(long counter) {
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv, 4, 8).putLong(counter);
        return new IvParameterSpec(iv);
    }

    /** header (42 bytes, filled in) then the message, bound to {@code to}; returns the whole datagram. */
    static byte[] encrypt(byte[] header, SecretKeySpec key, long counter, byte[] message, byte[] to) {
        byte[] out = new byte[HEADER_BYTES + message.length + TAG_BYTES];
        System.arraycopy(header, 0, out, 0, HEADER_BYTES);
        try {
            Cipher c = SEALING.get();
            c.init(Cipher.ENCRYPT_MODE, key, nonce(counter));
            c.updateAAD(out, 0, HEADER_BYTES);
            c.updateAAD(to);
            c.doFinal(message, 0, message.length, out, HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 sealing failed: " + e, e);
        }
        return out;
    }

    /**
     * The message of a datagram whose header was read, sealed for {@code self}; AuthException if
     * the tag does not match.
     */
    static byte[] decrypt(byte[] data, int offset, int length, SecretKeySpec key, long counter, byte[] self)
            throws AuthException {
        try {
            Cipher c = OPENING.get();
            try {
                c.init(Cipher.DECRYPT_MODE, key, nonce(counter));
            } catch (java.security.InvalidKeyException | java.security.InvalidAlgorithmParameterException sameAsLast) {
                c = newCipher(); // the previous datagram had this key and nonce (a copy, a forgery)
                OPENING.set(c);
                c.init(Cipher.DECRYPT_MODE, key, nonce(counter));
            }
            c.updateAAD(data, offset, HEADER_BYTES);
            c.updateAAD(self);
            return c.doFinal(data, offset + HEADER_BYTES, length - HEADER_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new AuthException("the tag does not match: the datagram was altered, or sealed for another node");
        } catch (GeneralSecurityException e) {
            throw new AuthException("cannot be opened: " + e.getMessage());
        }
    }
}
