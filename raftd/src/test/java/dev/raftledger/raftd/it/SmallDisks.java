package dev.raftledger.raftd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Small file systems made for a test: a tmpfs of a few MiB mounted on a node's data dir, so that
 * a disk fills in seconds, and grown later as an operator would free space. Needs root (mount);
 * where it cannot run the test is skipped loudly, or failed with {@code -Ddisk.required=true}
 * (the README's test command), so a full-disk test never counts as passed without having run.
 */
final class SmallDisks {

    private SmallDisks() {}

    /** Skips (loudly) or fails the calling test if tmpfs cannot be mounted here. */
    static void require() {
        String why = unavailableReason();
        if (why == null) {
            return;
        }
        String message = "the full-disk tests cannot run on this machine: " + why;
        if (Boolean.getBoolean("disk.required")) {
            Assertions.fail(message + " (and disk.required=true)");
        }
        System.err.println("*** SKIPPED: " + message + "; this test did NOT run (CI sets -Ddisk.required=true) ***");
        Assumptions.assumeTrue(false, message);
    }

    private static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (mounting a tmpfs needs it)";
        }
        try {
            Path probe = Files.createTempDirectory("raftledger-tmpfs-probe");
            try {
                mount(probe, "64k");
                unmount(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot mount a tmpfs: " + e.getMessage();
        }
    }

    /** Mounts a tmpfs of {@code size} (e.g. "4m") on {@code dir}, creating it. */
    static void mount(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toAbsolutePath().toString());
    }

    /** Grows (or shrinks) the tmpfs on {@code dir}, keeping its files: space freed by the operator. */
    static void resize(Path dir, String size) throws IOException {
        run("mount", "-o", "remount,size=" + size, dir.toAbsolutePath().toString());
    }

    static void unmount(Path dir) throws IOException {
        run("umount", dir.toAbsolutePath().toString());
    }

    /** Unmounts every mount under {@code root}, deepest first: what a killed run left behind. */
    static void unmountUnder(Path root) throws IOException {
        String prefix = root.toAbsolutePath().normalize() + "/";
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].startsWith(prefix)) {
                found.add(f[1]);
            }
        }
        found.sort((a, b) -> b.length() - a.length());
        for (String m : found) {
            run("umount", "-l", m);
        }
    }

    private static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
