package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ClusterConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Whom a node knows and where it reaches them, as the configuration changes. */
class PeerDirectoryTest {

    private static final ClusterSpec CLUSTER = ClusterSpec.parse("Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3",
            Ports.SEED);

    private static ClusterConfig withNode6() {
        return ClusterConfig.parse("{\"members\":[{\"name\":\"Node1\",\"host\":\"127.0.0.1\",\"role\":\"voter\"},"
                + "{\"name\":\"Node3\",\"host\":\"10.0.0.3\",\"role\":\"voter\"},"
                + "{\"name\":\"Node6\",\"host\":\"127.0.0.6\",\"role\":\"learner\"}]}");
    }

    @Test
    void aConfigurationAddsMembersAndItsHostsWin() {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        assertFalse(d.knows("Node6"));
        assertEquals(new InetSocketAddress("127.0.0.3", 9000), d.address("Node3", PortRole.APPEND_ENTRY));

        d.update(withNode6());

        assertTrue(d.knows("Node6"));
        assertEquals(new InetSocketAddress("127.0.0.6", 9001), d.address("Node6", PortRole.REQUEST_VOTE));
        assertEquals(new InetSocketAddress("10.0.0.3", 9000), d.address("Node3", PortRole.APPEND_ENTRY),
                "the replicated host, not the resolved --cluster one");
        assertTrue(d.knows("Node2"), "--cluster members stay known (the core decides what they may do)");
    }

    @Test
    void anUnknownLeaderIsAnsweredWhereItSpokeFromUntilItsConfigurationArrives() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        assertNull(d.address("Node6", PortRole.APPEND_ENTRY));

        d.learnLeader("Node6", InetAddress.getByName("127.0.0.66"));
        d.learnLeader("Node2", InetAddress.getByName("127.0.0.99")); // known: its configured host stays

        assertEquals(new InetSocketAddress("127.0.0.66", 9000), d.address("Node6", PortRole.APPEND_ENTRY));
        assertEquals("127.0.0.2", d.host("Node2"));
        assertFalse(d.knows("Node6"), "learning an address is not membership");
        d.update(withNode6());
        assertEquals(new InetSocketAddress("127.0.0.6", 9000), d.address("Node6", PortRole.APPEND_ENTRY));
    }
}
