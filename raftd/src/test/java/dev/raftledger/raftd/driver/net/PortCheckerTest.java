package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.driver.DriverCounters;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The port checker on real loopback sockets: a check reaches a live process as one zero byte and
 * brings no answer; a check of a port nothing listens on brings the host's ICMP port unreachable,
 * reported once, for that peer.
 */
class PortCheckerTest {

    @Test
    void aLiveProcessGetsTheCheckAndNothingIsReportedAClosedPortIsReported() throws Exception {
        DatagramSocket live = new DatagramSocket(new InetSocketAddress("127.0.0.162", 0));
        int port = live.getLocalPort();
        DatagramSocket spare = new DatagramSocket(new InetSocketAddress("127.0.0.163", port)); // same port, closed later
        Ports ports = new Ports(port, port == 65535 ? 1 : port + 1, 2, 3);
        ClusterSpec cluster = ClusterSpec.parse("Node1=127.0.0.161,Node2=127.0.0.162,Node3=127.0.0.163", ports);
        PeerDirectory peers = new PeerDirectory(cluster);
        DriverCounters counters = new DriverCounters();
        List<String> closed = new CopyOnWriteArrayList<>();
        PortChecker checker = new PortChecker("Node1", InetAddress.getByName("127.0.0.161"), peers, counters, closed::add);
        Thread t = new Thread(checker, "test-portcheck");
        t.start();
        try {
            checker.check("Node2");
            live.setSoTimeout(5_000);
            DatagramPacket got = new DatagramPacket(new byte[16], 16);
            live.receive(got);
            byte[] payload = Arrays.copyOf(got.getData(), got.getLength());
            assertArrayEquals(PortChecker.CHECK, payload, "one zero byte");
            assertTrue(PortChecker.isCheck(payload, 0, payload.length));
            assertFalse(PortChecker.isCheck(new byte[] {'{'}, 0, 1), "a one-byte JSON start is not a check");
            assertEquals(new InetSocketAddress("127.0.0.161", 0).getAddress(),
                    ((InetSocketAddress) got.getSocketAddress()).getAddress(), "sent from this node's own address");

            spare.close(); // Node3's process is gone; its host (loopback) stays up
            checker.check("Node3");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (closed.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no port unreachable for Node3 within 5 s");
                Thread.onSpinWait();
            }
            assertEquals(List.of("Node3"), closed, "only the closed port is reported; the live one never");
            assertEquals(2, counters.portChecksSent.get());
            assertEquals(1, counters.portChecksClosed.get());
        } finally {
            checker.close();
            t.join(5_000);
            live.close();
        }
        assertFalse(t.isAlive(), "the checker's thread ends when closed");
    }
}
