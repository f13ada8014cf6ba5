package dev.raftledger.raftd.store;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link DataDirProcessLockTest}: opens the data dir given as the
 * argument, prints "locked", and holds the lock until its standard input is closed.
 */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (DataDir dir = DataDir.open(Path.of(args[0]))) {
            System.out.println(java.nio.file.Files.isDirectory(dir.path()) ? "locked" : "no directory");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
