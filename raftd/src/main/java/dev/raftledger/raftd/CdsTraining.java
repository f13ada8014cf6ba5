package dev.raftledger.raftd;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.RaftNode;
import dev.raftledger.raftd.driver.start.NodeConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code raftd --cds-training}: a short one-node run (start, elect itself, answer STATUS, stop)
 * that loads the classes a real node loads. The build runs it under
 * {@code -XX:DumpLoadedClassList}, then dumps those classes into the static archive
 * raftd/target/raftd.jsa, which the launcher maps at start: measured, it cuts a node's start-up
 * CPU by a fifth more than the dynamic archive it replaced (docs/benchmarks.md, "Start-up"), which
 * matters when five nodes start at once on two cores. The compose image makes its own the same
 * way (packaging/compose/Dockerfile). It binds only free ports on 127.0.0.1.
 */
final class CdsTraining {

    private CdsTraining() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("raftd-cds-training");
        try {
            String host = "127.0.0.1";
            int[] p = freePorts(host);
            Ports ports = new Ports(p[0], p[1], p[2], p[3]);
            ClusterSpec cluster = ClusterSpec.parse("Training=" + host, ports);
            RaftNode node = RaftNode.start(new NodeConfig("Training", cluster, dir, host, Timings.SEED, 1));
            NodeAddress self = cluster.node("Training").orElseThrow();
            ControllerClient client = new ControllerClient(Duration.ofMillis(200), 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean leader = false;
            while (!leader && System.nanoTime() < deadline) {
                Answer a = client.ask(self, ControllerMessage.request("LEADER_INFO"));
                leader = a.answered() && "Training".equals(a.reply().valueText());
            }
            client.ask(self, ControllerMessage.request("STATUS"));
            node.stop("CDS training done");
            int status = node.await();
            return leader ? status : 1;
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path f : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Four distinct ports that are free now (a short race with other processes is harmless here). */
    private static int[] freePorts(String host) throws IOException {
        DatagramSocket[] sockets = new DatagramSocket[4];
        int[] ports = new int[4];
        try {
            for (int i = 0; i < 4; i++) {
                sockets[i] = new DatagramSocket(new InetSocketAddress(host, 0));
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (DatagramSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
