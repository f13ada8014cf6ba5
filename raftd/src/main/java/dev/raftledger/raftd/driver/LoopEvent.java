package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.CoreStatus;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** What the listeners and the signal handler hand to the event loop. */
public sealed interface LoopEvent {

    /** A peer's message, with when it was queued ({@link System#nanoTime}): its wait is measured. */
    record FromPeer(PeerMessage message, long queuedAtNanos) implements LoopEvent {
        public FromPeer(PeerMessage message) {
            this(message, System.nanoTime());
        }
    }

    record FromController(ControllerMessage request, InetSocketAddress replyTo) implements LoopEvent {}

    /** A controller datagram that did not decode; the loop answers it with ERROR {@code code}. */
    record BadControllerDatagram(ControllerError code, String reason, InetSocketAddress replyTo) implements LoopEvent {}

    record Stop(String reason) implements LoopEvent {}

    /** {@code peer}'s host answered a port check: nothing listens on its port ({@code net.PortChecker}). */
    record PortClosed(String peer) implements LoopEvent {}

    /** Only wakes the loop, which then checks its flags (a finished fsync). */
    record Wake() implements LoopEvent {}

    /** The metrics endpoint asks for the core's status; the loop, which owns the core, completes it. */
    /** The snapshot thread finished writing a snapshot ({@code meta} null and {@code error} set if it failed). */
    record SnapshotSaved(dev.raftledger.raftd.store.snapshot.SnapshotMeta meta, String error, long bytesCounted)
            implements LoopEvent {}

    record StatusRequest(CompletableFuture<CoreStatus> reply) implements LoopEvent {}
}
