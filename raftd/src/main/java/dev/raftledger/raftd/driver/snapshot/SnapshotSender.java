package dev.raftledger.raftd.driver.snapshot;

import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotReader;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's snapshot transfers, one per follower, on the event loop: the latest snapshot's
 * payload in chunks of what one datagram holds ({@link #chunkBytes}: base64, sealed, with the
 * widest header), up to {@link #WINDOW_BYTES} of payload ahead of the follower's SNAPSHOT_ACKs
 * (so the window is the same in bytes whatever the datagram size, and snapshot throughput does
 * not depend on it). A follower that asks for another offset (a lost chunk) is sent from there; one
 * silent for {@link #RESEND_MS} is sent again from what it acknowledged; one silent for
 * {@link #ABANDON_MS} is given up (the core asks again while the follower still needs it).
 */
public final class SnapshotSender {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    /** Payload bytes sent ahead of the acknowledgements, per follower. */
    static final int WINDOW_BYTES = Limits.INFLIGHT_BYTES; // a slow follower gets no more queued than for entries
    /** The smallest chunk sent, even if a huge configuration leaves a datagram no room for more. */
    static final int MIN_CHUNK_BYTES = 48;
    private static final long WIDEST = (1L << 53) - 1;
    static final long RESEND_MS = 200;
    static final long ABANDON_MS = 5_000;

    private final String self;
    private final SnapshotStore store;
    private final Outbox sender;
    private final LongSupplier term;
    private final DatagramBudget budget;
    private final Map<String, Transfer> transfers = new HashMap<>();

    private static final class Transfer {
        final SnapshotReader reader;
        final SnapshotMeta meta;
        final int chunk;
        final long startedAt;
        long acked;
        long sent;
        long lastHeardAt;
        long lastResentAt;

        Transfer(SnapshotReader reader, int chunk, long now) {
            this.reader = reader;
            this.meta = reader.meta();
            this.chunk = chunk;
            this.startedAt = now;
            this.lastHeardAt = now;
        }
    }

    public SnapshotSender(String self, SnapshotStore store, Outbox sender, LongSupplier term, DatagramBudget budget) {
        this.self = self;
        this.store = store;
        this.sender = sender;
        this.term = term;
        this.budget = budget;
    }

    /**
     * Payload bytes per chunk for a snapshot holding {@code configuration}: what a datagram leaves
     * after the widest INSTALL_SNAPSHOT header (every number at its widest), as base64 (3 bytes
     * in 4), sealed. At least {@link #MIN_CHUNK_BYTES}: a
     * configuration too large for the datagram size still goes out, in datagrams over the limit
     * (counted by the sender).
     */
    public int chunkBytes(String configuration) {
        byte[] header = dev.raftledger.common.wire.Codec.encode(new InstallSnapshot(WIDEST, self, WIDEST, WIDEST, WIDEST,
                WIDEST, 0xFFFF_FFFFL, false, new byte[0], configuration));
        int room = budget.maxBytes() - budget.peerSealedSize(header);
        return Math.max(MIN_CHUNK_BYTES, room / 4 * 3);
    }

    /** The core asks to send {@code latest} to {@code peer}; a transfer of it under way goes on. */
    void send(String peer, SnapshotMeta latest, long now) throws StoreException {
        Transfer t = transfers.get(peer);
        if (t != null && t.meta.samePoint(latest)) {
            return;
        }
        if (t != null) {
            close(peer, t);
        }
        t = new Transfer(store.openReader(latest), chunkBytes(latest.configuration()), now);
        transfers.put(peer, t);
        LOG.info("{}: sending {} the {}", self, peer, latest.describe());
        pump(peer, t);
    }

    /** A follower's acknowledgement: the offset it expects next of the snapshot it names. */
    void onAck(SnapshotAck ack, long now) throws StoreException {
        Transfer t = transfers.get(ack.from());
        if (t == null || t.meta.lastIncludedIndex() != ack.lastIncludedIndex()) {
            return; // of a transfer already finished or replaced
        }
        t.lastHeardAt = now;
        if (ack.nextOffset() >= t.meta.payloadSize()) {
            LOG.info("{}: {} has the snapshot through {} ({} bytes in {} ms)", self, ack.from(),
                    t.meta.lastIncludedIndex(), t.meta.payloadSize(), now - t.startedAt);
            close(ack.from(), t);
            transfers.remove(ack.from());
            return;
        }
        if (ack.nextOffset() < t.sent && ack.nextOffset() <= t.acked) {
            t.sent = ack.nextOffset(); // it lost something (or started over): resend from there
        }
        t.acked = Math.max(t.acked, ack.nextOffset());
        t.sent = Math.max(t.sent, t.acked);
        pump(ack.from(), t);
    }

    /** Resends after silence, abandons long-silent transfers; returns when to be called again. */
    long tick(long now) throws StoreException {
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Transfer>> it = transfers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Transfer> e = it.next();
            Transfer t = e.getValue();
            if (now - t.lastHeardAt >= ABANDON_MS) {
                LOG.warn("{}: {} stopped acknowledging the snapshot through {} at {} of {} bytes; giving up for now",
                        self, e.getKey(), t.meta.lastIncludedIndex(), t.acked, t.meta.payloadSize());
                close(e.getKey(), t);
                it.remove();
                continue;
            }
            long quietSince = Math.max(t.lastHeardAt, t.lastResentAt);
            if (now - quietSince >= RESEND_MS) {
                t.sent = t.acked;
                t.lastResentAt = now;
                pump(e.getKey(), t);
                quietSince = now;
            }
            next = Math.min(next, Math.min(quietSince + RESEND_MS, t.lastHeardAt + ABANDON_MS));
        }
        return next;
    }

    /** Leadership lost: every transfer ends. */
    void stopAll() {
        transfers.forEach(this::close);
        transfers.clear();
    }

    boolean busy() {
        return !transfers.isEmpty();
    }

    private void pump(String peer, Transfer t) throws StoreException {
        long size = t.meta.payloadSize();
        while (t.sent < size && t.sent - t.acked < WINDOW_BYTES) {
            byte[] data = t.reader.read(t.sent, t.chunk);
            if (data.length == 0) {
                break;
            }
            boolean done = t.sent + data.length >= size;
            sender.toPeer(peer, new InstallSnapshot(term.getAsLong(), self, t.meta.lastIncludedIndex(),
                    t.meta.lastIncludedTerm(), t.sent, size, t.meta.payloadCrc(), done, data, t.meta.configuration()));
            t.sent += data.length;
        }
    }

    private void close(String peer, Transfer t) {
        try {
            t.reader.close();
        } catch (StoreException e) {
            LOG.warn("{}: closing the snapshot sent to {}: {}", self, peer, e.getMessage());
        }
    }
}
