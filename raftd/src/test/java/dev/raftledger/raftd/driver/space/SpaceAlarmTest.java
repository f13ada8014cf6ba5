package dev.raftledger.raftd.driver.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a node's disk alarm is raised and cleared, and what the cluster makes of its members' alarms. */
class SpaceAlarmTest {

    private static final SpaceQuota QUOTA = new SpaceQuota(10_000, 1_000);

    /**
     * Readings one after another (used/free), and whether the alarm is raised after each: raised
     * past the quota or under the floor; cleared only 5 % under the quota and a quarter over the floor.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "under both                 | 9000/5000                       | -",
        "at the quota exactly       | 10000/5000                      | -",
        "over the quota             | 10001/5000                      | R",
        "over, then just under      | 10001/5000 9600/5000            | R R",
        "over, then 5 % under       | 10001/5000 9500/5000            | R -",
        "under the floor            | 100/999                         | R",
        "under, then at the floor   | 100/999 100/1000                | R R",
        "under, then a quarter over | 100/999 100/1250                | R -",
        "both must be back          | 10001/999 9500/1249 9500/1250   | R R -",
        "raised again after clear   | 10001/5000 100/5000 100/10      | R - R",
    })
    void raisedAndCleared(String name, String readings, String expected) {
        SpaceAlarm alarm = new SpaceAlarm(QUOTA);
        List<String> got = new ArrayList<>();
        for (String r : readings.trim().split(" +")) {
            String[] uf = r.split("/");
            got.add(alarm.update(new DiskReading(Long.parseLong(uf[0]), Long.parseLong(uf[1]))) == null ? "-" : "R");
        }
        assertEquals(expected.trim(), String.join(" ", got));
    }

    @Test
    void theReasonSaysWhichLimitAndItsSetting() {
        SpaceAlarm alarm = new SpaceAlarm(new SpaceQuota(2L << 30, 64L << 20));
        assertEquals("the data dir holds 2.5 GiB, over its quota of 2.0 GiB (--quota-bytes)",
                alarm.update(new DiskReading(5L << 29, 10L << 30)));
        SpaceAlarm floor = new SpaceAlarm(new SpaceQuota(2L << 30, 64L << 20));
        assertEquals("its file system has 12.0 MiB free, under the 64.0 MiB it must keep (--min-free-bytes)",
                floor.update(new DiskReading(1 << 20, 12L << 20)));
    }

    @Test
    void aQuotaMustBePositiveAndTheFloorNotNegative() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new SpaceQuota(0, 0));
        assertTrue(zero.getMessage().contains("--quota-bytes must be positive"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SpaceQuota(1, -1));
        assertNull(new SpaceAlarm(new SpaceQuota(1, 0)).update(new DiskReading(1, 0)), "a floor of 0 is not watched");
    }

    @Test
    void theMonitorTellsEachChangeOnceAndKeepsItsStateWhenAReadingFails() {
        AtomicReference<Object> next = new AtomicReference<>(new DiskReading(100, 5_000));
        AtomicInteger changes = new AtomicInteger();
        SpaceMonitor m = new SpaceMonitor("Node1", QUOTA, () -> {
            Object n = next.get();
            if (n instanceof IOException e) {
                throw e;
            }
            return (DiskReading) n;
        }, changes::incrementAndGet);
        m.sample();
        assertEquals(0, changes.get());
        assertEquals(new DiskReading(100, 5_000), m.state().reading());
        next.set(new DiskReading(20_000, 5_000));
        m.sample();
        m.sample();
        assertEquals(1, changes.get(), "raised once");
        assertTrue(m.state().raised());
        long raisedAt = m.state().raisedAtMs();
        next.set(new IOException("the disk went away"));
        m.sample();
        assertTrue(m.state().raised(), "a failed reading changes nothing");
        assertEquals(raisedAt, m.state().raisedAtMs());
        next.set(new DiskReading(100, 5_000));
        m.sample();
        assertEquals(2, changes.get(), "cleared once");
        assertEquals(0, m.state().raisedAtMs());
    }

    @Test
    void theDataDirProbeAddsUpEveryFileAndReadsTheFreeSpace(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("hardstate"), new byte[100]);
        Files.createDirectories(dir.resolve("log"));
        Files.write(dir.resolve("log/segment-0"), new byte[4_000]);
        Files.createDirectories(dir.resolve("snapshots"));
        Files.write(dir.resolve("snapshots/snap-1"), new byte[900]);
        DiskReading r = SpaceMonitor.dataDir(dir).read();
        assertEquals(5_000, r.usedBytes());
        assertTrue(r.freeBytes() > 0, r.toString());
    }

    @Test
    void aFollowersAlarmHoldsWhileFreshAndAnyAlarmStopsWrites() {
        AtomicReference<SpaceMonitor.State> own = new AtomicReference<>();
        ClusterAlarms alarms = new ClusterAlarms("Node1", own::get);
        assertNull(alarms.refusal(0));
        alarms.reply("Node3", true, 1_000);
        assertEquals(List.of("Node3"), alarms.active(1_000 + ClusterAlarms.FRESH_MS).stream()
                .map(ClusterAlarms.Alarm::node).toList(), "fresh for FRESH_MS");
        assertTrue(alarms.refusal(1_500).startsWith("the cluster is out of space: Node3: "), alarms.refusal(1_500));
        assertEquals(2, alarms.refused(), "each refusal counted");
        assertTrue(alarms.active(1_001 + ClusterAlarms.FRESH_MS).isEmpty(), "a silent follower's alarm lapses");
        alarms.reply("Node3", true, 5_000);
        alarms.reply("Node3", false, 5_100);
        assertTrue(alarms.active(5_100).isEmpty(), "its reply says it cleared");

        own.set(new SpaceMonitor.State(QUOTA, new DiskReading(20_000, 5_000), "over", 7));
        alarms.reply("Node2", true, 6_000);
        assertEquals(List.of("Node1", "Node2"), alarms.active(6_000).stream().map(ClusterAlarms.Alarm::node).toList(),
                "its own first");
        assertTrue(alarms.localRaised());
    }
}
