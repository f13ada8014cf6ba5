package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What an eavesdropper on the wire sees (issue 14): tcpdump captures every datagram between five
 * nodes on 127.0.0.161-165 and their client while expenses with a known payer, amount and
 * description are written, listed and replicated, and a STORE with a known value is made. With a
 * cluster key, none of those strings, nor any field name of the protocol, is anywhere in the
 * captured bytes. The same run without a key is the control: there the capture holds them all,
 * which shows the capture sees what it should.
 *
 * <p>Needs root and tcpdump (the README's test command installs it); skipped loudly without
 * them, failed instead with {@code -Drig.required=true}.
 */
class WireCaptureIT {

    private static final String PAYER = "Zebulon-Quintavalle";
    private static final String AMOUNT = "4242.17";
    private static final String DESCRIPTION = "lunch-at-the-secret-place";
    private static final String STORED = "s3cr3t-stored-value";
    private static final List<String> CLEAR = List.of(PAYER, AMOUNT, DESCRIPTION, STORED, "\"payer\"", "\"amount\"",
            "EXPENSE", "APPEND_RPC", "VOTE_REQUEST", "\"term\"");

    @Test
    void withAClusterKeyNoExpenseFieldCrossesTheWireInClear() throws Exception {
        Path dir = Path.of("target", "it", "wire-capture").toAbsolutePath();
        LocalCluster.deleteRecursively(dir);
        Files.createDirectories(dir);
        requireCapture(dir);

        Capture plain = captureWhileWriting(dir.resolve("plain"), null);
        for (String s : CLEAR) {
            assertTrue(plain.contains(s), "control: without a key the capture holds '" + s + "' (" + plain.describe() + ")");
        }

        Path key = dir.resolve("cluster.keys");
        Files.writeString(key, "9c1e5d0f7a3b2e6d8c4f1a0b9e7d5c3a1f2e4d6c8b0a9f7e5d3c1b2a4f6e8d0c primary\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Capture keyed = captureWhileWriting(dir.resolve("keyed"), key);
        assertTrue(keyed.packets() >= plain.packets() / 2, "the keyed run was captured too: " + keyed.describe());
        for (String s : CLEAR) {
            assertFalse(keyed.contains(s), "with a key, '" + s + "' must not be in the capture (" + keyed.describe() + ")");
        }
        System.out.printf(Locale.ROOT, "WireCaptureIT: plain %s; keyed %s; none of %s in the keyed capture%n",
                plain.describe(), keyed.describe(), CLEAR);
    }

    /** What tcpdump wrote: the whole pcap file (headers and payloads), as bytes. */
    private record Capture(byte[] bytes, long packets) {
        boolean contains(String s) {
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(s);
        }

        String describe() {
            return packets + " datagrams, " + bytes.length + " bytes captured";
        }
    }

    private static Capture captureWhileWriting(Path dir, Path key) throws Exception {
        Files.createDirectories(dir);
        Path pcap = dir.resolve("wire.pcap");
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "-U", "-s", "0", "-w", pcap.toString(),
                "udp and net 127.0.0.160/28")
                .redirectErrorStream(true).redirectOutput(dir.resolve("tcpdump.log").toFile()).start();
        try {
            awaitListening(tcpdump, dir.resolve("tcpdump.log"));
            ClusterAuth auth = key == null ? ClusterAuth.none() : ClusterAuth.fromFile(key);
            String[] args = key == null ? new String[0] : new String[] {"--cluster-key-file", key.toString()};
            try (LocalCluster cluster = LocalCluster.on(dir.resolve("nodes"), "127.0.0.161", 5, Ports.SEED, args)
                    .useAuth(auth).startAll()) {
                LocalCluster.LeaderView leader = cluster.awaitStableLeader(Duration.ofMillis(300), Duration.ofSeconds(20));
                LedgerClient writer = new LedgerClient(cluster.spec(), "capture-writer", auth);
                for (int i = 0; i < 20; i++) {
                    JsonNode r = writer.addDescribed(AMOUNT, "EUR", "travel", PAYER, DESCRIPTION);
                    assertTrue(r.path("ok").asBoolean(), "written: " + r);
                }
                ControllerClient rpc = new ControllerClient(Duration.ofSeconds(2), 3, auth);
                Answer stored = rpc.ask(cluster.node(leader.leader()), new ControllerMessage("Controller", "STORE", null,
                        TextNode.valueOf("vault"), TextNode.valueOf(STORED)));
                assertTrue(stored.answered() && "COMMITTED".equals(stored.reply().keyText()), "stored: " + stored);
                ObjectNode q = Codec.objectNode().put("query", "list");
                Answer list = rpc.ask(cluster.node(leader.leader()), new ControllerMessage("Controller", "EXPENSES", null,
                        null, q));
                assertTrue(list.answered(), "listed: " + list);
                assertEquals(PAYER, list.reply().value().path("expenses").path(0).path("payer").asText(),
                        "the client reads the payer it wrote: " + list.reply());
            }
            awaitMarker(pcap, dir.resolve("tcpdump.log"));
        } finally {
            tcpdump.destroy(); // SIGTERM: tcpdump flushes and closes the file
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        }
        String log = Files.readString(dir.resolve("tcpdump.log"));
        long packets = log.lines().filter(l -> l.endsWith("packets captured")).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst().orElse(-1);
        return new Capture(Files.readAllBytes(pcap), packets);
    }

    /**
     * Sends one plain datagram with a marker to an address inside the capture and waits until
     * the marker is in the file: everything sent before it has been written by then.
     */
    private static void awaitMarker(Path pcap, Path log) throws IOException {
        byte[] marker = ("end-of-capture-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        String text = new String(marker, StandardCharsets.ISO_8859_1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            while (System.nanoTime() < deadline) {
                s.send(new java.net.DatagramPacket(marker, marker.length,
                        new java.net.InetSocketAddress("127.0.0.165", 9)));
                if (new String(Files.readAllBytes(pcap), StandardCharsets.ISO_8859_1).contains(text)) {
                    return;
                }
                LocalCluster.pause();
            }
        }
        throw new IllegalStateException("the capture did not catch up within 10 s: " + Files.readString(log));
    }

    private static void awaitListening(Process tcpdump, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("listening on")) {
                return;
            }
            if (!tcpdump.isAlive()) {
                throw new IllegalStateException("tcpdump stopped: " + Files.readString(log));
            }
            LocalCluster.pause();
        }
        throw new IllegalStateException("tcpdump did not start listening within 10 s: " + Files.readString(log));
    }

    private static void requireCapture(Path dir) throws Exception {
        String why = null;
        try {
            Process p = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                why = "tcpdump --version failed";
            }
        } catch (IOException e) {
            why = "no tcpdump (apt-get install tcpdump)";
        }
        if (why == null && !"root".equals(System.getProperty("user.name"))) {
            why = "capturing needs root";
        }
        if (why == null) {
            return;
        }
        String message = "WireCaptureIT cannot capture here: " + why;
        if (Boolean.getBoolean("rig.required")) {
            Assertions.fail(message + " (and rig.required=true)");
        }
        System.err.println("*** SKIPPED: " + message + "; this test did NOT run (CI sets -Drig.required=true) ***");
        Assumptions.assumeTrue(false, message);
    }
}
