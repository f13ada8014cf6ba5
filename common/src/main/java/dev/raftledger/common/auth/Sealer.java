package dev.raftledger.common.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Wraps outgoing datagrams for a cluster with a key:
 * {@code {"auth": {"v":1, "sid", "ctr", "ts", "mac"}, "msg": "<the message's JSON>"}}. Each
 * process picks a random session id and numbers its datagrams, so a receiver can tell a replay
 * from a new datagram (see {@link Opener}). Thread-safe.
 */
public final class Sealer {

    /**
     * The most bytes the envelope adds around a message's escaped text
     * ({@link dev.raftledger.common.wire.Codec#escapedLength}):
     * {@code {"auth":{"v":1,"sid":"<16>","ctr":<19>,"ts":<19>,"mac":"<64>"},"msg":"..."}} with
     * the counter and clock at their widest (a long's 19 digits).
     */
    public static final int ENVELOPE_BYTES = 22 + 16 + 8 + 19 + 6 + 19 + 8 + 64 + 10 + 2;

    private final Mac mac;
    private final String sessionId;
    private final AtomicLong counter = new AtomicLong();
    private final LongSupplier clock;

    public Sealer(ClusterKey key) {
        this(key, new SecureRandom(), System::currentTimeMillis);
    }

    Sealer(ClusterKey key, java.util.Random random, LongSupplier clock) {
        this.mac = new Mac(key);
        byte[] sid = new byte[8];
        random.nextBytes(sid);
        this.sessionId = HexFormat.of().formatHex(sid);
        this.clock = clock;
    }

    public byte[] seal(byte[] message) {
        long ctr = counter.incrementAndGet();
        long ts = clock.getAsLong();
        String msg = new String(message, StandardCharsets.UTF_8);
        ObjectNode auth = Codec.objectNode();
        auth.put("v", Mac.VERSION);
        auth.put("sid", sessionId);
        auth.put("ctr", ctr);
        auth.put("ts", ts);
        auth.put("mac", mac.sign(sessionId, ctr, ts, message));
        ObjectNode outer = Codec.objectNode();
        outer.set("auth", auth);
        outer.put("msg", msg);
        return Codec.toBytes(outer);
    }

    String sessionId() {
        return sessionId;
    }
}
