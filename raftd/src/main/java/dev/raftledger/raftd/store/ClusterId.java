package dev.raftledger.raftd.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A cluster's identity: 16 lower-case hex digits, kept in the data dir's {@code cluster-id}
 * file and carried in every peer message ({@code cluster_id}, docs/protocol.md), so that the
 * nodes of a cluster restored from a backup (or recovered from a survivor) and those of the
 * cluster it replaced never take each other's messages, even under the same names and hosts.
 * A new cluster's id is derived from its member names, so that every member started with the
 * same {@code --cluster} gets the same one without talking; {@code raftd restore} and
 * {@code raftd recover} derive a new one from the backup and the members. A data dir of an
 * older release has none (the node then sends none and takes every message, as before).
 *
 * <p>Also the marker {@code RESTORING}, present while {@code raftd restore} fills a data dir,
 * so that a node never starts from a half-restored one. Stateless; any thread.
 */
public final class ClusterId {

    public static final String FILE = "cluster-id";
    public static final String RESTORING = "RESTORING";
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{16}");

    private ClusterId() {}

    /** Whether {@code id} is of the form a cluster id takes (16 lower-case hex digits). */
    public static boolean valid(String id) {
        return id != null && FORM.matcher(id).matches();
    }

    /** The first 16 hex digits of SHA-256 over the parts, each followed by a newline. */
    public static String derive(List<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(p.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The id of a new cluster of these members: from their names alone, in any order. */
    public static String ofNewCluster(List<String> names) {
        return derive(Stream.concat(Stream.of("raftledger-cluster-v1"), names.stream().sorted()).toList());
    }

    /** The id in {@code dataDir}, or null if it has none. */
    public static String read(Path dataDir) throws StoreException {
        Path file = dataDir.resolve(FILE);
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!valid(id)) {
                throw new StoreException(file + " holds '" + (id.length() > 40 ? id.substring(0, 40) + "..." : id)
                        + "', not a cluster id (16 lower-case hex digits)");
            }
            return id;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e, e);
        }
    }

    /** Writes {@code id} durably (temp file, fsync, rename, directory fsync). */
    public static void write(Path dataDir, String id) throws StoreException {
        if (!valid(id)) {
            throw new IllegalArgumentException("not a cluster id (16 lower-case hex digits): " + id);
        }
        Path temp = dataDir.resolve(FILE + ".tmp");
        try {
            Files.writeString(temp, id + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(temp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot write " + dataDir.resolve(FILE) + ": " + e, e);
        }
    }

    /** Whether a data dir holds nothing of a node's yet (absent, or empty but for an old lock file). */
    public static boolean isFresh(Path dataDir) throws StoreException {
        if (!Files.exists(dataDir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.allMatch(f -> f.getFileName().toString().equals("raftd.lock"));
        } catch (IOException e) {
            throw new StoreException("cannot list the data dir " + dataDir + ": " + e, e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
