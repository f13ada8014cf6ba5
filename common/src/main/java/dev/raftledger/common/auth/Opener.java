package dev.raftledger.common.auth;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens incoming sealed datagrams ({@link Sealed}). A datagram is taken only if:
 * <ol>
 * <li>it is long enough and starts with the marker and version;
 * <li>its key's fingerprint names a key installed here;
 * <li>its tag matches: it was sealed with that key, for this node (a client: for a client), and
 *     not a bit of it changed;
 * <li>its sender's clock is within {@link #WINDOW_MS} of ours;
 * <li>it was sealed after this process started (by our clock): so nothing captured before a
 *     restart of this node can be replayed to it, however fresh;
 * <li>its (session, counter) is new ({@link ReplayWindow}, per session).
 * </ol>
 * The checks that cost nothing come first, and nothing is remembered about a datagram before its
 * tag matched, so a flood of forgeries buys an attacker no memory here. Session state idle for
 * twice the window is forgotten (its datagrams are refused by their clock by then). Thread-safe.
 */
public final class Opener {

    /** How far a sender's clock may be from ours, and how long a captured datagram stays dangerous. */
    public static final long WINDOW_MS = 30_000;
    /** Session keys kept for senders heard from; more are derived again as needed. */
    private static final int KEY_CACHE = 4096;

    private final Supplier<Keyring> keyring;
    private final LongSupplier clock;
    private final long startedMs;
    private final byte[] self;
    private final Map<String, ReplayWindow> windows = new LinkedHashMap<>();
    private final Map<String, SecretKeySpec> sessionKeys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKeySpec> eldest) {
            return size() > KEY_CACHE;
        }
    };
    private final ConcurrentHashMap<String, LongAdder> opened = new ConcurrentHashMap<>();
    /** The fingerprints in {@link #opened} that are (or were, when they opened something) node keys. */
    private final java.util.Set<String> nodeKeys = ConcurrentHashMap.newKeySet();
    private long lastSweep;

    /**
     * @param keyring   the keys installed now (read on every datagram: a reload takes effect at once)
     * @param clock     ms since the epoch
     * @param startedMs when this process started, by the same clock
     * @param self      this node's name, which datagrams must have been sealed for; empty in a client
     */
    public Opener(Supplier<Keyring> keyring, LongSupplier clock, long startedMs, String self) {
        this.self = self.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.keyring = keyring;
        this.clock = clock;
        this.startedMs = startedMs;
    }

    /** The message and its key, or AuthException saying why the datagram is refused. */
    public Opened open(byte[] data, int offset, int length) throws AuthException {
        if (length < Sealed.OVERHEAD || data[offset] != Sealed.MARKER) {
            throw new AuthException(length > 0 && (data[offset] == '{' || data[offset] == ' ' || data[offset] == '\n')
                    ? "not sealed (plain JSON): the sender has no cluster key"
                    : "not a sealed datagram (" + length + " bytes)");
        }
        if (data[offset + 1] != Sealed.VERSION) {
            throw new AuthException("sealed with format " + data[offset + 1] + ", this release reads format "
                    + Sealed.VERSION + (data[offset + 1] < Sealed.VERSION ? "" : ": a newer release?"));
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        byte[] fingerprint = new byte[Key.FINGERPRINT_BYTES];
        b.position(offset + Sealed.FINGERPRINT_AT);
        b.get(fingerprint);
        byte[] session = new byte[SessionKey.SESSION_ID_BYTES];
        b.get(session);
        long counter = b.getLong();
        long sealedAt = b.getLong();
        Key key = keyring.get().find(fingerprint);
        if (key == null) {
            throw new AuthException("sealed with key " + HexFormat.of().formatHex(fingerprint)
                    + ", which is not installed here (a wrong or removed key)");
        }
        if (counter < 1) {
            throw new AuthException("malformed header (counter " + counter + ")");
        }
        String sessionName = key.fingerprint() + HexFormat.of().formatHex(session);
        byte[] message = Sealed.decrypt(data, offset, length, sessionKey(sessionName, key, session), counter, self);
        long now = clock.getAsLong();
        if (Math.abs(now - sealedAt) > WINDOW_MS) {
            throw new AuthException("sealed " + (now - sealedAt) + " ms before our clock (allowed: " + WINDOW_MS
                    + " ms either way; are the clocks synchronised?)");
        }
        if (sealedAt < startedMs) {
            throw new AuthException("sealed " + (startedMs - sealedAt) + " ms before this process started: "
                    + "a replay, or a sender whose clock is behind ours");
        }
        synchronized (windows) {
            sweep(now);
            ReplayWindow w = windows.computeIfAbsent(sessionName, s -> new ReplayWindow());
            if (!w.accept(counter)) {
                throw new AuthException("a replay (session " + sessionName.substring(16, 24) + "..., counter " + counter + ")");
            }
            w.lastSeenMs = now;
        }
        opened.computeIfAbsent(key.fingerprint(), f -> new LongAdder()).increment();
        if (key.identity().node()) {
            nodeKeys.add(key.fingerprint());
        }
        return new Opened(message, key);
    }

    private SecretKeySpec sessionKey(String name, Key key, byte[] session) {
        synchronized (sessionKeys) {
            SecretKeySpec k = sessionKeys.get(name);
            if (k != null) {
                return k;
            }
        }
        SecretKeySpec k = SessionKey.derive(key.secret(), session);
        synchronized (sessionKeys) {
            sessionKeys.put(name, k); // a forgery's key too: bounded, and cheaper than deriving twice
        }
        return k;
    }

    private void sweep(long now) {
        if (now - lastSweep < WINDOW_MS) {
            return;
        }
        lastSweep = now;
        for (Iterator<ReplayWindow> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastSeenMs > 2 * WINDOW_MS) {
                it.remove();
            }
        }
    }

    /** Datagrams opened so far under each key, by fingerprint: which keys are still in use. */
    public Map<String, Long> openedByKey() {
        Map<String, Long> out = new java.util.TreeMap<>();
        opened.forEach((f, n) -> out.put(f, n.sum()));
        return out;
    }

    /** As {@link #openedByKey}, for node keys only (removed ones included): what a rotation watches. */
    public Map<String, Long> openedByNodeKey() {
        Map<String, Long> out = new java.util.TreeMap<>();
        opened.forEach((f, n) -> {
            if (nodeKeys.contains(f)) {
                out.put(f, n.sum());
            }
        });
        return out;
    }

    /** Sending sessions whose replay windows are kept now. */
    public int sessions() {
        synchronized (windows) {
            return windows.size();
        }
    }
}
