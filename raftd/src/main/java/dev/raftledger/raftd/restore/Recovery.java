package dev.raftledger.raftd.restore;

import dev.raftledger.common.BuildInfo;
import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.snapshot.SnapshotPayload;
import dev.raftledger.raftd.driver.start.StartupState;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.LogOptions;
import dev.raftledger.raftd.store.log.SegmentedLog;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The first half of {@code raftd recover} (disaster recovery, as etcd's
 * {@code --force-new-cluster}): a backup made offline from a survivor's data dir, holding the
 * state after <em>every</em> entry of its log, committed or not as far as it knew (a majority
 * that could say is gone; an entry it holds but that never committed was never acknowledged
 * to a client as done, so keeping it loses nothing acknowledged). The second half is an
 * ordinary {@link Restore} of that backup into the survivor's data dir and every other
 * member's, so they all get the same new cluster id.
 *
 * <p>Reads the data dir as a start does (a torn log tail is cut, a damaged snapshot set
 * aside), under its lock, so never while the node runs. One thread.
 */
public final class Recovery {

    /**
     * What the survivor held.
     *
     * @param snapshotIndex   the last index of its snapshot, or -1
     * @param logEntries      entries of its log applied after the snapshot
     * @param oldClusterId    its cluster id, or null
     */
    public record Exported(Path backup, long index, long term, long snapshotIndex, int logEntries,
                           String oldClusterId) {}

    private Recovery() {}

    /** Writes the backup {@code out} (which must not exist) from the survivor's {@code dataDir}. */
    public static Exported export(Path dataDir, String name, Path out) throws StoreException, IOException {
        try (DataDir dir = DataDir.open(dataDir); SegmentedLog log = SegmentedLog.open(dataDir.resolve("log"),
                LogOptions.defaults())) {
            String oldId = ClusterId.read(dir.path()); // under the lock: no node runs here
            StartupState recovered = StartupState.recover(name, dataDir.resolve("snapshots"), log);
            ReplicatedState state = recovered.state();
            long index = recovered.snapshot().index();
            long term = recovered.snapshot().term();
            String configuration = recovered.latest() == null ? "" : recovered.latest().configuration();
            for (Entry e : recovered.entries()) {
                state.apply(e);
                if (ClusterConfig.isConfig(e.data())) {
                    configuration = ClusterConfig.fromPayload(e.data()).toJson();
                }
                index = e.index();
                term = e.term();
            }
            if (index < 0) {
                throw new StoreException("the data dir " + dataDir + " holds no entries and no snapshot: nothing to "
                        + "recover from");
            }
            Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".raftd-recover-");
            try {
                SnapshotStore store = SnapshotStore.open(work);
                SnapshotMeta meta = store.save(index, term, configuration, SnapshotPayload.capture(state)::writeTo);
                Path part = out.resolveSibling(out.getFileName() + ".part");
                try (OutputStream o = Files.newOutputStream(part, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                     InputStream in = Files.newInputStream(store.fileOf(meta))) {
                    o.write(BackupFile.prefix(new BackupFile.Description(oldId, name, System.currentTimeMillis(),
                            BuildInfo.version())));
                    in.transferTo(o);
                }
                try (var ch = java.nio.channels.FileChannel.open(part, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                try {
                    BackupFile.read(part);
                } catch (BackupFile.DamagedException e) {
                    throw new StoreException("the backup written to " + part + " does not check out: " + e.getMessage());
                }
                Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
                Restore.syncDirectory(out.toAbsolutePath().getParent());
            } finally {
                try (Stream<Path> all = Files.walk(work)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            return new Exported(out, index, term, recovered.snapshot().index(), recovered.entries().size(), oldId);
        }
    }
}
