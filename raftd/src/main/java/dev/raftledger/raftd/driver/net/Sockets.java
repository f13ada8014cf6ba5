package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.cluster.Ports;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The node's four bound UDP sockets. Each listener receives on its own; the sender sends each
 * message from the socket of its kind, so peers see the seed's port as the source.
 */
public final class Sockets implements AutoCloseable {

    /** Big enough for any UDP datagram, so nothing is silently truncated before it is judged. */
    static final int RECEIVE_BUFFER = 65_536;

    /**
     * The kernel's queue per socket. Linux's default (about 208 KiB) overflows under a burst of
     * large datagrams, and what overflows is dropped without regard to content: heartbeats
     * included, which costs an election. 4 MiB absorbs a burst; the kernel caps it at
     * net.core.rmem_max, and {@link #bind} reports when it did.
     */
    public static final int KERNEL_RECEIVE_BUFFER = 4 << 20;

    private final Map<PortRole, DatagramSocket> sockets = new EnumMap<>(PortRole.class);

    private Sockets() {}

    /** Binds all four ports on {@code host}, or closes what it bound and says which failed. */
    public static Sockets bind(String host, Ports ports) throws IOException {
        Sockets s = new Sockets();
        try {
            for (PortRole role : PortRole.values()) {
                InetSocketAddress address = new InetSocketAddress(host, role.port(ports));
                if (address.isUnresolved()) {
                    throw new IOException("cannot resolve bind address " + host);
                }
                try {
                    DatagramSocket socket = new DatagramSocket(null);
                    socket.setReceiveBufferSize(KERNEL_RECEIVE_BUFFER);
                    socket.bind(address);
                    s.sockets.put(role, socket);
                } catch (BindException e) {
                    throw new IOException("cannot bind " + role + " listener to " + address + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The smallest receive buffer the kernel granted, in bytes. */
    public int grantedReceiveBuffer() throws SocketException {
        int min = Integer.MAX_VALUE;
        for (DatagramSocket socket : sockets.values()) {
            min = Math.min(min, socket.getReceiveBufferSize());
        }
        return min;
    }

    public DatagramSocket get(PortRole role) {
        return sockets.get(role);
    }

    @Override
    public void close() {
        for (DatagramSocket socket : sockets.values()) {
            socket.close();
        }
    }
}
