package dev.raftledger.raftctl;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run raftctl against five fake nodes: fresh nodes and home per test. */
public abstract class FakeClusterTest {

    @TempDir
    public Path home;

    public FakeCluster cluster;

    @BeforeEach
    void startFakeCluster() throws Exception {
        cluster = FakeCluster.start(5);
    }

    @AfterEach
    void stopFakeCluster() {
        cluster.close();
    }
}
