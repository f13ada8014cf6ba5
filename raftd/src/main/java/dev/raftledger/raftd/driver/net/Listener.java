package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Identity;
import dev.raftledger.common.auth.Opened;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.EventLoop;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.driver.control.ControllerHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener thread per port, as in the seed: receives datagrams, decodes and vets them, and
 * hands the good ones to the event loop. Bad input is counted and logged (rate-limited) here,
 * so it never reaches the core. Ends when its socket closes.
 */
public final class Listener implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final PortRole role;
    private final DatagramSocket socket;
    private final String self;
    private final PeerDirectory peers;
    private final EventLoop loop;
    private final DriverCounters counters;
    private final ClusterAuth auth;
    private final RateLimitedLog badInput = new RateLimitedLog(LOG);
    private final RateLimitedLog forbidden = new RateLimitedLog(LOG);
    /** Error replies to bad controller datagrams are bounded: garbage must not buy us work. */
    private static final int ERROR_REPLIES_PER_SECOND = 50;
    private final RateLimiter errorReplies = new RateLimiter(ERROR_REPLIES_PER_SECOND, ERROR_REPLIES_PER_SECOND);

    /** This node's cluster id (null: none, every peer message is taken whatever it carries). */
    private final String clusterId;

    public Listener(PortRole role, DatagramSocket socket, String self, PeerDirectory peers, EventLoop loop,
             DriverCounters counters, ClusterAuth auth) {
        this(role, socket, self, peers, loop, counters, auth, null);
    }

    /** As above, refusing peer messages that carry another cluster id than {@code clusterId}. */
    public Listener(PortRole role, DatagramSocket socket, String self, PeerDirectory peers, EventLoop loop,
             DriverCounters counters, ClusterAuth auth, String clusterId) {
        this.clusterId = clusterId;
        this.auth = auth;
        this.role = role;
        this.socket = socket;
        this.self = self;
        this.peers = peers;
        this.loop = loop;
        this.counters = counters;
    }

    @Override
    public void run() {
        byte[] buf = new byte[Sockets.RECEIVE_BUFFER];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            packet.setData(buf);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    badInput.warn(self + ": receive failed on " + role + " port: " + e.getMessage());
                }
                continue;
            }
            InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
            try {
                handle(buf, packet.getOffset(), packet.getLength(), source);
            } catch (RuntimeException e) {
                // A bug, not bad input. The listener must not die of it, or this port goes deaf.
                counters.malformedDatagrams.incrementAndGet();
                badInput.warn(self + ": failed to handle a datagram on the " + role + " port from " + source + ": " + e);
            }
        }
    }

    private void handle(byte[] buf, int offset, int length, InetSocketAddress from) {
        if (role != PortRole.CONTROLLER && PortChecker.isCheck(buf, offset, length)) {
            // another node checking that this process still listens: being here is the answer
            counters.portChecksReceived.incrementAndGet();
            return;
        }
        Opened opened;
        try {
            opened = auth.open(buf, offset, length);
        } catch (AuthException e) {
            // No reply, even on the controller port: an unauthenticated sender learns nothing.
            counters.authFailures.incrementAndGet();
            badInput.warn(self + ": dropped a datagram on the " + role + " port from " + from
                    + " that failed authentication: " + e.getMessage());
            return;
        }
        byte[] message = opened.message();
        Identity who = opened.identity();
        // the reply address remembers the key, so that the reply is sealed with it
        InetSocketAddress source = opened.key() == null ? from : new Requester(from, opened.key());
        if (who != null && !who.node() && role != PortRole.CONTROLLER) {
            // an operator's credential opens only the controller port: peers speak with node keys
            counters.forbidden.incrementAndGet();
            forbidden.warn(self + ": dropped a datagram on the " + role + " port from " + from + ": it was sealed with "
                    + "operator " + who.describe() + "'s credential, and only nodes may send peer messages");
            return;
        }
        try {
            if (role == PortRole.CONTROLLER) {
                onControllerDatagram(Codec.decodeController(message, 0, message.length), source, who);
            } else {
                Codec.PeerObject o = Codec.parsePeerObject(message, 0, message.length);
                String theirs = o.clusterId();
                PeerMessage m = Codec.decodePeer(o);
                if (theirs != null && clusterId != null && !theirs.equals(clusterId)) {
                    // another cluster's node (the one a restore replaced, or a recovered cluster's
                    // old members); a message without an id is taken (a node of an older release)
                    counters.clusterIdMismatches.incrementAndGet();
                    badInput.warn(self + ": dropped " + m.request() + " from " + source + " ('" + m.sender()
                            + "'): it belongs to cluster " + theirs + ", this node to cluster " + clusterId);
                    return;
                }
                onPeerDatagram(m, source);
            }
        } catch (MalformedMessageException e) {
            refuse(ControllerError.MALFORMED, "dropped a malformed datagram", e.getMessage(), source);
        }
    }

    /**
     * Known requests within the caller's role go to the event loop; an unknown one is bad input
     * like any other; one the caller's role does not allow is refused here (FORBIDDEN), so it
     * never reaches the loop and changes nothing.
     */
    private void onControllerDatagram(ControllerMessage m, InetSocketAddress source, Identity who) {
        java.util.Optional<ControllerRequest> request = ControllerRequest.fromWire(m.request())
                .filter(r -> r != ControllerRequest.ERROR);
        if (request.isEmpty()) {
            refuse(ControllerError.UNKNOWN_REQUEST, "refused an unknown request", "unknown request '" + shortened(m.request())
                    + "'; known: " + ControllerHandler.KNOWN, source);
            return;
        }
        if (who != null && !who.role().permits(request.get())) {
            counters.forbidden.incrementAndGet();
            boolean answered = errorReplies.tryAcquire();
            String reason = request.get() + " needs the role " + Role.needed(request.get()).wireName() + "; "
                    + who.name() + " is a " + who.role().wireName();
            forbidden.warn(self + ": refused " + request.get() + " from " + who.describe() + " at " + source
                    + ": not allowed to a " + who.role().wireName() + (answered ? " (answered ERROR FORBIDDEN)" : ""));
            if (answered) {
                loop.submit(new LoopEvent.BadControllerDatagram(ControllerError.FORBIDDEN, reason, source));
            }
            return;
        }
        loop.submit(new LoopEvent.FromController(m, source));
    }

    /**
     * Counts and logs bad input; on the controller port also answers it, within a budget, and
     * says so in the log line: a request answered with ERROR was refused, not dropped.
     */
    private void refuse(ControllerError code, String what, String reason, InetSocketAddress source) {
        counters.malformedDatagrams.incrementAndGet();
        if (role != PortRole.CONTROLLER) {
            badInput.warn(self + ": " + what + " on the " + role + " port from " + source + ": " + reason);
            return;
        }
        boolean answered = errorReplies.tryAcquire();
        String kind = code == ControllerError.UNKNOWN_REQUEST ? "an unknown request" : "a malformed request";
        badInput.warn(self + ": refused " + kind + " on the " + role + " port from " + source + ": " + reason
                + (answered ? " (answered ERROR " + code + ")"
                        : " (not answered: more than " + ERROR_REPLIES_PER_SECOND + " error replies a second)"));
        if (answered) {
            loop.submit(new LoopEvent.BadControllerDatagram(code, reason, source));
        }
    }

    /** A name from the wire, cut short: an error reply must fit a datagram whatever was sent. */
    private static String shortened(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private void onPeerDatagram(PeerMessage m, InetSocketAddress source) throws MalformedMessageException {
        if (PortRole.of(m) != role) {
            throw new MalformedMessageException(m.request() + " does not belong on this port");
        }
        String stranger = stranger(m, source);
        if (stranger != null) {
            counters.unknownSenders.incrementAndGet();
            badInput.warn(self + ": dropped " + m.request() + " from " + source + ": '" + stranger
                    + "' is not a member of the cluster");
            return;
        }
        if (!peers.admits(m.sender(), source.getAddress())) {
            // A member's name from an address that member's host does not have: forged, or the
            // member moved and the directory (now looking its name up again) has not seen it yet.
            counters.unexpectedSources.incrementAndGet();
            badInput.warn(self + ": dropped " + m.request() + " in " + m.sender() + "'s name from " + source
                    + ": not an address of " + m.sender() + "'s host " + peers.host(m.sender()) + " "
                    + peers.addresses(m.sender()).stream().map(a -> a.getHostAddress()).toList());
            return;
        }
        loop.submit(new LoopEvent.FromPeer(m));
    }

    private String stranger(PeerMessage m, InetSocketAddress source) {
        return stranger(m, self, peers, auth.enabled(), source.getAddress());
    }

    /**
     * A name in the message that is neither in --cluster nor in the configuration in force (or a
     * message not meant for us), or null if there is none. A name that is known must also come
     * from one of its host's addresses, which {@link #onPeerDatagram} checks next
     * ({@link PeerDirectory#admits}). One exception, in a cluster with a key only ({@code keyed}:
     * the datagram was signed by a key holder): a leader's own AppendEntry or InstallSnapshot, or
     * a candidate's own vote request, from a node not known here is let through, and the node is
     * answered at the address it spoke from, since it may be a member added (and elected) while
     * this node was away: the core decides whether to follow or vote (thesis 4.1), and this node
     * learns the new member's host from the configuration entries a leader sends it. Without a
     * key such a node must be restarted with a --cluster that names the new members
     * (docs/protocol.md).
     */
    static String stranger(PeerMessage m, String self, PeerDirectory peers, boolean keyed, java.net.InetAddress source) {
        if (m.sender().equals(self)) {
            return m.sender();
        }
        boolean speaksForItself = (m instanceof AppendEntry ae && ae.leaderId().equals(ae.sender()))
                || m instanceof InstallSnapshot
                || (m instanceof RequestVote rv && rv.candidateId().equals(rv.sender()));
        if (!peers.knows(m.sender())) {
            // Only an authenticated cluster may hear a node it does not know: without a key, a
            // forged AppendEntry with a made-up name and a huge term would depose everyone.
            if (!speaksForItself || !keyed) {
                return m.sender();
            }
            peers.learnSpeaker(m.sender(), source);
        }
        if (m instanceof RequestVote rv && !peers.knows(rv.candidateId()) && !rv.candidateId().equals(rv.sender())) {
            return rv.candidateId(); // a candidate asks for itself only
        }
        if (m instanceof AppendEntry ae && !ae.leaderId().equals(ae.sender())) {
            return ae.leaderId(); // a leader speaks for itself only
        }
        if (m instanceof VoteAck ack && !self.equals(ack.to())) {
            return ack.to();
        }
        if (m instanceof AppendReply reply && !self.equals(reply.to())) {
            return reply.to();
        }
        if (m instanceof TimeoutNow t && !self.equals(t.to())) {
            return t.to();
        }
        if (m instanceof SnapshotAck a && !self.equals(a.to())) {
            return a.to();
        }
        return null;
    }
}
