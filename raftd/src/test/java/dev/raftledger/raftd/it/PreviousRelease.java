package dev.raftledger.raftd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raftd launcher of the previous release, built on first use from its source archive, which
 * is committed in the tree ({@code packaging/releases/raftledger-VERSION-src.tar.xz}, made at the
 * release with {@code git archive --prefix=raftledger-VERSION/ vVERSION | xz -9}, its SHA-256
 * beside it). The archive, not the git tag, is the source: CI runs on a clone without tags or
 * history, and the archive is the same in every clone. The archive is checked against its
 * recorded SHA-256, unpacked, then built with {@code mvn -B -q -DskipTests package -pl raftd -am}
 * (Maven takes what its local repository lacks from Maven Central). The build is kept, keyed by
 * the archive's SHA-256, under {@code /var/cache/raftledger-test/previous-release} where that can
 * be written, else under raftd/target/previous-release, so that later runs start at once. A build
 * that failed leaves no mark and is tried again on the next run.
 *
 * <p>Used by one test thread at a time (the IT lock serialises runs across processes).
 */
final class PreviousRelease {

    /** The release the upgrade test starts from. */
    static final String VERSION = "0.1.0";

    /** The release's tag, as a name for people: the archive was made from it. */
    static final String TAG = "v" + VERSION;

    /** Why the previous release cannot be had here (no archive, a damaged one, the build failed). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** What was built: the launcher, the archive's SHA-256, and how long the build took (0: cached). */
    record Build(Path launcher, String sha256, long buildMs) {}

    private PreviousRelease() {}

    /** The previous release's launcher, building it if no cached build exists. */
    static Build launcher() throws Unavailable, IOException, InterruptedException {
        Path top = topOfTree();
        Path archive = top.resolve("packaging/releases/raftledger-" + VERSION + "-src.tar.xz");
        Path recorded = archive.resolveSibling(archive.getFileName() + ".sha256");
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(recorded)) {
            throw new Unavailable("the source archive " + archive + " or its .sha256 is missing");
        }
        String sha256 = sha256(archive);
        String expected = Files.readString(recorded, StandardCharsets.UTF_8).trim().split("\\s+")[0];
        if (!sha256.equals(expected)) {
            throw new Unavailable("the source archive " + archive + " is damaged: SHA-256 " + sha256
                    + ", recorded " + expected);
        }
        Path dir = cacheRoot(top).resolve("raftledger-" + VERSION + "-" + sha256.substring(0, 12));
        Path src = dir.resolve("raftledger-" + VERSION);
        Path launcher = src.resolve("raftd/target/raftd");
        Path done = dir.resolve("BUILT");
        if (Files.exists(done) && Files.isExecutable(launcher)) {
            return new Build(launcher, sha256, 0);
        }
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        long started = System.nanoTime();
        run(dir, 120, "tar", "-xJf", archive.toString());
        Path log = dir.resolve("build.log");
        ProcessBuilder mvn = new ProcessBuilder("mvn", "-B", "-q", "-DskipTests", "package", "-pl", "raftd", "-am")
                .directory(src.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = mvn.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new Unavailable("the build of " + TAG + " took over 15 minutes; see " + log);
        }
        if (p.exitValue() != 0 || !Files.isExecutable(launcher)) {
            throw new Unavailable("the build of " + TAG + " (mvn package -pl raftd -am) failed with status "
                    + p.exitValue() + "; last lines of " + log + ":\n" + tail(log, 15));
        }
        Files.writeString(done, sha256 + "\n");
        return new Build(launcher, sha256, (System.nanoTime() - started) / 1_000_000);
    }

    /** The top of this source tree: the nearest folder upwards holding packaging/releases. */
    private static Path topOfTree() throws Unavailable {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("packaging/releases"))) {
                return d;
            }
        }
        throw new Unavailable("no packaging/releases above " + Path.of("").toAbsolutePath());
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** /var/cache/raftledger-test/previous-release if it can be written, else raftd/target/previous-release. */
    private static Path cacheRoot(Path top) {
        Path shared = Path.of("/var/cache/raftledger-test");
        try {
            Path root = shared.resolve("previous-release");
            Files.createDirectories(root);
            if (Files.isWritable(root)) {
                return root;
            }
        } catch (IOException | SecurityException e) {
            // not root, no such folder: the module's target instead
        }
        return top.resolve("raftd/target/previous-release");
    }

    /** Runs a command, returns its standard output; Unavailable if it fails or outlasts {@code seconds}. */
    private static String run(Path dir, int seconds, String... cmd) throws Unavailable, IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new Unavailable(cmd[0] + " cannot be run: " + e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new Unavailable(String.join(" ", cmd) + " took over " + seconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new Unavailable(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text.trim());
        }
        return text;
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
