package dev.raftledger.raftctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's main job without its interactive end: packaging/local/cluster brings up five
 * real nodes, raftctl operates them one-shot as a CI script would, and `down` leaves nothing
 * running.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LocalClusterScriptIT {

    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPT = REPO.resolve("packaging/local/cluster");
    private static final Path RAFTCTL = REPO.resolve("raftctl/target/raftctl");
    private final Path dir = REPO.resolve("raftctl/target/it-local-cluster");

    private record Result(int status, String out) {}

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(Map.of("RAFT_LOCAL_DIR", dir.toString(), "RAFTCTL_HISTORY", dir.resolve("history").toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + cmd);
        return new Result(p.exitValue(), out);
    }

    private Result raftctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(RAFTCTL.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Each test starts from an empty cluster: no data from an earlier test or run. */
    @BeforeEach
    void clean() throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @AfterEach
    void down() throws Exception {
        run(List.of(SCRIPT.toString(), "down"));
    }

    @Test
    void upThenOperateThenDown() throws Exception {
        Result up = run(List.of(SCRIPT.toString(), "up", "--no-build", "--no-shell"));
        assertEquals(0, up.status(), up.out());
        assertTrue(up.out().contains("started 5 node(s)"), up.out());
        assertTrue(up.out().matches("(?s).*leader: Node\\d \\(term \\d+\\), named by 5 of 5.*"), up.out());

        Result status = raftctl("--json", "status");
        assertEquals(0, status.status(), status.out());
        JsonNode doc = Codec.readTree(status.out());
        assertEquals(5, doc.get("answering").asInt());
        String leader = doc.get("leader").asText();
        long term = doc.get("term").asLong();
        for (JsonNode n : doc.get("nodes")) {
            assertTrue(n.get("reachable").asBoolean(), n.toString());
        }

        Result kill = raftctl("kill", leader);
        assertEquals(0, kill.status(), kill.out());
        assertTrue(kill.out().contains(leader + " is shutting down"), kill.out());

        // Poll (with a deadline) until the four survivors agree on a new leader.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode after;
        do {
            assertTrue(System.nanoTime() < deadline, "no new leader within 5 s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            after = Codec.readTree(raftctl("--json", "leader").out());
        } while (after.get("leader").isNull() || after.get("term").asLong() <= term || after.get("agreeing").asInt() < 4);
        assertFalse(after.get("leader").asText().equals(leader));

        Result down = run(List.of(SCRIPT.toString(), "down"));
        assertEquals(0, down.status(), down.out());
        assertTrue(down.out().contains("stopped 4 node(s)"), down.out());
        Result none = raftctl("--timeout-ms", "200", "status");
        assertEquals(1, none.status(), "no node answers once the cluster is down: " + none.out());
        for (int i = 1; i <= 5; i++) {
            assertFalse(Files.exists(dir.resolve("Node" + i + ".pid")), "pid files removed");
        }
    }

    @Test
    void expensesAddedThroughALeaderChangeAreEachStoredOnce() throws Exception {
        Result up = run(List.of(SCRIPT.toString(), "up", "--no-build", "--no-shell"));
        assertEquals(0, up.status(), up.out());
        for (int i = 1; i <= 3; i++) {
            Result add = raftctl("expense", "add", "--amount", i + ".00", "--currency", "EUR",
                    "--category", "food", "--payer", "ana", "--date", "2026-11-2" + i);
            assertEquals(0, add.status(), add.out());
        }
        String leader = Codec.readTree(raftctl("--json", "leader").out()).get("leader").asText();
        assertEquals(0, raftctl("kill", leader).status());
        // the next writes find the new leader by themselves, retrying with the same client id and seq
        for (int i = 4; i <= 6; i++) {
            Result add = raftctl("expense", "add", "--amount", i + ".00", "--currency", "USD",
                    "--category", "travel", "--payer", "bob", "--date", "2026-11-2" + i);
            assertEquals(0, add.status(), add.out());
        }
        JsonNode list = Codec.readTree(raftctl("--json", "expense", "list").out());
        assertEquals(6, list.get("total").asInt(), list.toString());
        JsonNode report = Codec.readTree(raftctl("--json", "expense", "report", "--by", "category").out());
        assertEquals("6.00", report.get("groups").get("food").get("EUR").asText(), report.toString());
        assertEquals("15.00", report.get("groups").get("travel").get("USD").asText(), report.toString());
    }
}
