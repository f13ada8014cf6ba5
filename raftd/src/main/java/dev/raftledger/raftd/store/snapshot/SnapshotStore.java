package dev.raftledger.raftd.store.snapshot;

import dev.raftledger.raftd.store.StoreException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The node's snapshots, one file each in a directory (format: {@link SnapshotFormat}).
 *
 * <p>A snapshot file appears whole or not at all: it is written to a temp file, fsynced, renamed
 * to its name and the directory fsynced ({@link #save}, and {@link SnapshotReceiver} for one
 * sent by the leader). The newest two are kept, so that if the newest is found damaged at start
 * {@link #latest} can fall back to the one before (which helps only if the log still holds the
 * entries after that one: compact the log through the older snapshot's index for that). Temp
 * files a crash left behind are deleted by {@link #open}.
 *
 * <p>Threads: safe to use from several. {@link #save} streams its payload without a lock, so a
 * snapshot thread can write one while the event loop receives another; installing (rename,
 * retention) and {@link #latest} are serialized. A reader keeps its file open, so a snapshot
 * deleted by retention while it is being sent stays readable until the reader is closed (POSIX).
 */
public final class SnapshotStore {

    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private final Path dir;
    private final List<Path> deletedTempFiles;
    private final Object installLock = new Object();

    private SnapshotStore(Path dir, List<Path> deletedTempFiles) {
        this.dir = dir;
        this.deletedTempFiles = List.copyOf(deletedTempFiles);
    }

    /**
     * Opens the store in {@code dir} (e.g. {@code DATA_DIR/snapshots}), creating the directory if
     * needed, and deletes the temp files of saves and transfers a crash interrupted.
     */
    public static SnapshotStore open(Path dir) throws StoreException {
        List<Path> deleted = new ArrayList<>();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    DirectorySync.sync(parent);
                }
            }
            for (Path f : list(dir)) {
                if (SnapshotFormat.isTemp(f)) {
                    Files.deleteIfExists(f);
                    deleted.add(f);
                }
            }
            // Not fsynced: a temp file that comes back after a crash is deleted again next time.
        } catch (IOException e) {
            throw new StoreException("cannot open the snapshot directory " + dir + ": " + e, e);
        }
        return new SnapshotStore(dir, deleted);
    }

    public Path directory() {
        return dir;
    }

    /** The temp files {@link #open} deleted (left by a crash during a save or a transfer), for a log line. */
    public List<Path> deletedTempFiles() {
        return deletedTempFiles;
    }

    /**
     * Writes a snapshot whose payload {@code writer} streams, and installs it durably (see the
     * class comment). The size and CRC32C are computed as the bytes pass, so the payload is never
     * held in memory. Returns once the snapshot is durable; older snapshots beyond the newest
     * two are then deleted. If the writer fails, nothing is installed and the temp file is
     * deleted.
     *
     * @throws IllegalArgumentException if the index, term or configuration are invalid (see {@link SnapshotMeta})
     * @throws StoreException if writing fails (the writer's own {@link IOException} included)
     */
    public SnapshotMeta save(long lastIncludedIndex, long lastIncludedTerm, String configuration, PayloadWriter writer)
            throws StoreException {
        new SnapshotMeta(lastIncludedIndex, lastIncludedTerm, configuration, 0, 0); // checks the arguments first
        Objects.requireNonNull(writer, "writer");
        Path temp = createTemp(lastIncludedIndex, lastIncludedTerm);
        SnapshotMeta meta;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.position(SnapshotFormat.headerBytes(configuration));
                CountingCrcOutputStream out = new CountingCrcOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), WRITE_BUFFER_BYTES));
                writer.writeTo(out);
                out.flush();
                meta = new SnapshotMeta(lastIncludedIndex, lastIncludedTerm, configuration, out.count(), out.crc());
                SnapshotFormat.writeHeader(channel, meta);
                channel.force(true);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new StoreException("cannot write a snapshot through index " + lastIncludedIndex + " to " + temp + ": " + e, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
        install(temp, meta);
        return meta;
    }

    /** {@link #save(long, long, String, PayloadWriter)} of a payload already in memory. */
    public SnapshotMeta save(long lastIncludedIndex, long lastIncludedTerm, String configuration, byte[] payload)
            throws StoreException {
        Objects.requireNonNull(payload, "payload");
        return save(lastIncludedIndex, lastIncludedTerm, configuration, out -> out.write(payload));
    }

    /**
     * The newest valid snapshot: its header parses, its name and length agree with the header
     * and its payload matches the CRC32C (the whole file is read). Newer files that fail are
     * passed over and reported; those that are damaged are renamed {@code <name>.corrupt} so
     * that retention no longer counts them (kept for the operator). Empty if there is no valid
     * snapshot. Meant for start-up; the meta it returns is what {@link #openReader} takes.
     */
    public LatestSnapshot latest() throws StoreException {
        synchronized (installLock) {
            List<LatestSnapshot.Rejected> rejected = new ArrayList<>();
            for (Path file : snapshotFiles()) {
                try {
                    return new LatestSnapshot(Optional.of(SnapshotFormat.verify(file)), rejected);
                } catch (SnapshotFormat.BadSnapshotException e) {
                    rejected.add(new LatestSnapshot.Rejected(file, e.getMessage(), moveAside(file)));
                } catch (IOException e) {
                    rejected.add(new LatestSnapshot.Rejected(file, "cannot read it: " + e, null));
                }
            }
            return new LatestSnapshot(Optional.empty(), rejected);
        }
    }

    /**
     * Opens the snapshot {@code meta} describes (as returned by {@link #save}, {@link #latest} or
     * a receiver) to read its payload, e.g. in chunks for InstallSnapshot or as a stream to
     * load it. Checks the header matches {@code meta} and the length; the payload checksum is
     * checked as it is read through (see {@link SnapshotReader}).
     *
     * @throws StoreException if the file is gone (retention deleted it: two newer snapshots
     *                        exist) or does not match {@code meta}
     */
    public SnapshotReader openReader(SnapshotMeta meta) throws StoreException {
        Path file = dir.resolve(SnapshotFormat.fileName(meta));
        try {
            return SnapshotReader.open(file, meta);
        } catch (NoSuchFileException e) {
            throw new StoreException("no snapshot file " + file + " for the " + meta.describe()
                    + " (deleted once two newer snapshots were saved?)", e);
        } catch (IOException e) {
            throw new StoreException("cannot read the snapshot " + file + ": " + e, e);
        }
    }

    /** The file that holds the snapshot {@code meta} describes (it may have been deleted since). */
    public Path fileOf(SnapshotMeta meta) {
        return dir.resolve(SnapshotFormat.fileName(meta));
    }

    /** A receiver for snapshots sent in chunks by the leader, installed into this store. */
    public SnapshotReceiver receiver() {
        return new SnapshotReceiver(this);
    }

    /** A new, empty temp file in the store's directory, named so that {@link #open} recognizes it. */
    Path createTemp(long index, long term) throws StoreException {
        try {
            return Files.createTempFile(dir, SnapshotFormat.fileName(index, term) + ".", SnapshotFormat.TEMP_SUFFIX);
        } catch (IOException e) {
            throw new StoreException("cannot create a temp file in " + dir + ": " + e, e);
        }
    }

    /**
     * Installs a complete, fsynced temp file as the snapshot {@code meta}: atomic rename (over a
     * file of the same name), directory fsync, then retention. The temp file is gone afterwards
     * either way.
     */
    void install(Path temp, SnapshotMeta meta) throws StoreException {
        Path target = dir.resolve(SnapshotFormat.fileName(meta));
        synchronized (installLock) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                DirectorySync.sync(dir);
            } catch (IOException e) {
                deleteQuietly(temp);
                throw new StoreException("cannot install the " + meta.describe() + " as " + target + ": " + e, e);
            }
            retain(target);
        }
    }

    /**
     * Deletes every snapshot but the newest two and {@code justInstalled} (normally one of
     * them; a caller that installs an older one can still read it). A deletion that a crash
     * undoes is harmless (the file is older than the kept ones), so the directory is not fsynced.
     */
    private void retain(Path justInstalled) throws StoreException {
        List<Path> files = snapshotFiles();
        for (int i = 2; i < files.size(); i++) {
            Path f = files.get(i);
            if (f.equals(justInstalled)) {
                continue;
            }
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new StoreException("cannot delete the old snapshot " + f + ": " + e, e);
            }
        }
    }

    /** Snapshot files by name, newest (highest index, then term) first. */
    private List<Path> snapshotFiles() throws StoreException {
        try {
            Comparator<Path> byPoint = Comparator.comparingLong((Path f) -> SnapshotFormat.pointOf(f).index())
                    .thenComparingLong(f -> SnapshotFormat.pointOf(f).term());
            return list(dir).stream()
                    .filter(f -> SnapshotFormat.pointOf(f) != null && Files.isRegularFile(f))
                    .sorted(byPoint.reversed())
                    .toList();
        } catch (IOException e) {
            throw new StoreException("cannot list the snapshot directory " + dir + ": " + e, e);
        }
    }

    private Path moveAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + SnapshotFormat.CORRUPT_SUFFIX);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return aside;
        } catch (IOException e) {
            return null; // it stays and is passed over again next time; the reason is reported either way
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // already failing; the first error is the one to report, and open() deletes temp files
        }
    }
}
