package dev.raftledger.common.auth;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * How this process treats datagrams: sealed and opened with its {@link Keyring}, or, without a
 * key, as the plain JSON of the public controller convention (then anyone who can reach the
 * ports is trusted). The keyring can be replaced while the process runs ({@link #reload}): a
 * datagram is opened with the keys installed when it arrives, and sealed with the primary key of
 * that moment. Every datagram is sealed for one receiver, by name ({@link Sealed}): a node's
 * auth opens only what was sealed for its own name, a client's only replies (sealed for
 * {@link #CLIENT}). Thread-safe.
 */
public final class ClusterAuth {

    /** Bytes a sealed datagram has beyond its message ({@link Sealed}). */
    public static final int SEAL_OVERHEAD = Sealed.OVERHEAD;

    /** The receiver name a reply to a client is sealed for. */
    public static final String CLIENT = "";

    private static final ClusterAuth NONE = new ClusterAuth(null, CLIENT, System::currentTimeMillis, 0);

    private final AtomicReference<Keyring> keyring;
    private final Sealer sealer;
    private final Opener opener;

    private ClusterAuth(Keyring keys, String self, LongSupplier clock, long startedMs) {
        this.keyring = keys == null ? null : new AtomicReference<>(keys);
        this.sealer = keys == null ? null : new Sealer(new java.security.SecureRandom(), clock);
        this.opener = keys == null ? null : new Opener(keyring::get, clock, startedMs, self);
    }

    /** No key: datagrams are plain JSON, and anyone who can reach the ports is trusted. */
    public static ClusterAuth none() {
        return NONE;
    }

    /**
     * A client's, with {@code keys}, refusing what was sealed before now. (Not the process's
     * start: the JVM reckons that from the boot time in whole seconds, up to a second early, and
     * anything sealed in that second could be replayed to a restarted process.)
     */
    public static ClusterAuth with(Keyring keys) {
        return new ClusterAuth(keys, CLIENT, System::currentTimeMillis, System.currentTimeMillis());
    }

    /**
     * Node {@code self}'s, with {@code keys}, refusing what was sealed before now: make it before
     * binding any socket, so that nothing sent to this process can be older.
     */
    public static ClusterAuth forNode(Keyring keys, String self) {
        return new ClusterAuth(keys, self, System::currentTimeMillis, System.currentTimeMillis());
    }

    /**
     * As the receiver named {@code self} ({@link #CLIENT} for a client), with a clock of the
     * caller's; {@code startedMs} as {@link Opener} takes it (tests, benchmarks).
     */
    public static ClusterAuth with(Keyring keys, String self, LongSupplier clock, long startedMs) {
        return new ClusterAuth(keys, self, clock, startedMs);
    }

    /** A client's: acting as a node with a keys file if one is named, else none. */
    public static ClusterAuth fromFile(Path keysFile) throws AuthException {
        return keysFile == null ? none() : with(Keyring.forClientWithNodeKeys(keysFile));
    }

    public boolean enabled() {
        return keyring != null;
    }

    /** The keys installed now (null without a key). */
    public Keyring keyring() {
        return keyring == null ? null : keyring.get();
    }

    /** Installs a new keyring (a reload); datagrams from now on are sealed and opened with it. */
    public void reload(Keyring keys) {
        if (keyring == null) {
            throw new IllegalStateException("no cluster key was configured at start: restart with one");
        }
        keyring.set(keys);
    }

    /**
     * {@code message} sealed with the primary key for node {@code to} ({@link #CLIENT}: a reply
     * to a client); unchanged without a key.
     */
    public byte[] seal(byte[] message, String to) {
        return keyring == null ? message : sealer.seal(keyring.get().primary(), message, to);
    }

    /**
     * {@code message} sealed with {@code key} for {@code to} (a reply, with the key its request
     * came with); with the primary key if {@code key} is null or no longer installed.
     */
    public byte[] sealWith(Key key, byte[] message, String to) {
        if (keyring == null) {
            return message;
        }
        Keyring now = keyring.get();
        Key k = key != null && now.find(key.fingerprint()) != null ? key : now.primary();
        return sealer.seal(k, message, to);
    }

    /** The bytes {@link #seal} makes of a message of {@code length} bytes: exact, with a key or without. */
    public int sealedLength(int length) {
        return keyring == null ? length : length + Sealed.OVERHEAD;
    }

    /** The message inside a datagram and who sealed it (a copy of the bytes, no one, without a key). */
    public Opened open(byte[] data, int offset, int length) throws AuthException {
        return opener == null ? new Opened(Arrays.copyOfRange(data, offset, offset + length), null)
                : opener.open(data, offset, length);
    }

    /** Datagrams opened under each node key so far (removed ones too), by fingerprint (empty without a key). */
    public java.util.Map<String, Long> openedByNodeKey() {
        return opener == null ? java.util.Map.of() : opener.openedByNodeKey();
    }

    /** Datagrams opened under each key so far, by fingerprint (empty without a key). */
    public java.util.Map<String, Long> openedByKey() {
        return opener == null ? java.util.Map.of() : opener.openedByKey();
    }
}
