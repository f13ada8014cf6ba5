package dev.raftledger.common.wire;

/** A datagram that is not a valid message; the message says what is wrong, for the log. */
public final class MalformedMessageException extends Exception {

    public MalformedMessageException(String reason) {
        super(reason);
    }
}
