package dev.raftledger.raftd.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's data directory, locked for as long as the node runs so that two raftd processes can
 * never share (and corrupt) one directory.
 */
public final class DataDir implements AutoCloseable {

    private static final String LOCK_FILE = "raftd.lock";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and takes its lock, or says why it cannot. */
    public static DataDir open(Path path) throws StoreException {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new StoreException("cannot create data dir " + path + ": " + e, e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException("data dir " + path + " is in use by another raftd process");
            }
            return new DataDir(path, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreException("data dir " + path + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock data dir " + path + ": " + e, e);
        } catch (StoreException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do: opening already failed
            }
        }
    }

    public Path path() {
        return path;
    }

    /** Makes a rename or create inside the directory durable (fsync of the directory itself). */
    public void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(path, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
