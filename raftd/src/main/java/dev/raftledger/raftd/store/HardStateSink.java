package dev.raftledger.raftd.store;

import dev.raftledger.raftd.core.HardState;

/** Where the event loop makes the term and vote durable; returns only once they are. */
public interface HardStateSink {

    void save(HardState state) throws StoreException;
}
