package dev.raftledger.raftd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case the lock exists for: two raftd processes on one data dir. A second JVM holds the
 * lock; this one must be refused until that process lets go.
 */
class DataDirProcessLockTest {

    @Test
    @Timeout(30)
    void dataDirHeldByAnotherProcessIsRefusedUntilItExits(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("node1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return "read failed: " + e;
                }
            }).get(20, TimeUnit.SECONDS);
            assertEquals("locked", line, "the holder process did not take the lock");

            StoreException e = assertThrows(StoreException.class, () -> DataDir.open(dir));
            assertTrue(e.getMessage().contains("in use by another raftd process"), e.getMessage());

            holder.getOutputStream().close(); // lets the holder close the dir and exit
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS), "holder did not exit");
            assertEquals(0, holder.exitValue());

            try (DataDir mine = DataDir.open(dir)) {
                assertEquals(dir, mine.path());
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
