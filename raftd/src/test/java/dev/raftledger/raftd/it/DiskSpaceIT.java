package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.it.LocalCluster.LeaderView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full disk, on file systems made for the test (a tmpfs of a few MiB on each node's data dir):
 * past its quota the cluster refuses new writes with NO_SPACE but keeps electing, reading,
 * deleting and snapshotting, and takes writes again once compaction has brought the data dirs
 * back under; and a real ENOSPC (the quota set too high for the disk) stops the nodes cleanly,
 * and they restart, once space is freed, with every acknowledged write exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DiskSpaceIT {

    private static final Duration ASK = Duration.ofSeconds(2);
    /** About 560 bytes of entry per expense: a 1 MiB quota fills in a couple of thousand writes. */
    private static final String LONG = "x".repeat(480);

    private LocalCluster cluster;
    private Path dir;

    @AfterEach
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null) {
            SmallDisks.unmountUnder(dir);
        }
    }

    private LocalCluster cluster(String name, String firstHost, String diskSize, String... args) throws IOException {
        SmallDisks.require();
        dir = Path.of("target", "it", name);
        SmallDisks.unmountUnder(dir); // what a killed run left
        cluster = LocalCluster.on(dir, firstHost, 3, Ports.SEED, args);
        for (String n : cluster.names()) {
            SmallDisks.mount(cluster.dataDir(n), diskSize);
        }
        return cluster.startAll();
    }

    private static ObjectNode add(String client, long seq) {
        ObjectNode cmd = Codec.objectNode();
        cmd.put("op", "add").put("client_id", client).put("seq", seq).put("amount", "1.00").put("currency", "EUR")
                .put("category", "disk").put("payer", "ana").put("date", "2026-12-07")
                .put("description", "seq " + seq + " " + LONG);
        return cmd;
    }

    private static ObjectNode delete(String client, long seq, String id) {
        ObjectNode cmd = Codec.objectNode();
        cmd.put("op", "delete").put("client_id", client).put("seq", seq).put("id", id);
        return cmd;
    }

    private ControllerMessage ask(String node, String request, JsonNode value) {
        Answer a = cluster.ask(node, new ControllerMessage(ControllerMessage.CONTROLLER, request, null, null, value), ASK);
        return a.answered() ? a.reply() : null;
    }

    private static boolean refusedForSpace(ControllerMessage r) {
        return r != null && "ERROR".equals(r.request()) && "NO_SPACE".equals(r.keyText());
    }

    private static boolean applied(ControllerMessage r) {
        return r != null && "EXPENSE".equals(r.request()) && "RESULT".equals(r.keyText());
    }

    @Test
    void pastItsQuotaTheClusterRefusesWritesKeepsServingAndTakesWritesAgainOnceCompacted() throws Exception {
        cluster("disk-quota", "127.0.0.81", "16m", "--quota-bytes", "1048576", "--min-free-bytes", "0",
                "--log-segment-bytes", "65536", "--snapshot-catchup-entries", "10");
        LeaderView first = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(15));
        String leader = first.leader();
        String client = "disk-it";
        long seq = 0;
        List<String> ids = new ArrayList<>();
        ControllerMessage refusal = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (refusal == null) {
            assertTrue(System.nanoTime() < deadline, "no NO_SPACE within 90 s; " + ids.size() + " expenses written");
            ControllerMessage r = ask(leader, "EXPENSE", add(client, ++seq));
            if (applied(r)) {
                assertTrue(r.value().get("ok").asBoolean(), r.toString());
                ids.add(r.value().get("id").asText());
            } else if (refusedForSpace(r)) {
                refusal = r;
            } else {
                seq--; // no answer or a redirect: the same write again (exactly once by client id and seq)
                leader = cluster.awaitStableLeader(Duration.ofMillis(200), Duration.ofSeconds(10)).leader();
            }
        }
        // whichever node crossed first: the leader's own reason, or a follower's flag
        assertTrue(refusal.valueText().startsWith("EXPENSE not taken: the cluster is out of space: Node")
                && refusal.valueText().contains("--quota-bytes"), refusal.valueText());
        assertTrue(ids.size() > 1_000, "about 1 MiB of expenses before the alarm: " + ids.size());

        JsonNode status = cluster.awaitStatus(leader, ASK);
        assertTrue(status.get("alarms").size() >= 1, "the leader lists the alarms: " + status);
        boolean over = false;
        for (Map.Entry<String, JsonNode> s : cluster.statuses(ASK).entrySet()) {
            JsonNode disk = s.getValue().get("disk");
            if (disk.get("used_bytes").asLong() > 1_048_576) {
                over = true;
                assertEquals(s.getKey(), s.getValue().get("alarms").get(0).get("node").asText(),
                        "a node over its quota lists its own alarm first: " + s.getValue());
            }
        }
        assertTrue(over, "some node is over its quota");

        // reads go on, linearizable
        ObjectNode list = Codec.objectNode();
        list.put("query", "list").putObject("filter").put("offset", 0).put("limit", 1);
        ControllerMessage read = ask(leader, "EXPENSES", list);
        assertNotNull(read, "no answer to EXPENSES");
        assertEquals(ids.size(), read.value().get("total").asInt(), read.toString());

        // elections go on, and the new leader refuses writes too
        String next = cluster.others(leader).get(0);
        cluster.ask(next, "TIMEOUT", ASK);
        LeaderView second = cluster.awaitLeader(cluster.names(), 2, first.term(), Duration.ofSeconds(15));
        leader = second.leader();
        assertTrue(refusedForSpace(ask(leader, "EXPENSE", add(client, ++seq))), "the new leader refuses too");

        // deletions go through, and a snapshot on every node compacts the log behind it
        for (String id : ids) {
            ControllerMessage r = ask(leader, "EXPENSE", delete(client, ++seq, id));
            assertTrue(applied(r) && r.value().get("ok").asBoolean(), "delete " + id + ": " + r);
        }
        for (String n : cluster.names()) {
            ControllerMessage saved = ask(n, "SNAPSHOT", null);
            assertTrue(saved != null && "SNAPSHOT".equals(saved.request()), n + ": " + saved);
        }
        long cleared = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ControllerMessage taken;
        do {
            assertTrue(System.nanoTime() < cleared, "writes not taken again within 20 s of the compaction: "
                    + cluster.statuses(ASK).values().stream().map(s -> s.get("disk") + " " + s.get("alarms")).toList());
            taken = ask(leader, "EXPENSE", add(client, ++seq));
        } while (!applied(taken));
        assertTrue(taken.value().get("ok").asBoolean(), taken.toString());
        for (Map.Entry<String, JsonNode> s : cluster.statuses(ASK).entrySet()) {
            assertTrue(s.getValue().get("disk").get("used_bytes").asLong() < 1_048_576, s.getKey() + ": " + s.getValue());
        }
    }

    @Test
    void aRealFullDiskStopsTheNodesCleanlyAndTheyComeBackWithEveryAcknowledgedWriteOnce() throws Exception {
        cluster("disk-enospc", "127.0.0.84", "2m", "--quota-bytes", "1073741824", "--min-free-bytes", "0",
                "--log-segment-bytes", "262144");
        String leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(15)).leader();
        String client = "enospc-it";
        Map<Long, String> acknowledged = new LinkedHashMap<>();
        long seq = 0;
        long lastAck = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() - lastAck < TimeUnit.SECONDS.toNanos(5)) {
            assertTrue(System.nanoTime() < deadline, "the disks never filled: " + acknowledged.size() + " written");
            ControllerMessage r = ask(leader, "EXPENSE", add(client, ++seq));
            if (applied(r)) {
                acknowledged.put(seq, r.value().get("id").asText());
                lastAck = System.nanoTime();
            } else {
                seq--; // the same write again, wherever the leader is now (maybe nowhere: the disks are full)
                var agreed = cluster.agreedLeader(cluster.names(), 2);
                if (agreed.isPresent()) {
                    leader = agreed.get().leader();
                }
            }
        }
        List<String> stoppedByDisk = new ArrayList<>();
        for (String n : cluster.names()) {
            if (!cluster.isRunning(n)) {
                assertEquals(1, cluster.awaitExit(n, ASK), n + " stopped on its own, with status 1");
                String log = Files.readString(cluster.logFile(n), StandardCharsets.UTF_8);
                assertTrue(log.contains("No space left on device"), n + "'s log says why:\n" + tail(log));
                stoppedByDisk.add(n);
            } else {
                cluster.terminate(n, Duration.ofSeconds(10));
            }
        }
        assertTrue(!stoppedByDisk.isEmpty(), "no node stopped for the full disk");

        for (String n : cluster.names()) {
            SmallDisks.resize(cluster.dataDir(n), "32m"); // the operator frees space
            cluster.start(n);
        }
        leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20)).leader();
        Map<String, String> byDescription = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (int offset = 0; ; ) {
            ObjectNode list = Codec.objectNode();
            list.put("query", "list").putObject("filter").put("offset", offset).put("limit", 100);
            ControllerMessage page = ask(leader, "EXPENSES", list);
            assertNotNull(page, "no answer to EXPENSES from " + leader);
            JsonNode expenses = page.value().get("expenses");
            for (JsonNode e : expenses) {
                String description = e.get("description").asText();
                String prior = byDescription.put(description.substring(0, description.indexOf(' ', 4)),
                        e.get("id").asText());
                assertEquals(null, prior, "a write applied twice: " + description.substring(0, 12));
                ids.add(e.get("id").asText());
            }
            offset += expenses.size();
            if (expenses.isEmpty() || offset >= page.value().get("total").asInt()) {
                break;
            }
        }
        for (Map.Entry<Long, String> a : acknowledged.entrySet()) {
            assertTrue(ids.contains(a.getValue()), "acknowledged write seq " + a.getKey() + " (" + a.getValue()
                    + ") lost; " + ids.size() + " in the ledger, " + acknowledged.size() + " acknowledged");
        }
        ControllerMessage after = ask(leader, "EXPENSE", add(client, ++seq));
        assertTrue(applied(after) && after.value().get("ok").asBoolean(), "writes work again: " + after);
    }

    private static String tail(String log) {
        return log.length() <= 3_000 ? log : log.substring(log.length() - 3_000);
    }
}
