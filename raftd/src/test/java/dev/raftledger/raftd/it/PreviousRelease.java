package dev.raftledger.raftd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raftd launcher of the previous release, built from its git tag on first use: {@code git
 * archive TAG} into a folder, then {@code mvn -B -o -q -DskipTests package -pl raftd -am} there
 * (offline: the plugins and dependencies must be in the local Maven repository already, as they
 * are wherever this tree was built). The build is kept, keyed by the tag's commit id, under
 * {@code /var/cache/raftledger-test/previous-release} where that can be written, else under
 * raftd/target/previous-release, so that later runs start at once. A build that failed leaves no
 * mark and is tried again on the next run.
 *
 * <p>Used by one test thread at a time (the IT lock serialises runs across processes).
 */
final class PreviousRelease {

    /** The release the upgrade test starts from. */
    static final String TAG = "v0.1.0";

    /** Why the previous release cannot be had here (no git, no tag, the offline build failed). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** What was built: the launcher, the tag's commit id, and how long the build took (0: cached). */
    record Build(Path launcher, String commit, long buildMs) {}

    private PreviousRelease() {}

    /** The previous release's launcher, building it if no cached build exists. */
    static Build launcher() throws Unavailable, IOException, InterruptedException {
        Path top = Path.of(run(Path.of("").toAbsolutePath(), 30, "git", "rev-parse", "--show-toplevel").trim());
        String commit;
        try {
            commit = run(top, 30, "git", "rev-parse", "--verify", "--quiet", TAG + "^{commit}").trim();
        } catch (Unavailable e) {
            throw new Unavailable("the tag " + TAG + " is not in this clone (" + e.getMessage()
                    + "); fetch it with 'git fetch --tags' (a shallow CI clone has no tags)");
        }
        Path dir = cacheRoot(top).resolve("raftledger-" + TAG + "-" + commit.substring(0, 12));
        Path launcher = dir.resolve("src/raftd/target/raftd");
        Path done = dir.resolve("BUILT");
        if (Files.exists(done) && Files.isExecutable(launcher)) {
            return new Build(launcher, commit, 0);
        }
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("src"));
        long started = System.nanoTime();
        Path tar = dir.resolve("source.tar");
        run(top, 60, "git", "archive", "--format=tar", "--output=" + tar, commit);
        run(dir.resolve("src"), 60, "tar", "-xf", tar.toString());
        Files.delete(tar);
        Path log = dir.resolve("build.log");
        ProcessBuilder mvn = new ProcessBuilder("mvn", "-B", "-o", "-q", "-DskipTests", "package", "-pl", "raftd", "-am")
                .directory(dir.resolve("src").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = mvn.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new Unavailable("the offline build of " + TAG + " took over 15 minutes; see " + log);
        }
        if (p.exitValue() != 0 || !Files.isExecutable(launcher)) {
            throw new Unavailable("the offline build of " + TAG + " (mvn -o package -pl raftd -am) failed with status "
                    + p.exitValue() + "; last lines of " + log + ":\n" + tail(log, 15));
        }
        Files.writeString(done, commit + "\n");
        return new Build(launcher, commit, (System.nanoTime() - started) / 1_000_000);
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
