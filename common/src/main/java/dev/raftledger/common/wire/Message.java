package dev.raftledger.common.wire;

/**
 * Every datagram on the wire decodes to exactly one of these. Peer messages travel between
 * nodes on ports 9000-9002; {@link ControllerMessage} travels on the controller port.
 */
public sealed interface Message permits PeerMessage, ControllerMessage {

    /** The value of the {@code request} field on the wire. */
    String request();
}
