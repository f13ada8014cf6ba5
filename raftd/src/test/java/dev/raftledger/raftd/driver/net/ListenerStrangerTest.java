package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.RequestVote;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Which peer messages the listener drops as a stranger's before the core sees them. A node added
 * while this one was away may lead or campaign: in a cluster with a key its own AppendEntry or
 * vote request gets through and is answered where it came from; without a key, or speaking for
 * someone else, it is a stranger's.
 */
class ListenerStrangerTest {

    private static final ClusterSpec CLUSTER = ClusterSpec.parse("Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3",
            Ports.SEED);

    private static InetAddress at(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void anUnknownCandidateAskingForItselfIsHeardInAKeyedClusterAndAnsweredWhereItSpokeFrom() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        RequestVote ask = RequestVote.of(7, "Node6", 40, 3);

        assertNull(Listener.stranger(ask, "Node1", d, true, at("127.0.0.66")));
        assertEquals(new InetSocketAddress("127.0.0.66", 9002), d.address("Node6", PortRole.VOTE_ACK),
                "its vote goes back to the address it asked from");
        assertNull(Listener.stranger(RequestVote.preVote(8, "Node6", 40, 3), "Node1", d, true, at("127.0.0.66")));
    }

    @Test
    void withoutAKeyAnUnknownCandidateIsAStranger() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        assertEquals("Node6", Listener.stranger(RequestVote.of(7, "Node6", 40, 3), "Node1", d, false, at("127.0.0.66")));
        assertNull(d.address("Node6", PortRole.VOTE_ACK), "nothing learned");
    }

    @Test
    void nobodySpeaksForAnUnknownNode() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        RequestVote relayed = new RequestVote(7, "Node6", 40, 3, "Node2");
        assertEquals("Node6", Listener.stranger(relayed, "Node1", d, true, at("127.0.0.2")));
        AppendEntry forLeader = new AppendEntry(7, "Node6", -1, 0, "Node2");
        assertEquals("Node6", Listener.stranger(forLeader, "Node1", d, true, at("127.0.0.2")));
        assertEquals("Node1", Listener.stranger(RequestVote.of(7, "Node1", 40, 3), "Node1", d, true, at("127.0.0.2")),
                "nor for this node itself");
    }

    @Test
    void anUnknownLeaderSpeakingForItselfIsHeardInAKeyedClusterOnly() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        AppendEntry beat = AppendEntry.heartbeat(7, "Node6", -1, 0);
        assertEquals("Node6", Listener.stranger(beat, "Node1", d, false, at("127.0.0.66")));
        assertNull(Listener.stranger(beat, "Node1", d, true, at("127.0.0.66")));
        assertEquals(new InetSocketAddress("127.0.0.66", 9000), d.address("Node6", PortRole.APPEND_ENTRY));
    }
}
