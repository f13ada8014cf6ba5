package dev.raftledger.raftd.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.start.NodeConfig;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a node's cluster id comes from at start (docs/protocol.md, "Cluster identity"): a new
 * data dir of a node that is not joining gets the new cluster's id from the member names; a
 * joining node's new data dir and a data dir of an older release get none; and a data dir that
 * raftd restore did not finish filling is refused before anything is bound or written.
 */
@Timeout(30)
class ClusterIdStartTest {

    private static final String HOST = "127.0.0.32";

    @TempDir
    Path work;

    private static Ports freePorts() throws IOException {
        int[] ports = new int[4];
        DatagramSocket[] held = new DatagramSocket[4];
        try {
            for (int i = 0; i < 4; i++) {
                held[i] = new DatagramSocket(new InetSocketAddress(HOST, 0));
                ports[i] = held[i].getLocalPort();
            }
        } finally {
            for (DatagramSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return new Ports(ports[0], ports[1], ports[2], ports[3]);
    }

    private NodeConfig config(Path dir, boolean join) throws IOException {
        ClusterSpec cluster = ClusterSpec.parse("Solo=" + HOST + ",Other=127.0.0.33", freePorts());
        return new NodeConfig("Solo", cluster, dir, HOST, Timings.SEED, 1, ClusterAuth.none(), null,
                dev.raftledger.raftd.driver.snapshot.SnapshotSettings.DEFAULT, join);
    }

    private static void runAndStop(NodeConfig config) throws Exception {
        RaftNode node = RaftNode.start(config);
        node.stop("test");
        assertEquals(0, node.await());
    }

    @Test
    void aNewDataDirGetsTheIdOfItsMembersNamesAndKeepsIt() throws Exception {
        Path dir = work.resolve("new.raftd");
        runAndStop(config(dir, false));
        String id = ClusterId.read(dir);
        assertEquals(ClusterId.ofNewCluster(List.of("Other", "Solo")), id);
        runAndStop(config(dir, false));
        assertEquals(id, ClusterId.read(dir), "kept across restarts");
    }

    @Test
    void aJoiningNodeAndAnOlderReleasesDataDirHaveNone() throws Exception {
        Path joining = work.resolve("joining.raftd");
        runAndStop(config(joining, true));
        assertNull(ClusterId.read(joining));
        Path older = work.resolve("older.raftd");
        runAndStop(config(older, false));
        Files.delete(older.resolve(ClusterId.FILE)); // as an older release left it: data, no id
        runAndStop(config(older, false));
        assertNull(ClusterId.read(older), "a data dir with data gets no id later");
    }

    @Test
    void aHalfRestoredDataDirIsRefused() throws Exception {
        Path dir = Files.createDirectories(work.resolve("half.raftd"));
        Files.createFile(dir.resolve(ClusterId.RESTORING));
        StoreException e = assertThrows(StoreException.class, () -> RaftNode.start(config(dir, false)));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(ClusterId.FILE)), "nothing written");
        assertFalse(Files.exists(dir.resolve("hardstate.json")));
    }
}
