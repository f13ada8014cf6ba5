package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.auth.Key;
import java.net.InetSocketAddress;

/**
 * Where a controller request came from, and with which key: the address its reply goes to,
 * carrying the key that reply is sealed with (the one the request came with, so that only the
 * caller can read it, and a caller holding only the newest key still can) and the identity the
 * request acts as. It is the reply address that travels with a request through the event loop,
 * deferred writes and reads included, so it travels with them unchanged; equal to the plain
 * address (a reply is sent where the request came from). Without a cluster key requests come from
 * plain addresses and act as no one in particular.
 */
public final class Requester extends InetSocketAddress {

    private static final long serialVersionUID = 1L;

    private final transient Key key;

    public Requester(InetSocketAddress source, Key key) {
        super(source.getAddress(), source.getPort());
        this.key = key;
    }

    /** The key the request came with, which seals its reply. */
    public Key key() {
        return key;
    }

    /** Who asked, or null without a cluster key (or for a plain address). */
    public static Identity identityOf(InetSocketAddress replyTo) {
        return replyTo instanceof Requester r && r.key != null ? r.key.identity() : null;
    }

    /** The key to seal a reply to {@code to} with, or null: the primary. */
    static Key keyOf(InetSocketAddress to) {
        return to instanceof Requester r ? r.key : null;
    }
}
