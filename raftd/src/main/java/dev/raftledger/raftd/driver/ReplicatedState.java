package dev.raftledger.raftd.driver;

import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.raftd.driver.control.StoreEntries;

/**
 * The state committed entries are applied to: the expenses ledger and the convention's STOREs.
 * One holder shared by the applier and the request handlers, so that a snapshot installed from
 * the leader (or loaded at start) replaces the whole state in one place. Loop thread only.
 */
public final class ReplicatedState {

    private Ledger ledger;
    private StoreEntries stores;

    public ReplicatedState(Ledger ledger, StoreEntries stores) {
        this.ledger = ledger;
        this.stores = stores;
    }

    public static ReplicatedState empty() {
        return new ReplicatedState(new Ledger(), new StoreEntries());
    }

    public Ledger ledger() {
        return ledger;
    }

    public StoreEntries stores() {
        return stores;
    }

    /** The last index applied (the ledger counts no-ops and STOREs too). */
    public long appliedIndex() {
        return ledger.appliedIndex();
    }

    /** Everything is replaced by a snapshot's state. */
    public void replace(ReplicatedState from) {
        this.ledger = from.ledger;
        this.stores = from.stores;
    }
}
