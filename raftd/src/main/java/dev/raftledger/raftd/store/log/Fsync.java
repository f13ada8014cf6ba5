package dev.raftledger.raftd.store.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every fsync the log issues goes through here. Group commit is a requirement (one fsync for
 * many appends), and counting fsyncs is how the tests check it; tests can also run code just
 * before a segment fsync, to append while a sync is in flight.
 */
final class Fsync {

    private final AtomicLong count = new AtomicLong();
    private volatile Runnable beforeSegmentFsync = () -> {};

    void segment(Segment segment) throws IOException {
        beforeSegmentFsync.run();
        segment.force();
        count.incrementAndGet();
    }

    /** Makes file creations, deletions and renames in {@code dir} durable. */
    void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }

    void beforeSegmentFsync(Runnable hook) {
        beforeSegmentFsync = hook;
    }
}
