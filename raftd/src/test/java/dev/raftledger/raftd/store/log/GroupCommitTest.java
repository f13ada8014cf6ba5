package dev.raftledger.raftd.store.log;

import static dev.raftledger.raftd.store.log.LogFixtures.SMALL;
import static dev.raftledger.raftd.store.log.LogFixtures.appendRange;
import static dev.raftledger.raftd.store.log.LogFixtures.assertHolds;
import static dev.raftledger.raftd.store.log.LogFixtures.payload;
import static dev.raftledger.raftd.store.log.LogFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fsync covers every append before it. */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void thousandAppendsThenOneSyncIsOneFsync() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
            long before = log.fsync().count();
            appendRange(log, 0, 999, 1);
            assertEquals(before, log.fsync().count(), "appends do not fsync");
            assertEquals(-1, log.durableIndex());
            assertEquals(999, log.sync());
            assertEquals(before + 1, log.fsync().count());
            assertEquals(999, log.durableIndex());

            assertEquals(999, log.sync(), "nothing new");
            assertEquals(before + 1, log.fsync().count(), "a sync with nothing new does not fsync");
        }
    }

    @Test
    void aBatchAppendThenOneSyncIsOneFsync() throws Exception {
        List<LogRecord> batch = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            batch.add(record(i, 2));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
            long before = log.fsync().count();
            log.appendAll(batch);
            assertEquals(999, log.sync());
            assertEquals(before + 1, log.fsync().count());
        }
    }

    @Test
    void aSyncAfterANewSegmentAlsoFsyncsTheDirectory() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            long before = log.fsync().count();
            long last = -1;
            int rolls = 0;
            // append until the first roll: the roll syncs the old segment, then the new one is created
            while (rolls == 0) {
                last++;
                long fsyncs = log.fsync().count();
                log.append(last, 1, payload(last, 1));
                rolls += (int) (log.fsync().count() - fsyncs);
            }
            assertEquals(before + 1, log.fsync().count(), "the roll fsynced the finished segment");
            assertEquals(last - 1, log.durableIndex(), "which makes its records durable");
            assertEquals(last, log.sync());
            assertEquals(before + 3, log.fsync().count(), "the new segment and the directory");
            log.append(last + 1, 1, payload(last + 1, 1));
            log.sync();
            assertEquals(before + 4, log.fsync().count(), "the directory only once");
            assertHolds(log, last + 1, i -> 1);
        }
    }

    @Test
    void durableIndexNeverPassesLastIndex() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            appendRange(log, 0, 49, 1);
            assertEquals(49, log.sync());
            log.truncateSuffix(30);
            assertEquals(29, log.lastIndex());
            assertEquals(29, log.durableIndex());
            appendRange(log, 30, 34, 2);
            assertEquals(29, log.durableIndex());
            assertTrue(log.durableIndex() <= log.lastIndex());
            assertEquals(34, log.sync());
        }
    }
}
