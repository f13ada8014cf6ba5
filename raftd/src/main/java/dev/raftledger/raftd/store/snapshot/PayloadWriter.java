package dev.raftledger.raftd.store.snapshot;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a snapshot's payload into the stream {@link SnapshotStore#save} gives it, so that a
 * payload of hundreds of megabytes never has to be in memory at once. The stream is buffered
 * and counts and checksums the bytes as they pass; closing it only flushes.
 */
@FunctionalInterface
public interface PayloadWriter {

    void writeTo(OutputStream out) throws IOException;
}
