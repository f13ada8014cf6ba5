package dev.raftledger.raftd.driver.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.snapshot.SnapshotPayload;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.LogOptions;
import dev.raftledger.raftd.store.log.SegmentedLog;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node starts from: its newest snapshot and the log entries that continue it. */
class StartupStateTest {

    @TempDir
    Path dir;

    private SegmentedLog log(long from, long to, long term) throws StoreException {
        SegmentedLog log = SegmentedLog.open(dir.resolve("log"), LogOptions.defaults());
        for (long i = from; i <= to; i++) {
            log.append(i, term, "{}".getBytes(StandardCharsets.UTF_8));
        }
        log.sync();
        return log;
    }

    /** A snapshot through {@code index} whose ledger has applied exactly that far. */
    private void snapshot(long index, long term) throws Exception {
        ReplicatedState state = ReplicatedState.empty();
        for (long i = 0; i <= index; i++) {
            state.ledger().applyNoop(i, term);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotPayload.capture(state).writeTo(out);
        SnapshotStore.open(dir.resolve("snapshots")).save(index, term, "", out.toByteArray());
    }

    @Test
    void withoutASnapshotTheWholeLog() throws Exception {
        try (SegmentedLog log = log(0, 4, 1)) {
            StartupState s = StartupState.recover("Node1", dir.resolve("snapshots"), log);
            assertNull(s.latest());
            assertEquals(LogPosition.EMPTY, s.snapshot());
            assertEquals(5, s.entries().size());
            assertEquals(-1, s.state().appliedIndex());
        }
    }

    @Test
    void aSnapshotAndTheEntriesAfterIt() throws Exception {
        snapshot(5, 1);
        try (SegmentedLog log = log(0, 9, 1)) {
            StartupState s = StartupState.recover("Node1", dir.resolve("snapshots"), log);
            assertEquals(new LogPosition(5, 1), s.snapshot());
            assertEquals(5, s.state().appliedIndex(), "the state comes from the snapshot");
            assertEquals(6, s.entries().get(0).index());
            assertEquals(9, s.entries().get(s.entries().size() - 1).index());
        }
    }

    @Test
    void aLogThatDoesNotContinueTheSnapshotIsResetAfterIt() throws Exception {
        snapshot(5, 2);
        try (SegmentedLog log = log(0, 3, 1)) { // ends before the snapshot's end: its tail was lost
            StartupState s = StartupState.recover("Node1", dir.resolve("snapshots"), log);
            assertTrue(s.entries().isEmpty());
            assertEquals(6, log.firstIndex(), "the next entry follows the snapshot");
            assertEquals(5, log.lastIndex());
        }
    }

    @Test
    void aCompactedLogWithoutItsSnapshotIsRefused() throws Exception {
        try (SegmentedLog log = log(0, 3, 1)) {
            log.resetTo(10);
            StoreException e = assertThrows(StoreException.class,
                    () -> StartupState.recover("Node1", dir.resolve("snapshots"), log));
            assertTrue(e.getMessage().contains("no valid snapshot"), e.getMessage());
        }
    }

    @Test
    void entriesReadBackAreTheLogs() throws Exception {
        try (SegmentedLog log = log(0, 2, 4)) {
            Entry e = StartupState.recover("Node1", dir.resolve("snapshots"), log).entries().get(2);
            assertEquals(2, e.index());
            assertEquals(4, e.term());
        }
    }
}
