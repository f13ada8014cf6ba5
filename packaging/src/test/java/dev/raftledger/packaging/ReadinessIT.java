package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness as systemd sees it, without systemd: the unpacked raftd runs with NOTIFY_SOCKET
 * pointing at a stand-in socket (notify-receiver.py) and must send READY=1 once listening, and
 * STOPPING=1 on SIGTERM, through the real systemd-notify, then exit 0. It binds one node on
 * 127.0.0.61 with free ports, away from every address and port the other tests use.
 */
class ReadinessIT {

    private static final String HOST = "127.0.0.61";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void readyOnceListeningAndStoppingOnSigterm(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Dist.installed("/usr/bin/python3"), "python3 stands in for systemd's socket");
        Assumptions.assumeTrue(Dist.installed("/usr/bin/systemd-notify") || Dist.installed("/bin/systemd-notify"),
                "systemd-notify is not installed");
        Path dist = Dist.unpack(tmp);
        Path socket = tmp.resolve("notify.sock");
        Path messages = tmp.resolve("messages.txt");
        Path receiverScript = Path.of(ReadinessIT.class.getResource("/notify-receiver.py").toURI());
        Process receiver = new ProcessBuilder("/usr/bin/python3", receiverScript.toString(), socket.toString(),
                messages.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("receiver.log").toFile())
                .start();
        Process raftd = null;
        try {
            awaitTrue("the stand-in socket is bound", () -> Files.exists(socket), receiver);

            int[] ports = freePorts();
            ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/raftd").toString(), "--name", "N1",
                    "--cluster", "N1=" + HOST, "--append-entry-port", "" + ports[0], "--request-vote-port", "" + ports[1],
                    "--vote-ack-port", "" + ports[2], "--controller-port", "" + ports[3],
                    "--data-dir", tmp.resolve("data").toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("raftd.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("RAFT"));
            pb.environment().put("NOTIFY_SOCKET", socket.toString());
            raftd = pb.start();

            awaitTrue("READY=1", () -> lines(messages).stream().anyMatch(l -> l.startsWith("READY=1|")), raftd);
            String ready = lines(messages).stream().filter(l -> l.startsWith("READY=1|")).findFirst().orElseThrow();
            assertEquals("READY=1|STATUS=N1 listening on " + HOST + ", ports " + ports[0] + " " + ports[1] + " "
                    + ports[2] + " " + ports[3], ready);
            assertTrue(Files.readString(tmp.resolve("raftd.log")).contains("N1 listening on " + HOST),
                    "READY comes after the node logged that it listens");

            raftd.destroy(); // SIGTERM
            assertTrue(raftd.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "raftd stops on SIGTERM");
            assertEquals(0, raftd.exitValue(), Files.readString(tmp.resolve("raftd.log")));
            assertTrue(lines(messages).contains("STOPPING=1|STATUS=N1 stopping on SIGTERM"),
                    String.join("\n", lines(messages)));
            String log = Files.readString(tmp.resolve("raftd.log"));
            assertTrue(!log.contains("could not notify systemd"), log);
        } finally {
            if (raftd != null) {
                raftd.destroyForcibly();
            }
            receiver.destroyForcibly();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    /** Polls until the check holds; fails at the deadline, or at once if the process ended. */
    private static void awaitTrue(String what, Check check, Process process) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!check.holds()) {
            if (!process.isAlive()) {
                fail("waiting for " + what + ": the process ended with status " + process.exitValue());
            }
            if (System.nanoTime() > end) {
                fail("no " + what + " within " + DEADLINE);
            }
            Thread.sleep(20); // poll interval, not synchronisation: the loop checks the state
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Four UDP ports free on HOST just now (the kernel's choice, so no fixed port can clash). */
    private static int[] freePorts() throws IOException {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[4];
            for (int i = 0; i < ports.length; i++) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(HOST, 0));
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }
}
