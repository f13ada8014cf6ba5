package dev.raftledger.raftd.driver;

import dev.raftledger.raftd.metrics.NodeMetrics;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.SegmentedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit thread: fsyncs the log whenever the event loop has appended since the last
 * fsync. Appends made while an fsync runs are covered by the next one, so under load one fsync
 * serves many writes, and the event loop never waits for the disk.
 */
final class Persister implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Persister.class);

    private final SegmentedLog log;
    private final EventLoop loop;
    /** Where each fsync's duration is recorded. */
    private final NodeMetrics metrics;
    private boolean requested;
    private boolean stopping;

    Persister(SegmentedLog log, EventLoop loop, NodeMetrics metrics) {
        this.log = log;
        this.loop = loop;
        this.metrics = metrics;
    }

    /** Something was appended: make it durable soon. */
    synchronized void requestSync() {
        requested = true;
        notifyAll();
    }

    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    private synchronized boolean awaitRequest() throws InterruptedException {
        while (!requested && !stopping) {
            wait();
        }
        boolean go = requested;
        requested = false;
        return go;
    }

    @Override
    public void run() {
        try {
            while (awaitRequest()) {
                long started = System.nanoTime();
                log.sync();
                metrics.logFsyncNanos(System.nanoTime() - started);
                loop.signalSynced();
            }
        } catch (StoreException e) {
            LOG.error("fsync of the log failed: {}", e.getMessage());
            loop.fail("stable storage failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
