package dev.raftledger.common.wire;

/** One log entry: its 0-based index, the term it was created in, and its content. */
public record Entry(long index, long term, Payload data) {

    public Entry {
        if (index < 0) {
            throw new IllegalArgumentException("entry index must not be negative: " + index);
        }
        if (term < 1) {
            throw new IllegalArgumentException("entry term must be at least 1: " + term);
        }
    }
}
