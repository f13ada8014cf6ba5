package dev.raftledger.common.auth;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals outgoing datagrams ({@link Sealed} gives the layout). For each key it seals with, this
 * process opens one session: 16 random bytes, the ChaCha20 key derived from them
 * ({@link SessionKey}), and a counter from 1. Thread-safe: the counter is atomic, and the
 * datagrams of several threads simply arrive slightly out of order, which the receivers' replay
 * windows allow.
 */
public final class Sealer {

    private final Random random;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    public Sealer() {
        this(new SecureRandom(), System::currentTimeMillis);
    }

    Sealer(Random random, LongSupplier clock) {
        this.random = random;
        this.clock = clock;
    }

    /**
     * {@code message} sealed with {@code key} for the node named {@code to} (empty: a reply to a
     * client), which alone can open it.
     */
    public byte[] seal(Key key, byte[] message, String to) {
        Session s = sessions.computeIfAbsent(key.fingerprint(), f -> new Session(key, sessionId()));
        long counter = s.counter.incrementAndGet();
        byte[] header = new byte[Sealed.HEADER_BYTES];
        ByteBuffer b = ByteBuffer.wrap(header);
        b.put(Sealed.MARKER).put(Sealed.VERSION).put(key.fingerprintBytes()).put(s.id).putLong(counter)
                .putLong(clock.getAsLong());
        return Sealed.encrypt(header, s.aes, counter, message, to.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private byte[] sessionId() {
        byte[] id = new byte[SessionKey.SESSION_ID_BYTES];
        synchronized (random) {
            random.nextBytes(id);
        }
        return id;
    }

    /** The session id this process seals {@code key}'s datagrams with (tests). */
    byte[] sessionId(Key key) {
        Session s = sessions.get(key.fingerprint());
        return s == null ? null : s.id.clone();
    }

    private static final class Session {
        final byte[] id;
        final SecretKeySpec aes;
        final AtomicLong counter = new AtomicLong();

        Session(Key key, byte[] id) {
            this.id = id;
            this.aes = SessionKey.derive(key.secret(), id);
        }
    }
}
