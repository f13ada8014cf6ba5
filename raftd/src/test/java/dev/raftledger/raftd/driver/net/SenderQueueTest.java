package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.driver.DriverCounters;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's order: heartbeats, votes and replies before catch-up traffic, each kind in the
 * order queued, so that a backlog of batches or snapshot chunks never holds back a heartbeat
 * (issue 10, part 4).
 */
class SenderQueueTest {

    @Test
    void heartbeatsVotesAndRepliesGoBeforeQueuedCatchUpTraffic() throws Exception {
        Sender s = new Sender(null, null, new DriverCounters(), ClusterAuth.none(),
                new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none()));
        List<Object> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AppendEntry batch = new AppendEntry(2, "Node1", i - 1, i == 0 ? 0 : 2, "Node1",
                    List.of(new Entry(i, 2, Payload.NOOP)), -1, 0);
            s.toPeer("Node2", batch);
            queued.add(batch);
        }
        InstallSnapshot chunk = new InstallSnapshot(2, "Node1", 9, 1, 0, 10, 0, false, new byte[10], "");
        s.toPeer("Node3", chunk);
        AppendEntry heartbeat = AppendEntry.heartbeat(2, "Node1", 2, 2);
        s.toPeer("Node4", heartbeat);
        VoteAck vote = new VoteAck(2, true, "Node1", "Node5");
        s.toPeer("Node5", vote);
        s.to(PortRole.CONTROLLER, new InetSocketAddress("127.0.0.1", 40000), new byte[] {'{', '}'});
        s.stop();

        assertEquals(heartbeat, ((Datagram.ToPeer) s.next()).message());
        assertEquals(vote, ((Datagram.ToPeer) s.next()).message());
        assertInstanceOf(Datagram.ToAddress.class, s.next());
        for (Object batch : queued) {
            assertEquals(batch, ((Datagram.ToPeer) s.next()).message(), "batches in their order");
        }
        assertEquals(chunk, ((Datagram.ToPeer) s.next()).message());
        assertInstanceOf(Datagram.Stop.class, s.next(), "stop comes after everything queued before it");
    }
}
