package dev.raftledger.raftd.it;

import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Writes many STOREs to a leader quickly: up to {@link #WINDOW} requests outstanding from one
 * socket, counting COMMITTED replies. For building up a long log in tests, not for measuring.
 */
final class StoreBlaster {

    static final int WINDOW = 200;

    private StoreBlaster() {}

    /**
     * Sends {@code count} STOREs (keys k0..); returns how many were answered COMMITTED in time.
     * UDP may still lose a reply, so callers check the log itself, not this count.
     */
    static int storeMany(NodeAddress leader, int count, Duration budget) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        int sent = 0;
        int committed = 0;
        byte[] buf = new byte[65536];
        try (DatagramSocket socket = new DatagramSocket()) {
            // a burst of small replies costs ~1 KiB of kernel buffer each: the default overflows
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(1_000);
            while (committed < count && System.nanoTime() < deadline) {
                while (sent < count && sent - committed < WINDOW) {
                    byte[] req = Codec.encode(new ControllerMessage(ControllerMessage.CONTROLLER, "STORE", null,
                            TextNode.valueOf("k" + sent), TextNode.valueOf("v" + sent)));
                    socket.send(new DatagramPacket(req, req.length, leader.controller()));
                    sent++;
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return committed; // replies stopped: lost writes or a leader change
                }
                try {
                    ControllerMessage reply = Codec.decodeController(p.getData(), p.getOffset(), p.getLength());
                    if ("COMMITTED".equals(reply.keyText())) {
                        committed++;
                    }
                } catch (MalformedMessageException e) {
                    throw new IOException("unreadable reply: " + e.getMessage(), e);
                }
            }
        }
        return committed;
    }
}
