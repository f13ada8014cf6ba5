package dev.raftledger.raftd.driver.space;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one node's disk: every second, on a daemon thread of its own ({@code raftd-space}), it
 * reads what the data dir holds and what its file system has free, and raises or clears the
 * node's alarm ({@link SpaceAlarm}). Anyone may read the latest {@link State} at any time (a
 * volatile read); the event loop stamps it on the AppendReplies it sends and shows it in STATUS.
 *
 * <p>A reading that fails (the data dir unreadable for a moment) keeps the last state and is
 * logged once per change of message; the node's own writes report real storage failures.
 */
public final class SpaceMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceMonitor.class);
    static final long INTERVAL_MS = 1_000;

    /** Reads the disk; the production one walks the data dir and asks its file store. */
    @FunctionalInterface
    public interface Probe {
        DiskReading read() throws IOException;
    }

    /**
     * The latest state: the reading, the alarm's reason (null: not raised) and when it was
     * raised (monotonic ms, 0 when not).
     */
    public record State(SpaceQuota quota, DiskReading reading, String alarm, long raisedAtMs) {
        public boolean raised() {
            return alarm != null;
        }
    }

    private final String node;
    private final SpaceQuota quota;
    private final Probe probe;
    private final SpaceAlarm alarm;
    private final Runnable onChange;
    private volatile State state;
    private String lastFailure;
    private ScheduledExecutorService timer;

    /**
     * @param onChange told (on the monitor's thread) each time the alarm is raised or cleared
     */
    public SpaceMonitor(String node, SpaceQuota quota, Probe probe, Runnable onChange) {
        this.node = node;
        this.quota = quota;
        this.probe = probe;
        this.alarm = new SpaceAlarm(quota);
        this.onChange = onChange;
        this.state = new State(quota, null, null, 0);
    }

    /** The probe of a data dir: the sum of its files' sizes, and its file store's usable space. */
    public static Probe dataDir(Path dir) {
        return () -> new DiskReading(sizeOf(dir), Files.getFileStore(dir).getUsableSpace());
    }

    static long sizeOf(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a file deleted while walking (a compacted segment)
            }
        });
        return total[0];
    }

    /** Takes the first reading now (so STATUS has one from the start), then one a second. */
    public void start() {
        sample();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftd-space");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sample, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    /** One reading, and the alarm's change if any; on the monitor's thread (or a test's). */
    public synchronized void sample() {
        DiskReading r;
        try {
            r = probe.read();
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (!why.equals(lastFailure)) {
                LOG.warn("{}: cannot read the data dir's disk usage: {}", node, why);
                lastFailure = why;
            }
            return;
        }
        lastFailure = null;
        boolean wasRaised = state.raised();
        String reason = alarm.update(r);
        long now = System.nanoTime() / 1_000_000;
        state = new State(quota, r, reason, reason == null ? 0 : wasRaised ? state.raisedAtMs() : now);
        if (reason != null && !wasRaised) {
            LOG.warn("{}: NO_SPACE alarm raised: {}; the cluster takes no new writes until it clears "
                    + "(take a snapshot to compact the log: raftctl snapshot; or free space; or raise --quota-bytes)",
                    node, reason);
            onChange.run();
        } else if (reason == null && wasRaised) {
            LOG.info("{}: NO_SPACE alarm cleared: the data dir holds {} of its {} quota, {} free", node,
                    Bytes.human(r.usedBytes()), Bytes.human(quota.quotaBytes()), Bytes.human(r.freeBytes()));
            onChange.run();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
