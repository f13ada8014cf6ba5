package dev.raftledger.raftd.driver.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.raftd.driver.net.DatagramBudget;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's side of InstallSnapshot: a window of chunks, acknowledgements, resends. */
class SnapshotSenderTest {

    @TempDir
    Path dir;

    private final List<InstallSnapshot> sent = new ArrayList<>();

    private final Outbox outbox = new Outbox() {
        @Override
        public void toPeer(String peer, PeerMessage message) {
            sent.add((InstallSnapshot) message);
        }

        @Override
        public void to(PortRole via, InetSocketAddress target, byte[] payload) {}
    };

    private SnapshotMeta saved(SnapshotStore store, int bytes) throws Exception {
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            payload[i] = (byte) (i * 31);
        }
        return store.save(99, 3, "", payload);
    }

    private SnapshotStore store;

    /** A leader's sender with the default datagram size and no key. */
    private SnapshotSender sender() {
        return new SnapshotSender("Node1", store, outbox, () -> 7,
                new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none()));
    }

    /** Payload bytes per chunk (for a snapshot holding no configuration). */
    private static final int CHUNK = new SnapshotSender("Node1", null, null, () -> 7,
            new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none())).chunkBytes("");
    /** Chunks in a window: its bytes in whole chunks, the last one partly past it. */
    private static final int WINDOW = (SnapshotSender.WINDOW_BYTES + CHUNK - 1) / CHUNK;

    @Test
    void sendsAWindowThenMoreAsAcknowledgementsArriveAndStopsWhenAllIsIn() throws Exception {
        store = SnapshotStore.open(dir);
        int chunks = WINDOW + 4;
        SnapshotMeta meta = saved(store, chunks * CHUNK - 100);
        SnapshotSender s = sender();
        s.send("Node2", meta, 0);
        assertEquals(WINDOW, sent.size(), "a window ahead of any acknowledgement");
        assertTrue(sent.stream().allMatch(c -> c.data().length == CHUNK), "chunks of what a datagram holds");
        assertEquals(0, sent.get(0).offset());
        assertEquals(7, sent.get(0).term());
        assertFalse(sent.get(sent.size() - 1).done());
        s.send("Node2", meta, 1);
        assertEquals(WINDOW, sent.size(), "asking again does not restart a transfer under way");
        s.onAck(new SnapshotAck(7, "Node2", "Node1", 99, 4L * CHUNK), 2);
        assertEquals(WINDOW + 4, sent.size(), "four chunks acknowledged: four more go out");
        InstallSnapshot last = sent.get(sent.size() - 1);
        assertTrue(last.done());
        assertEquals(meta.payloadSize(), last.nextOffset());
        s.onAck(new SnapshotAck(7, "Node2", "Node1", 99, meta.payloadSize()), 3);
        assertFalse(s.busy(), "done once the follower has it all");
    }

    @Test
    void silenceMeansResendingFromWhatWasAcknowledgedAndLongSilenceGivingUp() throws Exception {
        store = SnapshotStore.open(dir);
        SnapshotMeta meta = saved(store, 3 * CHUNK);
        SnapshotSender s = sender();
        s.send("Node2", meta, 0);
        s.onAck(new SnapshotAck(7, "Node2", "Node1", 99, CHUNK), 10);
        sent.clear();
        s.tick(10 + SnapshotSender.RESEND_MS);
        assertEquals(CHUNK, sent.get(0).offset(), "from the acknowledged offset");
        assertEquals(2, sent.size());
        s.tick(10 + SnapshotSender.ABANDON_MS);
        assertFalse(s.busy());
    }

    @Test
    void aFollowerAskingForAnEarlierOffsetGetsItAgain() throws Exception {
        store = SnapshotStore.open(dir);
        SnapshotMeta meta = saved(store, 3 * CHUNK);
        SnapshotSender s = sender();
        s.send("Node2", meta, 0);
        sent.clear();
        s.onAck(new SnapshotAck(7, "Node2", "Node1", 99, 0), 1); // it lost the first chunk
        assertEquals(0, sent.get(0).offset());
        assertEquals(3, sent.size());
        sent.clear();
        s.onAck(new SnapshotAck(7, "Node2", "Node1", 42, 0), 2);
        assertTrue(sent.isEmpty(), "an acknowledgement of another snapshot is ignored");
    }
}
