package dev.raftledger.raftd.driver;

import dev.raftledger.common.ledger.Ledger;

/**
 * The state committed entries are applied to: the expenses ledger and the convention's STOREs.
 * One holder shared by the applier and the request handlers, so that a snapshot installed from
 * the leader (or loaded at start) replaces the whole state in one place. Loop thread only.
 */
final class ReplicatedState {

    private Ledger ledger;
    private StoreEntries stores;

    ReplicatedState(Ledger ledger, StoreEntries stores) {
        this.ledger = ledger;
        this.stores = stores;
    }

    static ReplicatedState empty() {
        return new ReplicatedState(new Ledger(), new StoreEntries());
    }

    Ledger ledger() {
        return ledger;
    }

    StoreEntries stores() {
        return stores;
    }

    /** The last index applied (the ledger counts no-ops and STOREs too). */
    long appliedIndex() {
        return ledger.appliedIndex();
    }

    /** Everything is replaced by a snapshot's state. */
    void replace(ReplicatedState from) {
        this.ledger = from.ledger;
        this.stores = from.stores;
    }
}
