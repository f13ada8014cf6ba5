package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.LedgerWrite;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.driver.control.StoreEntries;

/**
 * The state committed entries are applied to: the expenses ledger and the convention's STOREs.
 * One holder shared by the applier and the request handlers, so that a snapshot installed from
 * the leader (or loaded at start) replaces the whole state in one place. Loop thread only.
 */
public final class ReplicatedState {

    /** How every ledger write's entry begins (LedgerCodec writes {@code op} first). */
    private static final byte[] WRITE_PREFIX = "{\"op\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);

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

    /**
     * Applies a committed entry's effect: a ledger write to the ledger (its result returned),
     * read without a tree where it is as leaders write it ({@link LedgerCodec#fastWriteFromLog}),
     * else from its tree with every refusal's message; anything else (no-op, configuration,
     * STORE) as a no-op of the ledger, so that its applied
     * index stays exact, and a STORE to the stores (null returned). The applier runs it for each
     * committed entry; {@code raftd recover} for every entry of a survivor's log.
     */
    public LedgerResult apply(Entry e) {
        if (e.data().hasPrefix(WRITE_PREFIX)) {
            // a ledger write as leaders write them: read once, token by token, no tree
            LedgerWrite write = LedgerCodec.fastWriteFromLog(e.data().bytes());
            if (write != null) {
                return ledger.apply(e.index(), e.term(), write);
            }
        }
        JsonNode data = e.data().isNoop() ? null : StoreEntries.parse(e);
        if (data != null && data.has("op")) {
            return ledger.apply(e.index(), e.term(), data);
        }
        ledger.applyNoop(e.index(), e.term());
        if (data != null && StoreEntries.isStore(data)) {
            stores.apply(e, data);
        }
        return null;
    }

    /**
     * {@link #apply(Entry)} of a ledger write whose entry this node proposed as leader, from the
     * write it decoded and validated then ({@code write}, which the entry's bytes hold): the
     * same result and state, without decoding the bytes again.
     */
    public LedgerResult apply(Entry e, LedgerWrite write) {
        return ledger.apply(e.index(), e.term(), write);
    }

    /** Everything is replaced by a snapshot's state. */
    public void replace(ReplicatedState from) {
        this.ledger = from.ledger;
        this.stores = from.stores;
    }
}
