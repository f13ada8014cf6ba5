package dev.raftledger.common.auth;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * How this process treats datagrams: sealed and checked with the cluster key, or, without a key,
 * as the plain JSON of the public controller convention. Thread-safe.
 */
public final class ClusterAuth {

    private static final ClusterAuth NONE = new ClusterAuth(null, null);

    private final Sealer sealer;
    private final Opener opener;

    private ClusterAuth(Sealer sealer, Opener opener) {
        this.sealer = sealer;
        this.opener = opener;
    }

    /** No key: datagrams are plain JSON, and anyone who can reach the ports is trusted. */
    public static ClusterAuth none() {
        return NONE;
    }

    public static ClusterAuth withKey(ClusterKey key) {
        return new ClusterAuth(new Sealer(key), new Opener(key));
    }

    /** With a key from {@code file} if one is named, else none. */
    public static ClusterAuth fromFile(Path file) throws AuthException {
        return file == null ? none() : withKey(ClusterKey.load(file));
    }

    public boolean enabled() {
        return sealer != null;
    }

    public byte[] seal(byte[] message) {
        return sealer == null ? message : sealer.seal(message);
    }

    /**
     * The most bytes {@link #seal} can make of {@code message}: its own length without a key;
     * with one, the envelope's and the message's escaped length (it travels as a JSON string).
     * An upper bound that needs no sealing, exact up to the width of the counter and clock.
     */
    public int sealedLengthBound(byte[] message) {
        return sealer == null ? message.length
                : Sealer.ENVELOPE_BYTES + dev.raftledger.common.wire.Codec.escapedLength(message);
    }

    /** The message inside a datagram (a copy of its bytes without a key). */
    public byte[] open(byte[] data, int offset, int length) throws AuthException {
        return opener == null ? Arrays.copyOfRange(data, offset, offset + length) : opener.open(data, offset, length);
    }
}
