package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.store.StoreException;
import java.util.List;

/** Where the event loop writes the log; in production the segmented log and its group commit. */
interface EntryLog {

    /** Removes entries from {@code index} on, durably, before returning. */
    void truncateFrom(long index) throws StoreException;

    /** Writes entries after the last one; they become durable later (see {@link #durableIndex}). */
    void append(List<Entry> entries) throws StoreException;

    /** The last index known durable. */
    long durableIndex();
}
