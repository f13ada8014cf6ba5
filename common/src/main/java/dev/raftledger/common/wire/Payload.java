package dev.raftledger.common.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The content of one log entry: the UTF-8 bytes of a JSON object, opaque to Raft. Immutable,
 * compared by content. An empty object is the leader's no-op entry.
 */
public final class Payload {

    public static final Payload NOOP = new Payload("{}".getBytes(StandardCharsets.UTF_8));

    private final byte[] json;

    private Payload(byte[] json) {
        this.json = json;
    }

    /** Wraps (a copy of) the bytes of a JSON object; the caller vouches that it is one. */
    public static Payload ofJson(byte[] json) {
        return new Payload(json.clone());
    }

    public static Payload ofJson(String json) {
        return new Payload(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return json.clone();
    }

    /** The bytes themselves, not a copy: for the codec in this package, which only reads them. */
    byte[] raw() {
        return json;
    }

    /** Wraps bytes the caller hands over and never changes again (the codec's slices): no copy. */
    static Payload adopt(byte[] json) {
        return new Payload(json);
    }

    public int size() {
        return json.length;
    }

    public boolean isNoop() {
        return Arrays.equals(json, NOOP.json);
    }

    /** Whether the bytes begin with {@code prefix}: a cheap test of an entry's kind, without decoding it. */
    public boolean hasPrefix(byte[] prefix) {
        return json.length >= prefix.length && Arrays.equals(json, 0, prefix.length, prefix, 0, prefix.length);
    }

    public String text() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && Arrays.equals(json, p.json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return text();
    }
}
