package dev.raftledger.raftd.store;

/**
 * Stable storage failed or holds something unusable. The node cannot go on safely (it could
 * forget a vote), so the driver stops with a non-zero status and the message for the operator.
 */
public final class StoreException extends Exception {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
