package dev.raftledger.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Checks incoming datagrams of a cluster with a key and returns the message inside. A datagram
 * is accepted only if its MAC matches, its timestamp is within {@link #WINDOW_MS} of this
 * machine's clock, and its (session, counter) has not been seen: per session the highest counter
 * and a 64-datagram sliding window are kept (as IPsec does), so reordering is tolerated, a
 * replay is not, and memory stays bounded (sessions idle longer than the window are forgotten:
 * by then their datagrams are too old to be accepted anyway). Thread-safe.
 */
public final class Opener {

    /** How far a sender's clock may be from ours, and how long a captured datagram stays dangerous. */
    public static final long WINDOW_MS = 30_000;
    private static final Pattern SESSION = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern MAC_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Mac mac;
    private final LongSupplier clock;
    private final Map<String, ReplayWindow> sessions = new HashMap<>();
    private long lastSweep;

    public Opener(ClusterKey key) {
        this(key, System::currentTimeMillis);
    }

    Opener(ClusterKey key, LongSupplier clock) {
        this.mac = new Mac(key);
        this.clock = clock;
    }

    /** The authenticated message's bytes, or AuthException saying why the datagram is refused. */
    public byte[] open(byte[] data, int offset, int length) throws AuthException {
        JsonNode outer;
        try {
            outer = Codec.readTree(data, offset, length);
        } catch (MalformedMessageException e) {
            throw new AuthException("not a sealed datagram: " + e.getMessage());
        }
        JsonNode auth = outer.get("auth");
        JsonNode msg = outer.get("msg");
        if (auth == null || !auth.isObject() || msg == null || !msg.isTextual() || outer.size() != 2) {
            throw new AuthException("not a sealed datagram (no auth and msg): unauthenticated sender?");
        }
        if (auth.path("v").asInt(-1) != Mac.VERSION) {
            throw new AuthException("unknown auth version " + auth.get("v"));
        }
        String sid = auth.path("sid").asText("");
        String claimed = auth.path("mac").asText("");
        JsonNode ctrNode = auth.get("ctr");
        JsonNode tsNode = auth.get("ts");
        if (!SESSION.matcher(sid).matches() || !MAC_HEX.matcher(claimed).matches() || ctrNode == null
                || !ctrNode.isIntegralNumber() || tsNode == null || !tsNode.isIntegralNumber() || ctrNode.asLong() < 1) {
            throw new AuthException("malformed auth header");
        }
        long ctr = ctrNode.asLong();
        long ts = tsNode.asLong();
        byte[] message = msg.textValue().getBytes(StandardCharsets.UTF_8);
        if (!mac.verify(sid, ctr, ts, message, claimed)) {
            throw new AuthException("bad MAC (wrong key, or the datagram was altered)");
        }
        long now = clock.getAsLong();
        if (Math.abs(now - ts) > WINDOW_MS) {
            throw new AuthException("timestamp " + (ts - now) + " ms from our clock (allowed: " + WINDOW_MS + " ms)");
        }
        synchronized (this) {
            sweep(now);
            ReplayWindow w = sessions.computeIfAbsent(sid, s -> new ReplayWindow());
            if (!w.accept(ctr)) {
                throw new AuthException("replayed datagram (session " + sid + ", counter " + ctr + ")");
            }
            w.lastSeen = now;
        }
        return message;
    }

    private void sweep(long now) {
        if (now - lastSweep < WINDOW_MS) {
            return;
        }
        lastSweep = now;
        for (Iterator<ReplayWindow> it = sessions.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastSeen > 2 * WINDOW_MS) {
                it.remove();
            }
        }
    }

    /** The highest counter seen and a bitmap of the 64 before it. */
    private static final class ReplayWindow {
        private long highest;
        private long seen; // bit i: highest - i was seen
        long lastSeen;

        boolean accept(long ctr) {
            if (ctr > highest) {
                long shift = ctr - highest;
                seen = shift >= 64 ? 0 : seen << shift;
                seen |= 1;
                highest = ctr;
                return true;
            }
            long back = highest - ctr;
            if (back >= 64) {
                return false; // too old to tell: refuse rather than risk a replay
            }
            long bit = 1L << back;
            if ((seen & bit) != 0) {
                return false;
            }
            seen |= bit;
            return true;
        }
    }
}
