package dev.raftledger.common.auth;

/**
 * A datagram that passed: its message, and the key it was sealed with (null without a cluster
 * key: then anyone is trusted, as the public convention has it). Replies go back sealed with
 * the same key, so that only the one who asked can read them.
 */
public record Opened(byte[] message, Key key) {

    /** Who sent it; null without a cluster key. */
    public Identity identity() {
        return key == null ? null : key.identity();
    }
}
