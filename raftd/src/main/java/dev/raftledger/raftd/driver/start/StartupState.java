package dev.raftledger.raftd.driver.start;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.driver.DurableEntryLog;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.snapshot.SnapshotPayload;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.SegmentedLog;
import dev.raftledger.raftd.store.snapshot.LatestSnapshot;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node starts from: the newest valid snapshot (its state loaded) and the log entries
 * after it. The log is kept if it holds the snapshot's last entry with its term, or starts right
 * after it; otherwise (a crash between installing a leader's snapshot and resetting the log, or
 * a tail lost in a crash before a snapshot of applied entries) it is reset to start after the
 * snapshot. A log that starts later than index 0 with no snapshot to cover what is missing is
 * refused: entries would be lost.
 */
public record StartupState(SnapshotStore store, SnapshotMeta latest, LogPosition snapshot, ReplicatedState state,
                    List<Entry> entries) {

    private static final Logger LOG = LoggerFactory.getLogger("raftd");

    public static StartupState recover(String node, Path snapshotDir, SegmentedLog log) throws StoreException {
        SnapshotStore store = SnapshotStore.open(snapshotDir);
        store.deletedTempFiles().forEach(f -> LOG.warn("{}: deleted {}, a snapshot left unfinished by a crash", node, f));
        LatestSnapshot found = store.latest();
        found.rejected().forEach(r -> LOG.warn("{}: skipped the snapshot {}: {}{}", node, r.file(), r.reason(),
                r.movedTo() == null ? "" : " (moved to " + r.movedTo() + ")"));
        SnapshotMeta meta = found.snapshot().orElse(null);
        if (meta == null) {
            if (log.firstIndex() > 0) {
                throw new StoreException("the log starts at index " + log.firstIndex() + " but no valid snapshot "
                        + "covers the entries before it (in " + snapshotDir + ")");
            }
            return new StartupState(store, null, LogPosition.EMPTY, ReplicatedState.empty(), DurableEntryLog.readAll(log));
        }
        long index = meta.lastIncludedIndex();
        if (!log.holds(index, meta.lastIncludedTerm()) && log.firstIndex() != index + 1) {
            LOG.warn("{}: the log (indices {}..{}) does not continue the snapshot {}; it now starts after it", node,
                    log.firstIndex(), log.lastIndex(), meta.describe());
            log.resetTo(index + 1);
        }
        ReplicatedState state = SnapshotPayload.load(store, meta);
        LOG.info("{}: loaded the {}", node, meta.describe());
        List<Entry> after = DurableEntryLog.readFrom(log, index + 1);
        return new StartupState(store, meta, new LogPosition(index, meta.lastIncludedTerm()), state, after);
    }
}
