package dev.raftledger.raftd.driver;

import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.LedgerWrite;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.driver.control.ControllerHandler;
import dev.raftledger.raftd.driver.control.LedgerRequests;
import dev.raftledger.raftd.driver.control.PendingWrites;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import java.util.List;

/**
 * Applies committed entries, in order, to the replicated state (the convention's STOREs and
 * the expenses ledger), and answers the client writes waiting for them: with their result if
 * the entry at their index is theirs, as lost if another leader's entry took its place. An
 * EXPENSE this node proposed is applied from the write kept when it was accepted
 * ({@link PendingWrites.Pending#tag()}): an entry's index and term name it uniquely (Raft's log
 * matching), so the entry at that index in that term holds exactly those bytes, and decoding
 * them again would only repeat the work. Every other entry is applied from its bytes.
 */
public final class Applier {

    /** How long a write may wait for its entry before the client is told the outcome is unknown. */
    static final long WRITE_TIMEOUT_MS = 5_000;

    private final ReplicatedState state;
    private final PendingWrites pending;
    private final ControllerHandler controller;
    private final LedgerRequests ledgerRequests;
    private final Outbox sender;

    public Applier(ReplicatedState state, PendingWrites pending, ControllerHandler controller,
            LedgerRequests ledgerRequests, Outbox sender) {
        this.state = state;
        this.pending = pending;
        this.controller = controller;
        this.ledgerRequests = ledgerRequests;
        this.sender = sender;
    }

    public void apply(Entry e) {
        PendingWrites.Pending waiting = pending.resolve(e.index());
        boolean ours = waiting != null && waiting.term() == e.term();
        // our own EXPENSE: the write decoded and validated when it was accepted, not its bytes again
        LedgerResult result = ours && waiting.tag() instanceof LedgerWrite kept ? state.apply(e, kept) : state.apply(e);
        if (ours && result != null) {
            sender.to(PortRole.CONTROLLER, waiting.replyTo(), ledgerRequests.appliedBytes(e, result));
        } else if (ours) {
            reply(waiting, controller.committed(waiting.request(), e.index(), e.term()));
        }
        if (waiting != null && !ours) {
            reply(waiting, controller.notCommitted(waiting.request(),
                    "leadership changed before the entry committed; it was not applied"));
        }
    }

    /** Tells the clients of writes waiting longer than the timeout that their outcome is unknown. */
    void expire(long now) {
        List<PendingWrites.Pending> old = pending.expire(now - WRITE_TIMEOUT_MS);
        for (PendingWrites.Pending p : old) {
            reply(p, controller.notCommitted(p.request(), "no commit within " + WRITE_TIMEOUT_MS
                    + " ms; the write may or may not take effect: " + ControllerHandler.whenUnknown(p.request())));
        }
    }

    /**
     * This node stopped leading: every write still waiting is answered NOT_COMMITTED at once
     * (docs/protocol.md), not when a later leader's entry takes its index or the write times
     * out. Its entry may still commit under the next leader; the reply says what to do.
     */
    void leadershipLost() {
        for (PendingWrites.Pending p : pending.drain()) {
            reply(p, controller.leadershipLost(p));
        }
    }

    long appliedIndex() {
        return state.appliedIndex();
    }

    private void reply(PendingWrites.Pending p, ControllerMessage reply) {
        sender.to(PortRole.CONTROLLER, p.replyTo(), Codec.encode(reply));
    }
}
