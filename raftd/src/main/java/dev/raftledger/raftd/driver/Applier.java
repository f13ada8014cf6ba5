package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import java.util.List;

/**
 * Applies committed entries, in order, to the replicated state (the STOREs; the expenses ledger
 * later), and answers the client writes that were waiting for them: committed if the entry at
 * their index is theirs, failed if another leader's entry took its place.
 */
final class Applier {

    /** How long a write may wait for its entry before the client is told the outcome is unknown. */
    static final long WRITE_TIMEOUT_MS = 5_000;

    private final StoreEntries stores;
    private final PendingWrites pending;
    private final ControllerHandler replies;
    private final Outbox sender;
    private long appliedIndex = -1;

    Applier(StoreEntries stores, PendingWrites pending, ControllerHandler replies, Outbox sender) {
        this.stores = stores;
        this.pending = pending;
        this.replies = replies;
        this.sender = sender;
    }

    void apply(Entry e) {
        if (e.index() != appliedIndex + 1) {
            throw new IllegalStateException("applying " + e.index() + " after " + appliedIndex);
        }
        appliedIndex = e.index();
        PendingWrites.Pending waiting = pending.resolve(e.index());
        if (e.data().isNoop()) {
            answerLost(waiting);
            return;
        }
        JsonNode data = StoreEntries.parse(e);
        if (StoreEntries.isStore(data)) {
            stores.apply(e, data);
        }
        if (waiting != null) {
            if (waiting.term() == e.term()) {
                reply(waiting, replies.committed(waiting.request(), e.index(), e.term()));
            } else {
                answerLost(waiting);
            }
        }
    }

    /** Tells the clients of writes waiting longer than the timeout that their outcome is unknown. */
    void expire(long now) {
        List<PendingWrites.Pending> old = pending.expire(now - WRITE_TIMEOUT_MS);
        for (PendingWrites.Pending p : old) {
            reply(p, replies.notCommitted(p.request(), "no commit within " + WRITE_TIMEOUT_MS
                    + " ms; the write may or may not take effect"));
        }
    }

    long appliedIndex() {
        return appliedIndex;
    }

    private void answerLost(PendingWrites.Pending waiting) {
        if (waiting != null) {
            reply(waiting, replies.notCommitted(waiting.request(),
                    "leadership changed before the entry committed; it was not stored"));
        }
    }

    private void reply(PendingWrites.Pending p, ControllerMessage reply) {
        sender.to(PortRole.CONTROLLER, p.replyTo(), Codec.encode(reply));
    }
}
