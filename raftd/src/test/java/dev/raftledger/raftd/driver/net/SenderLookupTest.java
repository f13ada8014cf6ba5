package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.raftd.driver.DriverCounters;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sender never waits on a name lookup: a real sender thread on real sockets (127.0.0.36,
 * ports the kernel picks), peers named by host names that a fake resolver answers: one name
 * hangs about 10 s (as a stopped container's did under Docker), one never resolves, one
 * answers at once. Datagrams to the healthy peer, heartbeats and votes, leave at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SenderLookupTest {

    private static final String SELF = "127.0.0.36";
    private static final String FAST = "127.0.0.37";
    /** Longer than any bound this test allows a datagram; the hang the issue saw was 10-20 s. */
    private static final long HANG_MS = 10_000;

    private final DatagramSocket[] receivers = new DatagramSocket[4];
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowLookupBegan = new CountDownLatch(1);
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger lookupsOfMoving = new AtomicInteger();
    private Ports ports;
    private Sockets sockets;
    private PeerResolver resolver;
    private PeerDirectory peers;
    private DriverCounters counters;
    private Sender sender;
    private Thread senderThread;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 4; i++) {
            receivers[i] = new DatagramSocket(new InetSocketAddress(FAST, 0));
            receivers[i].setSoTimeout(50);
        }
        ports = new Ports(receivers[0].getLocalPort(), receivers[1].getLocalPort(), receivers[2].getLocalPort(),
                receivers[3].getLocalPort());
        ClusterSpec cluster = ClusterSpec.parse("Node1=" + SELF + ",Slow=slow.test,Gone=gone.test,Fast=fast.test,"
                + "Moving=moving.test", ports);
        answers.put("fast.test", FAST);
        answers.put("moving.test", "192.0.2.1"); // TEST-NET-1: the kernel refuses to send there from loopback
        sockets = Sockets.bind(SELF, ports);
        resolver = new PeerResolver();
        peers = new PeerDirectory(cluster, "Node1", this::lookup, resolver.lookups(), () -> System.nanoTime() / 1_000_000);
        counters = new DriverCounters();
        sender = new Sender(sockets, peers, counters, ClusterAuth.none(),
                new DatagramBudget(DatagramBudget.DEFAULT_BYTES, ClusterAuth.none()));
        senderThread = new Thread(sender, "test-sender");
        senderThread.start();
    }

    private InetAddress[] lookup(String host) throws UnknownHostException {
        if (host.equals("slow.test")) {
            slowLookupBegan.countDown();
            try {
                release.await(HANG_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host + ": timed out");
        }
        if (host.equals("moving.test")) {
            lookupsOfMoving.incrementAndGet();
        }
        String a = answers.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(a)};
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (sender != null) {
            sender.stop();
            senderThread.join(5_000);
        }
        if (resolver != null) {
            resolver.close();
        }
        if (sockets != null) {
            sockets.close();
        }
        for (DatagramSocket r : receivers) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void aHangingLookupOfOnePeerDelaysNoDatagramToAnother() throws Exception {
        awaitAddress("Fast");
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            sender.toPeer("Slow", heartbeat(i)); // starts the hanging lookup; dropped, no address
            sender.toPeer("Gone", heartbeat(i)); // never resolves; dropped
            sender.toPeer("Fast", heartbeat(i));
            sender.toPeer("Fast", RequestVote.of(i, "Node1", -1, 0));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(heartbeat(i), receive(PortRole.APPEND_ENTRY, start), "heartbeat " + i);
            assertEquals(RequestVote.of(i, "Node1", -1, 0), receive(PortRole.REQUEST_VOTE, start), "vote " + i);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 2_000, "20 datagrams to Fast took " + ms + " ms while Slow's lookup hangs for " + HANG_MS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counters.sendFailures() < 20 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(20, counters.sendFailures(), "Slow's and Gone's datagrams are dropped and counted, not queued");
    }

    @Test
    void aHangingLookupOfOnePeerDelaysNoLookupOfAnother() throws Exception {
        peers.address("Slow", PortRole.APPEND_ENTRY); // Slow's lookup starts, and hangs
        assertTrue(slowLookupBegan.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        awaitAddress("Fast");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 1_000, "Fast resolved after " + ms + " ms while Slow's lookup hangs for " + HANG_MS);
    }

    @Test
    void aFailureToSendIsFollowedByALookupAndTheNewAddressIsUsed() throws Exception {
        awaitAddress("Moving");
        int before = lookupsOfMoving.get();
        answers.put("moving.test", FAST); // it moved; nothing tells the directory but the failure
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        int sent = 0;
        while (true) {
            sender.toPeer("Moving", heartbeat(sent++));
            try {
                receivers[PortRole.APPEND_ENTRY.ordinal()].receive(p);
                break;
            } catch (SocketTimeoutException e) {
                assertTrue(System.nanoTime() < deadline, "Moving's new address was never used");
            }
        }
        assertTrue(counters.sendFailures() >= 1, "the send to the old address failed");
        assertTrue(lookupsOfMoving.get() > before, "the failure asked for a lookup");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < PeerDirectory.SILENT_REFRESH_MS, "the new address was used after " + ms
                + " ms: the failure, not the timed refresh, brought it");
    }

    private void awaitAddress(String peer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (peers.address(peer, PortRole.APPEND_ENTRY) == null) {
            assertTrue(System.nanoTime() < deadline, peer + " never resolved");
            Thread.onSpinWait();
        }
    }

    private static AppendEntry heartbeat(long term) {
        return AppendEntry.heartbeat(term, "Node1", -1, 0);
    }

    private PeerMessage receive(PortRole role, long start) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                receivers[role.ordinal()].receive(p);
                return Codec.decodePeer(p.getData(), p.getOffset(), p.getLength());
            } catch (SocketTimeoutException e) {
                assertTrue(System.nanoTime() < deadline, "nothing arrived on the " + role + " port");
            }
        }
    }
}
