package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.PeerMessage;
import java.net.InetSocketAddress;

/** What the listeners and the signal handler hand to the event loop. */
sealed interface LoopEvent {

    record FromPeer(PeerMessage message) implements LoopEvent {}

    record FromController(ControllerMessage request, InetSocketAddress replyTo) implements LoopEvent {}

    /** A controller datagram that did not decode; the loop answers it with ERROR {@code code}. */
    record BadControllerDatagram(String code, String reason, InetSocketAddress replyTo) implements LoopEvent {}

    record Stop(String reason) implements LoopEvent {}

    /** Only wakes the loop, which then checks its flags (a finished fsync). */
    record Wake() implements LoopEvent {}
}
