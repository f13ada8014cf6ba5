package dev.raftledger.raftd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that moves, as a container does when it comes back on a new address: five real raftd
 * processes whose {@code --cluster} names every member by a host name, resolved through a hosts
 * file this test writes ({@code -Djdk.net.hosts.file} via RAFT_JAVA_OPTS: the JDK then reads
 * that file, again on each lookup, instead of asking the system's resolver). A follower is
 * killed, the file is changed to give its name a new address, and it is started again there,
 * on its old data dir. The others must find it by name within a few seconds: a node that
 * resolved its peers once (or let the JDK cache the answer for its default 30 s) never does.
 *
 * <p>Addresses 127.0.0.31-35 (the nodes), .36 (where one moves); ports 19600-19602 and 15955:
 * away from the local five-node cluster and every other integration test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerMovesIT {

    private static final Ports PORTS = new Ports(19600, 19601, 19602, 15955);
    private static final String NEW_ADDRESS = "127.0.0.36";
    /** The bound: back in the cluster within a few seconds (of which the JVM's start takes 1-2). */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFollowerThatComesBackOnANewAddressIsFoundByNameWithinSeconds() throws Exception {
        Path work = Path.of("target", "it", "peer-moves").toAbsolutePath();
        cluster = LocalCluster.on(work, "127.0.0.31", 5, PORTS);
        Map<String, String> addresses = new LinkedHashMap<>(); // name -> address; the test's own view
        StringBuilder named = new StringBuilder();
        for (NodeAddress n : cluster.spec().nodes()) {
            addresses.put(n.name(), n.host());
            named.append(named.length() == 0 ? "" : ",").append(n.name()).append('=').append(hostName(n.name()));
        }
        Path hosts = work.resolve("hosts");
        writeHosts(hosts, addresses);
        ClusterSpec byName = ClusterSpec.parse(named.toString(), PORTS);
        cluster.withEnvironment("RAFT_JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts);
        for (String name : cluster.names()) {
            cluster.start(name, byName);
        }
        LocalCluster.LeaderView leader = cluster.awaitStableLeader(Duration.ofSeconds(1), Duration.ofSeconds(30));
        String mover = cluster.others(leader.leader()).get(0);
        long before = store(leader.leader(), "before");
        awaitCommitted(mover, addresses.get(mover), before, Duration.ofSeconds(5));

        cluster.kill(mover);
        addresses.put(mover, NEW_ADDRESS);
        writeHosts(hosts, addresses);
        long restarted = System.nanoTime();
        cluster.start(mover, byName);

        // Writes go on meanwhile; the moved node must be replicated to and heard by the leader.
        long index = store(leader.leader(), "after");
        JsonNode moved = awaitCommitted(mover, NEW_ADDRESS, index, BACK_WITHIN);
        long deadline = restarted + BACK_WITHIN.toNanos();
        JsonNode leaderStatus = status(leader.leader(), addresses.get(leader.leader()));
        while (leaderStatus.get("follower_match_index").get(mover).asLong() < index) {
            assertTrue(System.nanoTime() < deadline, "the leader never heard the mover at its new address: "
                    + leaderStatus);
            LocalCluster.pause();
            leaderStatus = status(leader.leader(), addresses.get(leader.leader()));
        }
        long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
        assertEquals(leader.leader(), moved.get("leader").asText(), "the mover follows the same leader: " + moved);
        assertEquals(leader.term(), moved.get("term").asLong(), "no election was needed: " + moved);
        System.out.printf("peer moves: %s back on %s, committing, %d ms after its restart began%n", mover,
                NEW_ADDRESS, backMs);
    }

    private static String hostName(String node) {
        return node.toLowerCase() + ".raft.test";
    }

    /** Writes the file whole and renames it into place, so that no lookup reads half of it. */
    private static void writeHosts(Path hosts, Map<String, String> addresses) throws IOException {
        StringBuilder sb = new StringBuilder("# written by PeerMovesIT\n");
        addresses.forEach((name, address) -> sb.append(address).append(' ').append(hostName(name)).append('\n'));
        Path next = hosts.resolveSibling("hosts.next");
        Files.writeString(next, sb);
        Files.move(next, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stores a value at the leader; the leader's commit index once it is committed. */
    private long store(String leader, String value) {
        ControllerMessage m = new ControllerMessage(ControllerMessage.CONTROLLER, "STORE", null,
                TextNode.valueOf("k-" + value), TextNode.valueOf(value));
        Answer a = new ControllerClient(Duration.ofSeconds(2), 1).ask(cluster.node(leader), m);
        assertTrue(a.answered() && "COMMITTED".equals(a.reply().keyText()), "stored " + value + ": " + a);
        return cluster.awaitStatus(leader, Duration.ofSeconds(2)).get("commit_index").asLong();
    }

    /** Polls the node at {@code address} until its commit index reaches {@code index}. */
    private JsonNode awaitCommitted(String node, String address, long index, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (true) {
            Answer a = new ControllerClient(Duration.ofMillis(250), 1)
                    .ask(new NodeAddress(node, address, PORTS), ControllerMessage.request("STATUS"));
            if (a.answered() && "STATUS".equals(a.reply().request())) {
                last = a.reply().value();
                if (last.get("commit_index").asLong() >= index) {
                    return last;
                }
            }
            assertTrue(System.nanoTime() < deadline, node + " at " + address + " did not commit index " + index
                    + " within " + within.toMillis() + " ms; last status: " + last);
            LocalCluster.pause();
        }
    }

    private JsonNode status(String node, String address) {
        Answer a = new ControllerClient(Duration.ofSeconds(1), 2)
                .ask(new NodeAddress(node, address, PORTS), ControllerMessage.request("STATUS"));
        assertTrue(a.answered(), node + ": " + a);
        return a.reply().value();
    }
}
