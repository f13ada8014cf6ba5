package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.store.HardStateSink;
import dev.raftledger.raftd.store.StoreException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns the core. It waits for the next event or the core's next
 * deadline, whichever comes first (this wait is the node's timer), feeds the core, and carries
 * out each output in order: persist the hard state, then send, then log.
 */
final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** Bounded so that a flood cannot exhaust memory; beyond it datagrams are dropped and counted. */
    static final int QUEUE_CAPACITY = 16_384;

    private final RaftCore core;
    private final HardStateSink store;
    private final Outbox sender;
    private final ControllerHandler controller;
    private final EventLogger events;
    private final DriverCounters counters;
    private final BlockingQueue<LoopEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    private volatile String stopReason;
    private int exitStatus;

    EventLoop(RaftCore core, HardStateSink store, Outbox sender, ControllerHandler controller,
              DriverCounters counters) {
        this.core = core;
        this.store = store;
        this.sender = sender;
        this.controller = controller;
        this.events = new EventLogger(core.name());
        this.counters = counters;
    }

    /** Monotonic milliseconds: the only clock the node reads. */
    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Hands an event to the loop; drops and counts it if the loop is overwhelmed. */
    void submit(LoopEvent event) {
        if (!queue.offer(event)) {
            counters.droppedOverload.incrementAndGet();
        }
    }

    /** Asks the loop to end; safe from any thread, never lost to a full queue. */
    void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        queue.offer(new LoopEvent.Stop(reason));
    }

    /** Why the loop ended. */
    String stopReason() {
        return stopReason;
    }

    /** 0 after a requested stop, 1 after a fatal error. */
    int exitStatus() {
        return exitStatus;
    }

    @Override
    public void run() {
        try {
            while (stopReason == null) {
                long now = now();
                long wait = core.nextDeadline() - now;
                if (wait <= 0) {
                    apply(core.tick(now));
                    continue;
                }
                LoopEvent event = queue.poll(wait, TimeUnit.MILLISECONDS);
                if (event != null) {
                    handle(event, now());
                }
            }
        } catch (StoreException e) {
            fail("stable storage failed, stopping so that no vote is forgotten: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("event loop interrupted", null);
        } catch (RuntimeException | Error e) {
            fail("event loop failed", e);
        }
    }

    private void fail(String message, Throwable cause) {
        LOG.error("{}: {}", core.name(), message, cause);
        stopReason = message;
        exitStatus = 1;
    }

    private void handle(LoopEvent event, long now) throws StoreException {
        if (event instanceof LoopEvent.FromPeer p) {
            apply(core.step(p.message(), now));
        } else if (event instanceof LoopEvent.FromController c) {
            ControllerHandler.Result r = controller.handle(c.request(), now);
            apply(r.output());
            sender.to(PortRole.CONTROLLER, c.replyTo(), Codec.encode(r.reply()));
            if (r.stop()) {
                LOG.info("{}: SHUTDOWN requested by the controller at {}", core.name(), c.replyTo());
                requestStop("controller SHUTDOWN from " + c.replyTo());
            }
        } else if (event instanceof LoopEvent.BadControllerDatagram b) {
            sender.to(PortRole.CONTROLLER, b.replyTo(), Codec.encode(controller.malformed(b.reason())));
        } else if (event instanceof LoopEvent.Stop s) {
            requestStop(s.reason());
        }
    }

    private void apply(Output out) throws StoreException {
        if (out.isEmpty()) {
            return;
        }
        if (out.hardState() != null) {
            store.save(out.hardState());
        }
        for (Outbound o : out.messages()) {
            sender.toPeer(o.to(), o.message());
        }
        for (CoreEvent e : out.events()) {
            events.log(e);
        }
    }
}
