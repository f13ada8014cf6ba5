package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a node finds on disk after a crash, with real processes: a torn last record is cut and
 * the node catches up; a corrupt record in the middle stops it with a clear message instead of
 * serving wrong data; an empty data dir rejoins from scratch.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecoveryIT extends ClusterTest {

    private LeaderView leader;
    private String victim;

    @BeforeEach
    void prepare() throws Exception {
        leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(10));
        StoreBlaster.storeMany(cluster.spec().node(leader.leader()).orElseThrow(), 200, Duration.ofSeconds(20));
        victim = cluster.others(leader.leader()).get(0);
        awaitAppliedAtLeast(victim, 200);
        cluster.kill(victim); // SIGKILL
    }

    @Test
    void aTornLastRecordIsCutAndTheNodeCatchesUp() throws Exception {
        Path segment = lastSegment();
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(size - 7); // the last record loses its end, as in a crash mid-write
        }
        cluster.start(victim);
        awaitCaughtUp();
        String log = Files.readString(cluster.logFile(victim));
        assertTrue(log.contains("cut a damaged tail"), "the cut is logged:\n" + log);
    }

    @Test
    void aCorruptRecordInTheMiddleStopsTheNodeWithAClearMessage() throws Exception {
        Path segment = lastSegment();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long middle = Files.size(segment) / 3;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x5A);
        }
        Process p = cluster.start(victim);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the node refuses to start");
        assertEquals(1, p.exitValue());
        String log = Files.readString(cluster.logFile(victim));
        assertTrue(log.contains("is damaged at offset") && log.contains("refusing to start"), log);
    }

    @Test
    void anEmptyDataDirRejoinsAndCatchesUp() throws Exception {
        LocalCluster.deleteRecursively(cluster.dataDir(victim));
        cluster.start(victim);
        awaitCaughtUp();
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(cluster.dataDir(victim).resolve("log"))) {
            List<Path> segments = files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
            return segments.get(segments.size() - 1);
        }
    }

    private void awaitCaughtUp() {
        long target = status(leader.leader()).get("applied_index").asLong();
        awaitAppliedAtLeast(victim, target);
    }

    private void awaitAppliedAtLeast(String node, long index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Answer a = cluster.ask(node, "STATUS", Duration.ofMillis(300));
            if (a.answered() && a.reply().value().get("applied_index").asLong() >= index) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, node + " did not reach applied index " + index);
            LocalCluster.pause();
        }
    }

    private JsonNode status(String node) {
        Answer a = cluster.ask(node, "STATUS", Duration.ofSeconds(1));
        assertTrue(a.answered(), node + ": " + a.error());
        return a.reply().value();
    }
}
