package dev.raftledger.raftctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.client.HostLookups;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Environment;
import dev.raftledger.raftctl.FakeCluster;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * raftctl against nodes given by name, with the name lookups handed in: under Docker's DNS the
 * name of a stopped container takes 10-20 s to fail, and raftctl looked every name up in turn
 * before asking anyone, so {@code raftctl leader} took that long after a {@code docker kill}.
 * Names are looked up all at once, each waited for at most the reply timeout; one that hangs is
 * that node's "cannot resolve host" while the others answer.
 */
@Timeout(30)
class NameLookupTest extends FakeClusterTest {

    /** Released after each test: a hanging lookup's thread ends then. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHangingLookups() {
        release.countDown();
    }

    /** nodeN.test is the fake NodeN's address; {@code hanging} names never answer (until released). */
    private HostLookups.Lookup names(List<String> hanging) {
        return host -> {
            if (hanging.contains(host)) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UnknownHostException(host + ": Temporary failure in name resolution");
            }
            return address(host);
        };
    }

    private static InetAddress address(String host) throws UnknownHostException {
        if (!host.matches("node[1-5]\\.test")) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return InetAddress.getByName(FakeCluster.host(host.charAt(4) - '0'));
    }

    /** The fakes' options with each node given by name (nodeN.test) instead of its address. */
    private String[] byName(int timeoutMs, String... command) {
        StringJoiner spec = new StringJoiner(",");
        for (int i = 1; i <= 5; i++) {
            spec.add("Node" + i + "=node" + i + ".test");
        }
        List<String> args = new ArrayList<>(List.of("--cluster", spec.toString(),
                "--controller-port", Integer.toString(cluster.port()), "--timeout-ms", Integer.toString(timeoutMs)));
        args.addAll(List.of(command));
        return args.toArray(new String[0]);
    }

    private Environment environment(HostLookups.Lookup lookup) {
        return Run.environment(Map.of(), home).withLookups(new HostLookups(lookup));
    }

    @Test
    void aNameThatHangsCostsOneReplyTimeoutAndTheOthersAnswer() throws Exception {
        cluster.electLeader("Node2", 4);
        Environment env = environment(names(List.of("node3.test")));

        long start = System.nanoTime();
        Run leader = Run.of(env, byName(300, "leader"));
        long leaderMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        Run status = Run.of(env, byName(300, "--json", "status"));

        assertEquals(0, leader.code(), leader.err());
        assertEquals("Node2 (term 4), named by 4 of 4 answering nodes; 1 of 5 not answering", leader.out().strip());
        // one bound (300 ms) and the replies, not the lookup's 20 s: generous for a loaded machine
        assertTrue(leaderMs < 5_000, "raftctl leader took " + leaderMs + " ms with one name hanging");
        assertEquals(1, status.code(), status.err());
        JsonNode nodes = Codec.readTree(status.out()).get("nodes");
        for (JsonNode n : nodes) {
            if (n.get("name").asText().equals("Node3")) {
                assertFalse(n.get("reachable").asBoolean());
                assertEquals("cannot resolve host node3.test: no answer within 300 ms", n.get("error").asText(), n.toString());
            } else {
                assertTrue(n.get("reachable").asBoolean(), n.toString());
                assertEquals(4, n.get("term").asLong(), n.toString());
            }
        }
    }

    @Test
    void everyNameIsLookedUpAtOnce() {
        cluster.electLeader("Node5", 7);
        // each lookup answers only once all five are under way: lookups in turn would never meet
        CyclicBarrier allAtOnce = new CyclicBarrier(5);
        HostLookups.Lookup together = host -> {
            try {
                allAtOnce.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new UnknownHostException(host + ": not looked up together with the others (" + e + ")");
            }
            return address(host);
        };

        Run run = Run.of(environment(together), byName(10_000, "leader"));

        assertEquals(0, run.code(), run.err());
        assertEquals("Node5 (term 7), named by 5 of 5 answering nodes", run.out().strip());
    }

    @Test
    void aNameThatFailsIsReportedWithTheResolversReason() {
        cluster.electLeader("Node1", 2);
        HostLookups.Lookup lookup = host -> {
            if (host.equals("node4.test")) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            return address(host);
        };

        Run run = Run.of(environment(lookup), byName(300, "status"));

        assertEquals(1, run.code(), run.err());
        assertTrue(run.out().contains("Node4: cannot resolve host node4.test: Name or service not known"), run.out());
        assertTrue(run.out().contains("named by 4 of 4 answering nodes; 1 of 5 not answering"), run.out());
    }
}
