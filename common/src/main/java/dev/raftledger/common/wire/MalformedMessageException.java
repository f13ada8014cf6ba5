package dev.raftledger.common.wire;

/**
 * A datagram that is not a valid message; the message says what is wrong, for the log.
 * It carries no stack trace: bad input is expected, may arrive in floods, and the trace would
 * only cost time (filling one in costs more than parsing a small datagram).
 */
public final class MalformedMessageException extends Exception {

    public MalformedMessageException(String reason) {
        super(reason, null, false, false);
    }
}
