package dev.raftledger.raftd.driver.control;

import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.net.Outbox;
import dev.raftledger.raftd.driver.net.PortRole;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread ({@code raftd-reader}): answers the EXPENSES reads that need a pass over the
 * ledger (a text filter, a category and a payer together, totals under a filter) and the export
 * cursors' pages, off the event loop, so that no read holds up a heartbeat. The loop decides
 * when a read may be served (for a linearizable read: once the leader's ReadIndex round is
 * confirmed and it has applied up to the read's index), takes a {@code Ledger.copyForReads()} then
 * (copy-on-write, a few milliseconds at a million expenses), and submits a job over that copy;
 * this thread runs the job and sends the reply. Because the copy is taken after the read's index
 * was applied, it holds every write committed before the read arrived: the answer is as
 * linearizable as one the loop gives itself, only later.
 *
 * <p>Threads: one thread runs {@link #run}; the loop calls {@link #submit}; {@link #stop} from
 * any. The thread touches only what a job was given (a copy, a frozen reply shell,
 * {@link Replies.Frozen}), the {@link ExportCursors} it owns, and the sender's queue (which is
 * thread-safe); never the core, the live ledger or the loop's state.
 *
 * <p>Errors: a full queue ({@link #CAPACITY} jobs) refuses the read at once with ERROR
 * {@code BUSY}, counted ({@code reads_refused_busy}); a job that waited over {@link #STALE_MS}
 * is answered BUSY without its pass; a job that fails (a bug) is answered BUSY naming the
 * failure and logged, and the thread goes on.
 */
public final class ReadWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadWorker.class);

    /**
     * Jobs waiting at most: beyond them reads are refused at once. A pass over a million expenses
     * takes 0.2-0.5 s on this project's machine, so 8 waiting is about as long as a client waits
     * for an answer (raftctl: 1.5 s a try); a longer queue would only do work whose reply no one
     * reads any more.
     */
    public static final int CAPACITY = 8;
    /** A job that waited longer than this (a client has given up on it) is answered BUSY without its pass, ms. */
    static final long STALE_MS = 5_000;

    /** A read to answer off the loop: its reply, built from what it captured. */
    @FunctionalInterface
    interface Job {
        ControllerMessage run(ExportCursors cursors);
    }

    private record Task(Job job, InetSocketAddress replyTo, Replies.Frozen shell, long queuedAt) {}

    private static final Task STOP = new Task(c -> null, null, null, 0);

    private final BlockingQueue<Task> queue;
    private final Outbox out;
    private final DriverCounters counters;
    private final ExportCursors cursors;

    /** Sends through {@code out} (the node's sender), counts refusals in {@code counters}. */
    public ReadWorker(Outbox out, DriverCounters counters) {
        this(out, counters, ExportCursors.system(), CAPACITY);
    }

    ReadWorker(Outbox out, DriverCounters counters, ExportCursors cursors, int capacity) {
        this(out, counters, cursors, capacity, () -> System.nanoTime() / 1_000_000);
    }

    /** As above, with {@code clockMs} (monotonic ms) for how long a job waited. */
    ReadWorker(Outbox out, DriverCounters counters, ExportCursors cursors, int capacity, LongSupplier clockMs) {
        this.clockMs = clockMs;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for STOP
        this.out = out;
        this.counters = counters;
        this.cursors = cursors;
        this.capacity = capacity;
    }

    private final int capacity;
    private final LongSupplier clockMs;

    /**
     * Queues {@code job}, whose reply goes to {@code replyTo}; false (counted) if {@link #CAPACITY}
     * jobs wait already: the caller answers BUSY.
     */
    boolean submit(Job job, InetSocketAddress replyTo, Replies.Frozen shell) {
        if (queue.size() >= capacity || !queue.offer(new Task(job, replyTo, shell, clockMs.getAsLong()))) {
            counters.readsRefusedBusy.incrementAndGet();
            return false;
        }
        return true;
    }

    /** The ERROR reply to a read refused because this queue is full. */
    static ControllerMessage busy(Replies.Frozen shell) {
        return shell.error(ControllerError.BUSY, "EXPENSES: " + CAPACITY + " reads that need a pass over the ledger"
                + " are waiting on this node; nothing was read, ask again in a moment");
    }

    /** Ends the thread once the jobs queued before are done. Any thread. */
    public void stop() {
        queue.clear(); // replies no one will wait for once the node stops
        queue.offer(STOP);
    }

    @Override
    public void run() {
        try {
            for (Task t = queue.take(); t != STOP; t = queue.take()) {
                ControllerMessage reply;
                long waited = clockMs.getAsLong() - t.queuedAt();
                try {
                    reply = waited > STALE_MS ? t.shell().error(ControllerError.BUSY, "EXPENSES: the read waited "
                            + waited + " ms for this node's reader; nothing was read, ask again")
                            : t.job().run(cursors);
                } catch (RuntimeException e) {
                    LOG.warn("a read failed on the reader thread", e);
                    reply = t.shell().error(ControllerError.BUSY, "EXPENSES: the read failed on this node (" + e
                            + "); ask again");
                }
                out.to(PortRole.CONTROLLER, t.replyTo(), Codec.encode(reply));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
