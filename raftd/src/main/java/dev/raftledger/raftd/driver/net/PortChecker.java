package dev.raftledger.raftd.driver.net;

import dev.raftledger.raftd.driver.DriverCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks whether a process still listens on a peer's AppendEntry port: the core asks for it when
 * the leader's heartbeat is late ({@code Output.portChecks}). A check is one datagram of one zero
 * byte ({@link #CHECK}) from a UDP socket connected to the peer's port, so that the kernel
 * reports to this socket, and to no other, the ICMP "port unreachable" the peer's host answers
 * with when nothing listens there: its process died while the host stayed up. That answer, read
 * as a {@link PortUnreachableException}, goes to the event loop ({@code closed}); silence (a live
 * process, which ignores the check, or a host that is gone) means nothing.
 *
 * <p>The sockets are bound to this node's own address, on ports the kernel chooses, one per peer
 * and replaced when the peer's address changes: an answer must quote the check's ports to reach
 * one, so an off-path sender cannot easily forge one (and the core takes one only as a reason to
 * ask for pre-votes sooner: see {@code RaftCore.leaderUnreachable}).
 *
 * <p>Threads: {@link #check} from any thread (the event loop), never blocking; everything else
 * on this checker's own thread, which owns the sockets and the selector. Errors: a socket that
 * fails is closed and made again at the next check; failures are logged at a bounded rate.
 */
public final class PortChecker implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortChecker.class);

    /** The check's payload: one zero byte, neither JSON nor a sealed datagram; a listener ignores it. */
    public static final byte[] CHECK = {0};

    /** Whether a datagram is a port check (counted and dropped by a listener). */
    public static boolean isCheck(byte[] buf, int offset, int length) {
        return length == 1 && buf[offset] == 0;
    }

    private final String self;
    private final InetAddress bindAddress;
    private final PeerDirectory peers;
    private final DriverCounters counters;
    private final Consumer<String> closed;
    private final Selector selector;
    private final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    /** This thread's: peer -> its connected socket. */
    private final Map<String, DatagramChannel> channels = new HashMap<>();
    private final RateLimitedLog failures = new RateLimitedLog(LOG);
    private final ByteBuffer discard = ByteBuffer.allocate(64);
    private volatile boolean running = true;

    /**
     * @param bindAddress this node's own address (its AppendEntry socket's), the checks' source
     * @param closed      told, on this checker's thread, the name of a peer whose host answered
     *                    that nothing listens on its port
     */
    public PortChecker(String self, InetAddress bindAddress, PeerDirectory peers, DriverCounters counters,
                       Consumer<String> closed) throws IOException {
        this.self = self;
        this.bindAddress = bindAddress;
        this.peers = peers;
        this.counters = counters;
        this.closed = closed;
        this.selector = Selector.open();
    }

    /** Asks for one check of {@code peer}'s port. Any thread; never blocks. */
    public void check(String peer) {
        asked.add(peer);
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select();
                for (String peer; (peer = asked.poll()) != null; ) {
                    send(peer);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    answered(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.warn("{}: the port checker stopped: {}", self, e.toString());
            }
        } finally {
            channels.values().forEach(PortChecker::closeQuietly);
        }
    }

    private void send(String peer) {
        InetSocketAddress target = peers.address(peer, PortRole.APPEND_ENTRY);
        if (target == null) {
            return; // no address yet: nothing to check
        }
        try {
            DatagramChannel ch = channelTo(peer, target);
            try {
                ch.write(ByteBuffer.wrap(CHECK));
            } catch (PortUnreachableException stale) {
                // the answer to an earlier check, not yet read: not about now; check again
                ch.write(ByteBuffer.wrap(CHECK));
            }
            counters.portChecksSent.incrementAndGet();
        } catch (IOException e) {
            closeQuietly(channels.remove(peer));
            failures.warn(self + ": could not check the port of " + peer + " at " + target + ": " + e);
        }
    }

    /** The socket connected to {@code target}, made (again) if there is none or the peer moved. */
    private DatagramChannel channelTo(String peer, InetSocketAddress target) throws IOException {
        DatagramChannel ch = channels.get(peer);
        SocketAddress connected = ch == null ? null : ch.getRemoteAddress();
        if (ch != null && target.equals(connected)) {
            return ch;
        }
        closeQuietly(ch);
        ch = DatagramChannel.open();
        try {
            ch.bind(new InetSocketAddress(bindAddress, 0));
            ch.connect(target);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, peer);
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
        channels.put(peer, ch);
        return ch;
    }

    /** A socket is readable: an error pending on it (the answer), or a datagram nobody should send. */
    private void answered(SelectionKey key) {
        String peer = (String) key.attachment();
        DatagramChannel ch = (DatagramChannel) key.channel();
        try {
            discard.clear();
            ch.read(discard);
        } catch (PortUnreachableException e) {
            counters.portChecksClosed.incrementAndGet();
            closed.accept(peer);
        } catch (IOException e) {
            closeQuietly(channels.remove(peer));
            failures.warn(self + ": the port check of " + peer + " failed: " + e);
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /** Ends the thread (which closes the sockets). */
    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException ignored) {
            // the thread ends either way
        }
    }
}
