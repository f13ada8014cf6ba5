package dev.raftledger.common.auth;

/** A datagram that fails authentication (or a key that cannot be used); no stack trace: expected input. */
public final class AuthException extends Exception {

    public AuthException(String reason) {
        super(reason, null, false, false);
    }
}
