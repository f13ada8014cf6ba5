package dev.raftledger.raftd.restore;

import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code raftd restore}: one member's new data dir from a backup ({@link BackupFile}), for a
 * cluster of new members with a new identity. The data dir gets the backup's state as its
 * snapshot (the same payload bytes, so the same checksum), with the new members as the
 * configuration in force at its index; the term of its last entry as the current term (so the
 * first election is of a later term than any entry); an empty log; and the new cluster's id.
 * Every member restored from the same backup with the same members gets the same id
 * ({@link #clusterIdFor}), so they take each other's messages and no node of the old cluster's.
 *
 * <p>A {@code RESTORING} marker is written first and removed last, so that raftd never starts
 * from a half-filled data dir; if filling fails, what was made is deleted. One thread.
 */
public final class Restore {

    /** What was made. */
    public record Result(Path dataDir, String clusterId, long index, long term, ClusterConfig members) {}

    private Restore() {}

    /** The id of a cluster restored from the backup {@code h} with {@code members}: the same for every member. */
    public static String clusterIdFor(BackupFile.Header h, ClusterConfig members) {
        List<String> parts = new ArrayList<>(List.of("raftledger-restore-v1", Long.toString(h.index()),
                Long.toString(h.term()), Long.toString(h.payloadCrc())));
        members.names().stream().sorted().forEach(parts::add);
        return ClusterId.derive(parts);
    }

    /**
     * Fills {@code dataDir} (absent, or empty) from the intact backup {@code backup} whose header
     * is {@code h} (read and checked by the caller).
     *
     * @throws StoreException if the directory is not empty, or writing fails (what was made is deleted)
     */
    public static Result restore(Path backup, BackupFile.Header h, Path dataDir, String name, ClusterConfig members,
                                 String clusterId) throws StoreException {
        return restore(backup, h, dataDir, name, members, clusterId, bytes -> { });
    }

    /** As above, telling {@code progress} the payload bytes written so far. */
    public static Result restore(Path backup, BackupFile.Header h, Path dataDir, String name, ClusterConfig members,
                                 String clusterId, java.util.function.LongConsumer progress) throws StoreException {
        if (!ClusterId.isFresh(dataDir)) {
            throw new StoreException("the data dir " + dataDir + " is not empty");
        }
        boolean created = !Files.exists(dataDir);
        try {
            Files.createDirectories(dataDir);
            Files.write(dataDir.resolve(ClusterId.RESTORING), new byte[0], StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.SYNC);
            syncDirectory(dataDir);
            ClusterId.write(dataDir, clusterId);
            SnapshotStore store = SnapshotStore.open(dataDir.resolve("snapshots"));
            SnapshotMeta meta;
            try (InputStream payload = BackupFile.payload(backup, h)) {
                meta = store.save(h.index(), h.term(), members.toJson(), out -> {
                    byte[] buf = new byte[256 * 1024];
                    long written = 0;
                    for (int n = payload.read(buf); n >= 0; n = payload.read(buf)) {
                        out.write(buf, 0, n);
                        written += n;
                        progress.accept(written);
                    }
                });
            }
            if (meta.payloadCrc() != h.payloadCrc() || meta.payloadSize() != h.payloadSize()) {
                throw new StoreException(String.format("the state written (%d bytes, crc32c %08x) is not the backup's "
                        + "(%d bytes, crc32c %08x): the backup changed while it was read?", meta.payloadSize(),
                        meta.payloadCrc(), h.payloadSize(), h.payloadCrc()));
            }
            try (DataDir dir = DataDir.open(dataDir)) {
                HardStateStore.open(dir, name).save(new HardState(h.term(), null));
            }
            Files.delete(dataDir.resolve(ClusterId.RESTORING));
            syncDirectory(dataDir);
        } catch (IOException | StoreException | RuntimeException e) {
            undo(dataDir, created);
            throw e instanceof StoreException se ? se : new StoreException("cannot restore into " + dataDir + ": " + e, e);
        }
        return new Result(dataDir, clusterId, h.index(), h.term(), members);
    }

    /** Deletes what a failed restore made: the directory if it made it, else what it put in it. */
    private static void undo(Path dataDir, boolean created) {
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dataDir) || created) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // the RESTORING marker, if left, keeps raftd from starting there; the first error is the one reported
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
