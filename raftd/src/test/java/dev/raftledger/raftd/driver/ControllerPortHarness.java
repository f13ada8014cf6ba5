package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.net.Listener;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import dev.raftledger.raftd.store.HardStateSink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One node's event loop and controller listener in this process, on an ephemeral loopback
 * port, with its peers silent (their messages are dropped) and its log in memory, durable as
 * soon as written. Requests travel as real datagrams, so a test sees what a controller sees:
 * the listener's refusals, the loop's replies, and none where none is due. Peers' answers, when
 * a test wants them, are handed to the loop directly ({@link #fromPeer}).
 */
final class ControllerPortHarness implements AutoCloseable {

    /** What the course's controllers read into (issue 10): a reply must fit it. */
    static final int CONTROLLER_BUFFER = 1024;

    private final DatagramSocket port;
    private final EventLoop loop;
    private final Memory memory;
    private final Thread loopThread;
    private final Thread listenerThread;

    /** Records nothing; the log is durable as soon as it is written. */
    private static final class Memory implements HardStateSink, EntryLog, Outbox {
        volatile EventLoop loop;
        DatagramSocket port;
        private long last = -1;
        /** What the node sent its peers, in order (they never answer unless a test says). */
        final List<PeerMessage> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** What the node appended to its log, in order. */
        final List<Entry> appended = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override public void save(HardState state) {}

        @Override public void truncateFrom(long index) {
            last = index - 1;
        }

        @Override public void append(List<Entry> entries) {
            last = entries.get(entries.size() - 1).index();
            appended.addAll(entries);
            loop.signalSynced();
        }

        @Override public long durableIndex() {
            return last;
        }

        @Override public void toPeer(String peer, PeerMessage message) {
            sent.add(message); // the peers are silent
        }

        @Override public void to(PortRole via, InetSocketAddress target, byte[] payload) {
            try {
                port.send(new DatagramPacket(payload, payload.length, target));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    ControllerPortHarness(List<String> members, Timings timings) throws IOException {
        this(members, timings, Limits.RECOMMENDED);
    }

    /** With the core's limits: {@link Limits#DEFAULT} keeps a leader whose peers are silent (no check-quorum). */
    ControllerPortHarness(List<String> members, Timings timings, Limits limits) throws IOException {
        memory = new Memory();
        port = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        memory.port = port;
        long now = EventLoop.now();
        RaftCore core = new RaftCore(members.get(0), members, timings, limits, HardState.INITIAL,
                List.of(), new SplittableRandom(1), now);
        DriverCounters counters = new DriverCounters();
        loop = EventLoop.assemble(core, memory, memory, memory, counters, "127.0.0.1", now);
        memory.loop = loop;
        // the controller listener touches no peer directory
        Listener listener = new Listener(PortRole.CONTROLLER, port, members.get(0), null, loop, counters,
                ClusterAuth.none());
        loopThread = new Thread(loop, "harness-loop");
        listenerThread = new Thread(listener, "harness-listener");
        loopThread.setDaemon(true);
        listenerThread.setDaemon(true);
        loopThread.start();
        listenerThread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) port.getLocalSocketAddress();
    }

    /** Watches a disk from now on (a test's monitor, sampled when the test says). */
    void attach(dev.raftledger.raftd.driver.space.SpaceMonitor monitor) {
        loop.attach(monitor);
    }

    /** What the node has sent its peers so far. */
    List<PeerMessage> sentToPeers() {
        return List.copyOf(memory.sent);
    }

    /** What the node has appended to its log so far (a truncation does not remove them here). */
    List<Entry> appendedEntries() {
        return List.copyOf(memory.appended);
    }

    /** A peer's message, straight to the loop. */
    void fromPeer(PeerMessage m) {
        loop.submit(new LoopEvent.FromPeer(m));
    }

    /**
     * Makes Node1 leader of term 1 in a five-node cluster: TIMEOUT, votes of Node2 and Node3,
     * queued to the loop back to back (a reply's round trip in between once let a loaded
     * machine's stall outlast the election timeout, and the votes arrived for an old term); then
     * waits until STATUS says leader.
     */
    void elect(Controller c) throws IOException {
        loop.submit(new LoopEvent.FromController(ControllerMessage.request("TIMEOUT"), c.address()));
        fromPeer(new VoteAck(1, true, "Node2", "Node1"));
        fromPeer(new VoteAck(1, true, "Node3", "Node1"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        StatusReply status;
        do {
            status = StatusReply.fromJson(c.askLarge("{\"sender_name\":\"raftctl\",\"request\":\"STATUS\"}").value());
            if ("leader".equals(status.state()) && Long.valueOf(1).equals(status.term())) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("Node1 did not become leader of term 1: " + status);
    }

    /** Whether the loop ended (a SHUTDOWN) within {@code ms}. */
    boolean awaitStopped(long ms) throws InterruptedException {
        loopThread.join(ms);
        return !loopThread.isAlive();
    }

    @Override
    public void close() {
        loop.requestStop("test over");
        port.close();
        try {
            loopThread.join(5_000);
            listenerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A controller as the course's are written: its own socket, one datagram sent per request, one
     * read into a 1024-byte buffer where a reply is expected.
     */
    static final class Controller implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress node;

        Controller(InetSocketAddress node) throws IOException {
            this.node = node;
            this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(String json) throws IOException {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, node));
        }

        /** The next datagram, read as those controllers do; fails if none comes within 5 s or it does not parse. */
        ControllerMessage read() throws IOException {
            ControllerMessage m = read(5_000);
            if (m == null) {
                throw new AssertionError("no reply within 5 s");
            }
            return m;
        }

        /** The next datagram within {@code ms}, or null. */
        ControllerMessage read(int ms) throws IOException {
            return read(ms, CONTROLLER_BUFFER);
        }

        /** A request whose reply may be larger than the course's controllers read (STATUS). */
        ControllerMessage askLarge(String json) throws IOException {
            send(json);
            ControllerMessage m = read(5_000, 65_535);
            if (m == null) {
                throw new AssertionError("no reply within 5 s");
            }
            return m;
        }

        private ControllerMessage read(int ms, int bufferBytes) throws IOException {
            byte[] buf = new byte[bufferBytes];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout(ms);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            try {
                return Codec.decodeController(p.getData(), p.getOffset(), p.getLength());
            } catch (MalformedMessageException e) {
                throw new AssertionError("a reply that does not parse from " + bufferBytes + " bytes ("
                        + p.getLength() + " read): " + e.getMessage(), e);
            }
        }

        ControllerMessage ask(String json) throws IOException {
            send(json);
            return read();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
