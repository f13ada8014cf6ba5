package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.cluster.HealthCommandTest;
import dev.raftledger.raftd.it.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftctl health} and {@code status} against five real raftd processes on 127.0.0.51-55:
 * a settled cluster stays healthy round after round with the default limits (the leader's
 * {@code follower_heard_ms} and the followers' heartbeat ages raise no false alarm); a follower
 * paused with SIGSTOP makes it degraded (exit status 0, 1 with --strict) and {@code status} exit
 * 1; once it runs again the cluster is healthy again. (A node that answers but is cut off needs
 * a network that cuts one way, which loopback cannot; HealthCommandTest covers it with fake
 * nodes.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HealthIT {

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void aPausedFollowerDegradesTheClusterAndItsReturnHealsIt() throws Exception {
        try (LocalCluster cluster = LocalCluster.on(work.resolve("cluster"), "127.0.0.51", 5, Ports.SEED)) {
            cluster.startAll();
            String leader = cluster.awaitStableLeader(Duration.ofMillis(500), Duration.ofSeconds(20)).leader();
            String spec = cluster.spec().toString();

            JsonNode healthy = await(spec, "healthy", doc -> doc.get("verdict").asText().equals("healthy"));
            assertEquals(leader, healthy.get("leader").asText());
            JsonNode leaderReport = Codec.readTree(status(spec, "--json").out()).get("nodes")
                    .get(cluster.names().indexOf(leader)).get("report");
            assertEquals(4, leaderReport.get("follower_heard_ms").size(), leaderReport.toString());
            // twenty rounds in a row, 50 ms apart: no false alarm from a settled cluster. A false
            // alarm is a round degraded only by the limits (heartbeat ages, the leader's contact
            // times, lag) under the same leader and term; a real change of state (an election, a
            // leader stepping down: the machine is shared and may starve a node) is no false alarm,
            // and the count starts again once the cluster is healthy again.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int inRow = 0; inRow < 20; ) {
                assertTrue(System.nanoTime() < deadline, "no 20 healthy rounds in a row within 30 s");
                Run strict = health(spec, "--strict", "--json");
                JsonNode doc = Codec.readTree(strict.out());
                if (strict.code() == 0) {
                    inRow++;
                } else {
                    boolean sameLeader = doc.get("leader").equals(healthy.get("leader"))
                            && doc.get("term").equals(healthy.get("term"));
                    assertTrue(!sameLeader || !onlyByLimits(doc), "a false alarm: " + strict.out());
                    System.out.println("HealthIT: the cluster changed while settled: " + strict.out().strip());
                    healthy = await(spec, "healthy after an election", d -> d.get("verdict").asText().equals("healthy"));
                    inRow = 0;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            leader = healthy.get("leader").asText();
            assertEquals(0, status(spec).code());

            String follower = cluster.others(leader).get(0);
            long pid = cluster.process(follower).pid();
            signal("STOP", pid);
            try {
                JsonNode degraded = await(spec, "degraded with " + follower + " down",
                        doc -> doc.get("verdict").asText().equals("degraded") && doc.get("degraded").size() == 1
                                && doc.get("degraded").get(0).get("node").asText().equals(follower));
                assertEquals("down", degraded.get("degraded").get(0).get("reasons").get(0).get("kind").asText());
                Run text = health(spec);
                assertEquals(0, text.code(), text.out() + text.err());
                assertTrue(text.out().startsWith("degraded: leader " + leader), text.out());
                assertTrue(text.out().contains("  " + follower + ": down (no reply within "), text.out());
                assertEquals(1, health(spec, "--strict").code(), "--strict: degraded is a failure");
                Run status = status(spec);
                assertEquals(1, status.code(), "a node does not answer: " + status.out());
                assertEquals(5, status.out().lines().filter(l -> l.matches("Node\\d\\s+127\\.0\\.0\\.5\\d\\s.*")).count(),
                        "the whole table all the same: " + status.out());
            } finally {
                signal("CONT", pid);
            }
            await(spec, "healthy again", doc -> doc.get("verdict").asText().equals("healthy"));
            assertEquals(0, status(spec).code());
        }
    }

    private Run health(String spec, String... more) {
        return raftctl(spec, "health", more);
    }

    private Run status(String spec, String... more) {
        return raftctl(spec, "status", more);
    }

    private Run raftctl(String spec, String command, String... more) {
        List<String> args = new ArrayList<>(List.of("--cluster", spec, "--timeout-ms", "300", command));
        args.addAll(List.of(more));
        return Run.of(home, args.toArray(new String[0]));
    }

    /** Polls health --json (with a deadline) until {@code wanted} holds; returns that document. */
    private JsonNode await(String spec, String what, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode doc = null;
        while (System.nanoTime() < deadline) {
            doc = Codec.readTree(health(spec, "--json").out());
            if (wanted.test(doc)) {
                return doc;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError("not " + what + " within 15 s; last: " + doc);
    }

    /** Whether every degraded member is degraded only by a limit: a heartbeat age, the leader's contact time, lag. */
    private static boolean onlyByLimits(JsonNode health) {
        if (!health.get("verdict").asText().equals("degraded")) {
            return false;
        }
        for (JsonNode member : health.get("degraded")) {
            for (JsonNode reason : member.get("reasons")) {
                String text = reason.get("text").asText();
                boolean limit = reason.get("kind").asText().equals("behind") || text.startsWith("last heard a heartbeat")
                        || text.startsWith("has never heard a heartbeat") || text.startsWith("the leader ");
                if (!limit) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }
}
