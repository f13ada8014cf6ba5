package dev.raftledger.raftd.store.log;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the log. The payload is opaque to the log and is not copied: callers must not
 * change the array after handing it over or after receiving it.
 */
public record LogRecord(long index, long term, byte[] payload) {

    public LogRecord {
        Objects.requireNonNull(payload, "payload");
    }

    // A record with an array component compares arrays by identity; records are values, so
    // compare (and print) the payload's content instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && r.index == index && r.term == term && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "LogRecord[index=" + index + ", term=" + term + ", payload=" + payload.length + " bytes]";
    }
}
